package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** One network security group rule. Rules are evaluated in priority order; the first match decides. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecurityRule {

    @JsonPropertyDescription("Name of the rule, unique in its direction.")
    @Required
    @Pattern("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9_])?$")
    @Size(min = 1, max = 80)
    private String name;

    @JsonPropertyDescription("Priority from 100 to 4096, unique per direction. Lower numbers are evaluated first.")
    @Required
    @Min(100)
    @Max(4096)
    private Integer priority;

    @JsonPropertyDescription("Allow or Deny the matched traffic.")
    @Required
    private RuleAccess access;

    @JsonPropertyDescription("Tcp, Udp or Any. Defaults to Any.")
    @Default("Any")
    private RuleProtocol protocol;

    @JsonPropertyDescription(
            "Inbound rules: sources as CIDRs or the tags Internet, VirtualNetwork, AzureLoadBalancer, AppServiceManagement or \"*\". Defaults to \"*\".")
    @Size(max = 512)
    private List<String> sourceAddressPrefixes;

    @JsonPropertyDescription(
            "Outbound rules: destinations as CIDRs or the tags Internet, VirtualNetwork, AzureLoadBalancer, AppServiceManagement or \"*\". Defaults to \"*\".")
    @Size(max = 512)
    private List<String> destinationAddressPrefixes;

    @JsonPropertyDescription(
            "Destination ports (inbound: ports of the ASE's VIP such as 80, 443, 454), as single ports, ranges like 10001-10020, or \"*\". Defaults to \"*\".")
    @Size(max = 256)
    private List<String> destinationPortRanges;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Integer getPriority() {
        return priority;
    }

    public void setPriority(Integer priority) {
        this.priority = priority;
    }

    public RuleAccess getAccess() {
        return access;
    }

    public void setAccess(RuleAccess access) {
        this.access = access;
    }

    public RuleProtocol getProtocol() {
        return protocol;
    }

    public void setProtocol(RuleProtocol protocol) {
        this.protocol = protocol;
    }

    public List<String> getSourceAddressPrefixes() {
        return sourceAddressPrefixes;
    }

    public void setSourceAddressPrefixes(List<String> sourceAddressPrefixes) {
        this.sourceAddressPrefixes = sourceAddressPrefixes;
    }

    public List<String> getDestinationAddressPrefixes() {
        return destinationAddressPrefixes;
    }

    public void setDestinationAddressPrefixes(List<String> destinationAddressPrefixes) {
        this.destinationAddressPrefixes = destinationAddressPrefixes;
    }

    public List<String> getDestinationPortRanges() {
        return destinationPortRanges;
    }

    public void setDestinationPortRanges(List<String> destinationPortRanges) {
        this.destinationPortRanges = destinationPortRanges;
    }
}
