package dev.appservice.operator.webapp;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;

/** cert-manager's Certificate CRD, as far as discovery and storage need it: created in the mock server, it means "installed". */
public final class CertManagerCrd {
    private CertManagerCrd() {}

    public static CustomResourceDefinition definition() {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("certificates.cert-manager.io")
                .endMetadata()
                .withNewSpec()
                .withGroup("cert-manager.io")
                .withScope("Namespaced")
                .withNewNames()
                .withKind("Certificate")
                .withListKind("CertificateList")
                .withPlural("certificates")
                .withSingular("certificate")
                .endNames()
                .addNewVersion()
                .withName("v1")
                .withServed(true)
                .withStorage(true)
                .withNewSchema()
                .withNewOpenAPIV3Schema()
                .withType("object")
                .withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema()
                .endSchema()
                .endVersion()
                .endSpec()
                .build();
    }
}
