package dev.appservice.operator.validation;

import dev.appservice.operator.api.AppTlsSettings;
import dev.appservice.operator.api.CertificateIssuerReference;
import dev.appservice.operator.model.Quoted;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules for an app's {@code spec.tls}: the Secret's name and the issuer's name and group are
 * object names and API groups (DNS subdomains, at most 253 characters), the issuer's kind a Kind
 * (an upper-case letter, then letters and digits, at most 63), and an issued certificate needs host
 * names to be issued for. Whether cert-manager is installed is a question for the cluster
 * ({@link AdmissionRules}, the reconciler); {@code validate}, offline, cannot know.
 */
final class AppTlsRules {
    static final int MAX_KIND_LENGTH = 63;
    private static final Pattern KIND = Pattern.compile("^[A-Z][A-Za-z0-9]*$");

    private AppTlsRules() {}

    static void check(String object, AppTlsSettings tls, List<String> hostNames, List<Violation> problems) {
        if (tls == null) {
            return;
        }
        String secretName = tls.getSecretName();
        if (secretName == null || secretName.isBlank()) {
            problems.add(Violation.error(
                    object,
                    "spec.tls.secretName",
                    "is required: the kubernetes.io/tls Secret of the app's host names"));
        } else {
            subdomain(object, "spec.tls.secretName", secretName, problems);
        }
        CertificateIssuerReference issuer = tls.getIssuerRef();
        if (issuer == null) {
            return;
        }
        if (issuer.getName() == null || issuer.getName().isBlank()) {
            problems.add(Violation.error(
                    object, "spec.tls.issuerRef.name", "is required: the cert-manager Issuer or ClusterIssuer"));
        } else {
            subdomain(object, "spec.tls.issuerRef.name", issuer.getName(), problems);
        }
        if (issuer.getKind() != null
                && (issuer.getKind().length() > MAX_KIND_LENGTH
                        || !KIND.matcher(issuer.getKind()).matches())) {
            problems.add(Violation.error(
                    object,
                    "spec.tls.issuerRef.kind",
                    "must be a Kind such as Issuer or ClusterIssuer (an upper-case letter, "
                            + "then letters and digits, at most " + MAX_KIND_LENGTH + " characters), got "
                            + Quoted.of(issuer.getKind())));
        }
        if (issuer.getGroup() != null) {
            subdomain(object, "spec.tls.issuerRef.group", issuer.getGroup(), problems);
        }
        if (hostNames.isEmpty()) {
            problems.add(Violation.error(
                    object,
                    "spec.tls.issuerRef",
                    "needs spec.hostNames: the certificate is issued for the app's own host names "
                            + "(<app>.<dnsSuffix> is served with the environment's certificate)"));
        }
    }

    private static void subdomain(String object, String field, String value, List<Violation> problems) {
        if (!PassThroughRules.isSubdomain(value)) {
            problems.add(Violation.error(
                    object,
                    field,
                    "must be a DNS subdomain (lowercase letters, digits, '-' and '.', at most "
                            + PassThroughRules.MAX_SUBDOMAIN_LENGTH + " characters), got " + Quoted.of(value)));
        }
    }
}
