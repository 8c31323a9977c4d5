package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Where the environment's calls to the Internet come from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OutboundStatus {
    public static final String MODE_NODE = "Node";
    public static final String MODE_EGRESS_GATEWAY = "EgressGateway";

    @JsonPropertyDescription(
            "Node (the apps leave from their nodes' addresses) or EgressGateway (from spec.outbound.egressGateway.addresses).")
    private String mode;

    @JsonPropertyDescription(
            "EgressGateway: the kind of the provider's object the operator wrote (CiliumEgressGatewayPolicy, Egress or EgressIP), so it can remove it when the spec changes.")
    private String provider;

    @JsonPropertyDescription(
            "EgressGateway: the outbound addresses, once the provider reports them assigned (Cilium reports nothing: there, the configured addresses once its policy exists). App Service's outboundIpAddresses.")
    private List<String> addresses;

    @JsonPropertyDescription(
            "Node: the addresses of the nodes that run the environment's apps (App Service's possibleOutboundIpAddresses). Absent unless the operator may read nodes (chart value outbound.readNodes).")
    private List<String> possibleAddresses;

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public String getProvider() {
        return provider;
    }

    public void setProvider(String provider) {
        this.provider = provider;
    }

    public List<String> getAddresses() {
        return addresses;
    }

    public void setAddresses(List<String> addresses) {
        this.addresses = addresses;
    }

    public List<String> getPossibleAddresses() {
        return possibleAddresses;
    }

    public void setPossibleAddresses(List<String> possibleAddresses) {
        this.possibleAddresses = possibleAddresses;
    }
}
