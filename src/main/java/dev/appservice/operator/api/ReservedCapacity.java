package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The capacity the ASE reserves: what platform teams charge back, as Azure bills a v2 ASE per vCPU. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReservedCapacity {

    @JsonPropertyDescription("Capacity of the front ends.")
    private CapacityFigures frontEnds;

    @JsonPropertyDescription("Capacity of the worker instances of all plans (V1: of all worker pools).")
    private CapacityFigures workers;

    @JsonPropertyDescription("Front ends plus workers.")
    private CapacityFigures total;

    public CapacityFigures getFrontEnds() {
        return frontEnds;
    }

    public void setFrontEnds(CapacityFigures frontEnds) {
        this.frontEnds = frontEnds;
    }

    public CapacityFigures getWorkers() {
        return workers;
    }

    public void setWorkers(CapacityFigures workers) {
        this.workers = workers;
    }

    public CapacityFigures getTotal() {
        return total;
    }

    public void setTotal(CapacityFigures total) {
        this.total = total;
    }
}
