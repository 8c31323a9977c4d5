package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;

/** Observed state of an Isolated App Service plan. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IsolatedPlanStatus extends ObservedStatus {

    @JsonPropertyDescription("Worker instances the plan runs (the scale subresource's status replicas).")
    @StatusReplicas
    private Integer instances;

    @JsonPropertyDescription("Worker instances that are ready.")
    private Integer readyInstances;

    @JsonPropertyDescription("Label selector of the plan's worker pods (for the scale subresource and HPA).")
    @LabelSelector
    private String selector;

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

    public String getSelector() {
        return selector;
    }

    public void setSelector(String selector) {
        this.selector = selector;
    }
}
