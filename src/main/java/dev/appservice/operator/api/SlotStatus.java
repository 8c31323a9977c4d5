package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What one deployment slot's host name serves. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SlotStatus {

    @JsonPropertyDescription("The slot's name.")
    private String name;

    @JsonPropertyDescription("The URL the slot is served at.")
    private String url;

    @JsonPropertyDescription(
            "The deployment the slot's host name routes to: the slot's own, or 'production' (the app's) while the slot is swapped into production.")
    private String deployment;

    @JsonPropertyDescription("The image served at the slot's URL.")
    private String image;

    @JsonPropertyDescription("Ready instances of the deployment served at the slot's URL.")
    private Integer readyInstances;

    @JsonPropertyDescription("Percentage of the production host names' clients routed to the slot's URL's deployment.")
    private Integer trafficPercent;

    @JsonPropertyDescription(
            "Why the slot's instances do not serve, when they do not (ImagePullFailed, ContainerExited, OutOfMemory, Unschedulable, StartTimeLimitExceeded, HealthCheckFailing, ImageRunsAsRoot, ...).")
    private String reason;

    @JsonPropertyDescription(
            "The platform's words for the reason: the registry's message, the exit code and last lines, ...")
    private String message;

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getDeployment() {
        return deployment;
    }

    public void setDeployment(String deployment) {
        this.deployment = deployment;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public Integer getReadyInstances() {
        return readyInstances;
    }

    public void setReadyInstances(Integer readyInstances) {
        this.readyInstances = readyInstances;
    }

    public Integer getTrafficPercent() {
        return trafficPercent;
    }

    public void setTrafficPercent(Integer trafficPercent) {
        this.trafficPercent = trafficPercent;
    }
}
