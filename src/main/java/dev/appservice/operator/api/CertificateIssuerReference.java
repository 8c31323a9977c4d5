package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A cert-manager issuer, as cert-manager's own {@code Certificate.spec.issuerRef}: {name, kind, group}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CertificateIssuerReference {
    public static final String DEFAULT_KIND = "Issuer";
    public static final String DEFAULT_GROUP = "cert-manager.io";

    @JsonPropertyDescription("Name of the issuer (an Issuer in the app's namespace, or a ClusterIssuer).")
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    @Size(min = 1, max = 253)
    private String name;

    @JsonPropertyDescription("Kind of the issuer: Issuer (the default), ClusterIssuer, or an external issuer's kind.")
    @Pattern("^[A-Z][A-Za-z0-9]*$")
    @Size(min = 1, max = 63)
    private String kind;

    @JsonPropertyDescription("API group of the issuer: cert-manager.io (the default) or an external issuer's group.")
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    @Size(min = 1, max = 253)
    private String group;

    public String effectiveKind() {
        return kind == null || kind.isBlank() ? DEFAULT_KIND : kind;
    }

    public String effectiveGroup() {
        return group == null || group.isBlank() ? DEFAULT_GROUP : group;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getGroup() {
        return group;
    }

    public void setGroup(String group) {
        this.group = group;
    }
}
