package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** TLS for the front ends. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsSettings {

    @JsonPropertyDescription(
            "Name of a kubernetes.io/tls Secret in the ASE's namespace holding a certificate for *.<dnsSuffix>. Without it the front ends serve HTTP only.")
    @Required
    @Size(min = 1, max = 253)
    private String secretName;

    public String getSecretName() {
        return secretName;
    }

    public void setSecretName(String secretName) {
        this.secretName = secretName;
    }
}
