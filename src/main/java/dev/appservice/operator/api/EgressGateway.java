package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/** The environment's fixed outbound address(es), held by a CNI's egress gateway. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EgressGateway {
    /** Addresses one gateway object may name (Cilium: one per gateway entry; Antrea and OVN-K take a list). */
    public static final int MAX_ADDRESSES = 8;

    @JsonPropertyDescription(
            "The CNI whose egress gateway holds the address: Cilium (a CiliumEgressGatewayPolicy), Antrea (an Egress) or OVNKubernetes (an EgressIP). The provider's CRD must be installed and, in the operator's chart, egressGateway.enabled=true.")
    @Required
    private EgressGatewayProvider provider;

    @JsonPropertyDescription(
            "The environment's outbound address(es), IPv4 or IPv6, as App Service's outboundIpAddresses: the apps' calls to the Internet leave from them. Another environment's NSG rule whose source prefix contains one of them admits this environment's apps.")
    @Required
    @Size(min = 1, max = MAX_ADDRESSES)
    private List<String> addresses;

    @JsonPropertyDescription(
            "Labels of the gateway nodes, where the provider needs them (Cilium: the nodes that hold the address; Antrea and OVN-K choose among nodes labelled as their own configuration says). Default for Cilium: every node with egress-gateway=true.")
    private Map<String, String> nodeSelector;

    public EgressGatewayProvider getProvider() {
        return provider;
    }

    public void setProvider(EgressGatewayProvider provider) {
        this.provider = provider;
    }

    public List<String> getAddresses() {
        return addresses;
    }

    public void setAddresses(List<String> addresses) {
        this.addresses = addresses;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }
}
