package dev.appservice.operator.validation;

import dev.appservice.operator.api.AppTlsSettings;
import dev.appservice.operator.api.CertificateIssuerReference;
import java.util.List;

/**
 * The rule for an app's {@code spec.tls} that the CRD schema cannot say: an issued certificate
 * needs host names to be issued for. The names themselves (the Secret's and the issuer's name and
 * group DNS subdomains of at most 253 characters, the issuer's kind a Kind of at most 63) are the
 * schema's. Whether cert-manager is installed is a question for the cluster ({@link
 * AdmissionRules}, the reconciler); {@code validate}, offline, cannot know.
 */
final class AppTlsRules {
    private AppTlsRules() {}

    static void check(String object, AppTlsSettings tls, List<String> hostNames, List<Violation> problems) {
        CertificateIssuerReference issuer = tls == null ? null : tls.getIssuerRef();
        if (issuer == null) {
            return;
        }
        if (hostNames.isEmpty()) {
            problems.add(Violation.error(
                    object,
                    "spec.tls.issuerRef",
                    "needs spec.hostNames: the certificate is issued for the app's own host names "
                            + "(<app>.<dnsSuffix> is served with the environment's certificate)"));
        }
    }
}
