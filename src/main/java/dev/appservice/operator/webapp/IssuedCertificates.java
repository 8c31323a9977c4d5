package dev.appservice.operator.webapp;

import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.desired.IssuedCertificate;
import dev.appservice.operator.presence.CertManagerPresence;
import dev.appservice.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Objects;
import java.util.Optional;

/**
 * The cert-manager {@code Certificate} of an app with {@code spec.tls.issuerRef}
 * ({@link IssuedCertificate}), kept by the app's reconcile with plain client calls: no informer,
 * because an informer on a kind the cluster does not serve would keep the operator from starting
 * without cert-manager. Created when missing, updated when its spec differs, deleted when the app
 * stops naming an issuer (and, through its owner reference, with the app). Its state is the app's
 * {@value #CONDITION} condition.
 *
 * <p>A Certificate of the app's name that the app does not control (someone else's) is left as it
 * is and reported. Without cert-manager's API, or without the chart's permission
 * ({@code certManager.enabled}), the app says so and keeps running on the environment's certificate.
 */
final class IssuedCertificates {
    static final String CONDITION = "CertificateIssued";
    /** How soon an app whose Certificate cannot be made (cert-manager absent, not permitted, a foreign one) is looked at again. */
    static final java.time.Duration RECHECK = java.time.Duration.ofSeconds(15);

    static final String REASON_REQUESTED = "Requested";
    static final String REASON_NOT_INSTALLED = "CertManagerNotInstalled";
    static final String REASON_NOT_PERMITTED = "CertManagerNotEnabled";
    static final String REASON_NOT_OWNED = "CertificateNotOwned";

    private IssuedCertificates() {}

    /** Keeps the app's Certificate as its spec asks: the condition to show, if the app names or named an issuer. */
    static Optional<Conditions.Desired> reconcile(WebApp app, KubernetesClient client) {
        boolean named = app.getSpec().issuerRef() != null;
        boolean hadOne =
                app.getStatus() != null && Conditions.find(app.getStatus().getConditions(), CONDITION) != null;
        if (!named && !hadOne) {
            return Optional.empty();
        }
        Optional<Boolean> installed = CertManagerPresence.installed(client);
        if (installed.isEmpty()) {
            throw new IllegalStateException("could not ask the API server whether cert-manager is installed");
        }
        if (!installed.get()) {
            return named
                    ? Optional.of(new Conditions.Desired(
                            CONDITION,
                            false,
                            REASON_NOT_INSTALLED,
                            "spec.tls.issuerRef " + CertManagerPresence.NOT_INSTALLED))
                    : Optional.empty();
        }
        var certificates = client.genericKubernetesResources(CertManagerPresence.API_VERSION, CertManagerPresence.KIND)
                .inNamespace(app.getMetadata().getNamespace());
        String name = IssuedCertificate.name(app);
        try {
            GenericKubernetesResource current = certificates.withName(name).get();
            boolean ours = current != null && controlledBy(current, app);
            if (!named) {
                if (ours) {
                    certificates.resource(current).delete();
                }
                return Optional.empty();
            }
            String ref = "cert-manager Certificate " + app.getMetadata().getNamespace() + "/" + name;
            if (current != null && !ours) {
                return Optional.of(new Conditions.Desired(
                        CONDITION,
                        false,
                        REASON_NOT_OWNED,
                        ref + " exists and is not this app's; it is left "
                                + "untouched: delete or rename it to let the operator create the app's own"));
            }
            GenericKubernetesResource desired = IssuedCertificate.controlledBy(app);
            if (current == null) {
                certificates.resource(desired).create();
            } else if (!Objects.equals(
                            current.getAdditionalProperties().get("spec"),
                            desired.getAdditionalProperties().get("spec"))
                    || !Objects.equals(
                            current.getMetadata().getLabels(),
                            desired.getMetadata().getLabels())) {
                current.getMetadata().setLabels(desired.getMetadata().getLabels());
                current.getAdditionalProperties()
                        .put("spec", desired.getAdditionalProperties().get("spec"));
                certificates.resource(current).update();
            }
            return Optional.of(new Conditions.Desired(
                    CONDITION,
                    true,
                    REASON_REQUESTED,
                    ref + " asks " + app.getSpec().issuerRef().effectiveKind()
                            + " " + app.getSpec().issuerRef().getName() + " for "
                            + String.join(", ", app.getSpec().effectiveHostNames())
                            + ", into Secret " + app.getSpec().tlsSecretName()));
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
                return named
                        ? Optional.of(
                                new Conditions.Desired(
                                        CONDITION,
                                        false,
                                        REASON_NOT_PERMITTED,
                                        "the operator may not manage "
                                                + "cert-manager Certificates in this namespace: install its chart with certManager.enabled=true"))
                        : Optional.empty();
            }
            throw e;
        }
    }

    private static boolean controlledBy(GenericKubernetesResource resource, WebApp app) {
        return resource.getMetadata().getOwnerReferences() != null
                && resource.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> Boolean.TRUE.equals(o.getController())
                                && Objects.equals(o.getUid(), app.getMetadata().getUid()));
    }
}
