package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Inbound and outbound rules that control the ASE's traffic, with Azure's semantics (priority order, first match wins, default rules below all user rules). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkSecurityGroup {

    @JsonPropertyDescription("Inbound rules, applied to traffic reaching the ASE's VIP.")
    @Size(max = 4096)
    private List<SecurityRule> inboundRules;

    @JsonPropertyDescription("Outbound rules, applied to traffic leaving the ASE's pods.")
    @Size(max = 4096)
    private List<SecurityRule> outboundRules;

    public List<SecurityRule> getInboundRules() {
        return inboundRules;
    }

    public void setInboundRules(List<SecurityRule> inboundRules) {
        this.inboundRules = inboundRules;
    }

    public List<SecurityRule> getOutboundRules() {
        return outboundRules;
    }

    public void setOutboundRules(List<SecurityRule> outboundRules) {
        this.outboundRules = outboundRules;
    }
}
