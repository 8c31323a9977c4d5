package dev.appservice.operator.webapp;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.desired.AppCertificates;
import dev.appservice.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/**
 * The app's {@value #CONDITION} condition, for an app with {@code spec.tls.secretName}: the same
 * verdict on its Secret ({@link AppCertificates#check}) as the environment's reconcile, which
 * copies the certificate to the front ends only when it is usable.
 */
final class AppCertificateConditions {
    static final String CONDITION = "CertificateReady";
    static final String REASON_ENVIRONMENT_HTTP_ONLY = "EnvironmentServesHttpOnly";

    private AppCertificateConditions() {}

    static Optional<Conditions.Desired> of(
            WebApp app, Optional<AppServiceEnvironment> environment, Optional<Secret> secret) {
        String secretName = app.getSpec().tlsSecretName();
        if (secretName == null) {
            return Optional.empty();
        }
        String namespace = app.getMetadata().getNamespace();
        if (environment.isPresent() && environment.get().getSpec().tlsSecretName() == null) {
            return Optional.of(new Conditions.Desired(
                    CONDITION,
                    false,
                    REASON_ENVIRONMENT_HTTP_ONLY,
                    "AppServiceEnvironment " + namespace + "/"
                            + environment.get().getMetadata().getName()
                            + " has no spec.tls and serves HTTP only; the app's certificate is served once it does"));
        }
        AppCertificates.Verdict verdict = AppCertificates.check(namespace, secretName, secret);
        if (verdict instanceof AppCertificates.Verdict.Unusable unusable) {
            return Optional.of(new Conditions.Desired(CONDITION, false, unusable.reason(), unusable.message()));
        }
        return Optional.of(new Conditions.Desired(
                CONDITION,
                true,
                AppCertificates.REASON_SERVED,
                "Secret " + namespace + "/" + secretName
                        + " serves "
                        + (app.getSpec().effectiveHostNames().isEmpty()
                                ? "no host name: the app has no spec.hostNames"
                                : String.join(", ", app.getSpec().effectiveHostNames()))
                        + " by SNI at the front ends"));
    }
}
