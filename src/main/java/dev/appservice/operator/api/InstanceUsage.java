package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Plan instances used against the ASE's limit (V1: hosts used against 55). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InstanceUsage {

    @JsonPropertyDescription("Plan instances placed in the ASE (V1: hosts: front ends plus worker pools).")
    private Integer used;

    @JsonPropertyDescription("The most the ASE holds (V2: maxInstances; V1: 55 hosts).")
    private Integer limit;

    @JsonPropertyDescription("used/limit, for display.")
    private String summary;

    public Integer getUsed() {
        return used;
    }

    public void setUsed(Integer used) {
        this.used = used;
    }

    public Integer getLimit() {
        return limit;
    }

    public void setLimit(Integer limit) {
        this.limit = limit;
    }

    public String getSummary() {
        return summary;
    }

    public void setSummary(String summary) {
        this.summary = summary;
    }
}
