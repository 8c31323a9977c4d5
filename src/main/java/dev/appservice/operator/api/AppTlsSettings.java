package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * An app's own certificate for its extra host names ({@code spec.hostNames}), chosen by SNI at the
 * front ends; the environment's certificate keeps serving {@code <app>.<dnsSuffix>}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AppTlsSettings {

    @JsonPropertyDescription(
            "Name of a kubernetes.io/tls Secret in the app's namespace whose certificate the front ends serve for the app's spec.hostNames (by SNI). While it is missing or not a valid key pair, the app reports CertificateReady=False and those names are served with the environment's certificate. With issuerRef, cert-manager writes the certificate into this Secret.")
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    @Size(min = 1, max = 253)
    private String secretName;

    @JsonPropertyDescription(
            "A cert-manager issuer that issues the certificate: the operator then owns a cert-manager Certificate (named after the app) for the app's spec.hostNames, written into secretName. Needs cert-manager installed in the cluster.")
    private CertificateIssuerReference issuerRef;

    public String getSecretName() {
        return secretName;
    }

    public void setSecretName(String secretName) {
        this.secretName = secretName;
    }

    public CertificateIssuerReference getIssuerRef() {
        return issuerRef;
    }

    public void setIssuerRef(CertificateIssuerReference issuerRef) {
        this.issuerRef = issuerRef;
    }
}
