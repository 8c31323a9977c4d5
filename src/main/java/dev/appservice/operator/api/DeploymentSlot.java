package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;

/**
 * A deployment slot of an app: a separately running copy on the app's plan with its own image and
 * settings, served at {@code <app>-<slot>.<dnsSuffix>}. What it does not set (health check path,
 * access restrictions) is the app's; its {@code env} entries override the app's of the same name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeploymentSlot {

    @JsonPropertyDescription(
            "Name of the slot: a DNS label (lowercase letters, digits, '-'), not 'production'; the slot is served at <app>-<slot>.<dnsSuffix>.")
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @Size(min = 1, max = 63)
    private String name;

    @JsonPropertyDescription("Container image the slot runs.")
    @Required
    @Size(min = 1, max = 512)
    private String image;

    @JsonPropertyDescription(
            "Environment variables of the slot's container: the app's, with these added or overriding those of the same name.")
    @Size(max = WebAppSpec.MAX_ENV)
    private List<EnvVar> env;

    @JsonPropertyDescription("HTTP path the slot answers when healthy; the app's when not set.")
    @Pattern("^/.*$")
    @Size(max = 1024)
    private String healthCheckPath;

    @JsonPropertyDescription("Access restrictions of the slot's host name; the app's when not set.")
    @Size(max = WebAppSpec.MAX_ACCESS_RULES)
    private List<AccessRestriction> accessRestrictions;

    @JsonPropertyDescription(
            "Percentage of the production host names' clients sent to this slot, each kept on its side by the x-ms-routing-name cookie (0 to 100; the slots' total at most 100).")
    @Min(0)
    @Max(100)
    private Integer trafficPercent;

    @JsonPropertyDescription(
            "The uid the slot's container runs as; the app's spec.runAsUser (else the image's own user) when not set.")
    @Min(0)
    @Max(2147483647)
    private Long runAsUser;

    @JsonPropertyDescription(
            "The gid the slot's container runs as; the app's spec.runAsGroup (else the image's own group) when not set.")
    @Min(0)
    @Max(2147483647)
    private Long runAsGroup;

    public Long getRunAsUser() {
        return runAsUser;
    }

    public void setRunAsUser(Long runAsUser) {
        this.runAsUser = runAsUser;
    }

    public Long getRunAsGroup() {
        return runAsGroup;
    }

    public void setRunAsGroup(Long runAsGroup) {
        this.runAsGroup = runAsGroup;
    }

    public int effectiveTrafficPercent() {
        return trafficPercent == null ? 0 : trafficPercent;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public List<EnvVar> getEnv() {
        return env;
    }

    public void setEnv(List<EnvVar> env) {
        this.env = env;
    }

    public String getHealthCheckPath() {
        return healthCheckPath;
    }

    public void setHealthCheckPath(String healthCheckPath) {
        this.healthCheckPath = healthCheckPath;
    }

    public List<AccessRestriction> getAccessRestrictions() {
        return accessRestrictions;
    }

    public void setAccessRestrictions(List<AccessRestriction> accessRestrictions) {
        this.accessRestrictions = accessRestrictions;
    }

    public Integer getTrafficPercent() {
        return trafficPercent;
    }

    public void setTrafficPercent(Integer trafficPercent) {
        this.trafficPercent = trafficPercent;
    }
}
