package dev.appservice.operator.desired;

import dev.appservice.operator.api.CertificateIssuerReference;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.presence.CertManagerPresence;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cert-manager {@code Certificate} (cert-manager.io/v1) an app with {@code spec.tls.issuerRef}
 * asks for: named after the app, for the app's own host names ({@code spec.hostNames}; the
 * environment's certificate serves {@code <app>.<dnsSuffix>}), issued by the app's issuer into
 * {@code spec.tls.secretName}, and controlled by the app (deleted with it).
 */
public final class IssuedCertificate {
    public static final String COMPONENT = "certificate";

    private IssuedCertificate() {}

    /** The Certificate's name: the app's (an object name already). */
    public static String name(WebApp app) {
        return app.getMetadata().getName();
    }

    /** The Certificate as {@code render} shows it; the reconcile adds the app as its controller ({@link #controlledBy}). */
    public static GenericKubernetesResource of(WebApp app) {
        CertificateIssuerReference issuer = app.getSpec().issuerRef();
        Map<String, Object> issuerRef = new LinkedHashMap<>();
        issuerRef.put("name", issuer.getName());
        issuerRef.put("kind", issuer.effectiveKind());
        issuerRef.put("group", issuer.effectiveGroup());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("secretName", app.getSpec().tlsSecretName());
        spec.put("dnsNames", List.copyOf(app.getSpec().effectiveHostNames()));
        spec.put("issuerRef", issuerRef);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(StandardLabels.NAME, "web-app");
        labels.put(
                StandardLabels.INSTANCE,
                ResourceNames.labelValue(app.getMetadata().getName()));
        labels.put(StandardLabels.COMPONENT, COMPONENT);
        labels.put(StandardLabels.MANAGED_BY, StandardLabels.OPERATOR_NAME);
        labels.put(
                StandardLabels.WEBAPP,
                ResourceNames.labelValue(app.getMetadata().getName()));
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(CertManagerPresence.API_VERSION)
                .withKind(CertManagerPresence.KIND)
                .withNewMetadata()
                .withName(name(app))
                .withNamespace(app.getMetadata().getNamespace())
                .withLabels(labels)
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }

    /** The Certificate controlled by the app: deleted with it by the garbage collector. */
    public static GenericKubernetesResource controlledBy(WebApp app) {
        GenericKubernetesResource certificate = of(app);
        certificate
                .getMetadata()
                .setOwnerReferences(List.of(new OwnerReferenceBuilder()
                        .withApiVersion(app.getApiVersion())
                        .withKind(app.getKind())
                        .withName(app.getMetadata().getName())
                        .withUid(app.getMetadata().getUid())
                        .withController(true)
                        .withBlockOwnerDeletion(true)
                        .build()));
        return certificate;
    }
}
