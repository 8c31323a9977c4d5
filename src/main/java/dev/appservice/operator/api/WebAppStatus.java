package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Observed state of a web app. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebAppStatus extends ObservedStatus {

    @JsonPropertyDescription("Plan instances the app runs on.")
    private Integer instances;

    @JsonPropertyDescription("Plan instances where the app is ready.")
    private Integer readyInstances;

    @JsonPropertyDescription("The URLs the app is served at, through the environment's front ends.")
    private List<String> urls;

    public Integer getInstances() {
        return instances;
    }

    public void setInstances(Integer instances) {
        this.instances = instances;
    }

    public Integer getReadyInstances() {
        return readyInstances;
    }

    public void setReadyInstances(Integer readyInstances) {
        this.readyInstances = readyInstances;
    }

    public List<String> getUrls() {
        return urls;
    }

    public void setUrls(List<String> urls) {
        this.urls = urls;
    }
}
