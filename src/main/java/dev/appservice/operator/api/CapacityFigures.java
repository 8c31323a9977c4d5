package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Vertical capacity: vCPUs and memory reserved by pods of the ASE. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CapacityFigures {

    @JsonPropertyDescription("vCPUs reserved (requests of the pods).")
    private Integer vcpus;

    @JsonPropertyDescription("Memory reserved, as a Kubernetes quantity.")
    private String memory;

    public Integer getVcpus() {
        return vcpus;
    }

    public void setVcpus(Integer vcpus) {
        this.vcpus = vcpus;
    }

    public String getMemory() {
        return memory;
    }

    public void setMemory(String memory) {
        this.memory = memory;
    }
}
