package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Front ends desired and ready. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FrontEndStatus {

    @JsonPropertyDescription("Front ends the ASE should run.")
    private Integer desired;

    @JsonPropertyDescription("Front ends that are ready.")
    private Integer ready;

    @JsonPropertyDescription("ready/desired, for display.")
    private String summary;

    public Integer getDesired() {
        return desired;
    }

    public void setDesired(Integer desired) {
        this.desired = desired;
    }

    public Integer getReady() {
        return ready;
    }

    public void setReady(Integer ready) {
        this.ready = ready;
    }

    public String getSummary() {
        return summary;
    }

    public void setSummary(String summary) {
        this.summary = summary;
    }
}
