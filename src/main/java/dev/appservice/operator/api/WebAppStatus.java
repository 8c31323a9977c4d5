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

    @JsonPropertyDescription(
            "The deployment serving the production host names: 'production' (the app's own) or the slot swapped in. Moves to spec.production once that slot is ready.")
    private String production;

    @JsonPropertyDescription("The image serving the production host names.")
    private String productionImage;

    @JsonPropertyDescription(
            "The deployments ('production' and slot names) the plan has given room to. Kept while the app runs: no app or slot admitted later takes that room; a newcomer waits instead.")
    private List<String> admittedDeployments;

    @JsonPropertyDescription(
            "The deployment slots: per slot its URL, what it serves, its ready instances and its traffic share.")
    private List<SlotStatus> slots;

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

    public String getProduction() {
        return production;
    }

    public void setProduction(String production) {
        this.production = production;
    }

    public String getProductionImage() {
        return productionImage;
    }

    public void setProductionImage(String productionImage) {
        this.productionImage = productionImage;
    }

    public List<String> getAdmittedDeployments() {
        return admittedDeployments;
    }

    public void setAdmittedDeployments(List<String> admittedDeployments) {
        this.admittedDeployments = admittedDeployments;
    }

    public List<SlotStatus> getSlots() {
        return slots;
    }

    public void setSlots(List<SlotStatus> slots) {
        this.slots = slots;
    }
}
