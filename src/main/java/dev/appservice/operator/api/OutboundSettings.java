package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How the environment's apps reach the Internet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OutboundSettings {

    @JsonPropertyDescription(
            "A fixed outbound address held by the CNI's egress gateway. Without it the apps leave from the addresses of the nodes they run on (status.outbound.mode Node).")
    private EgressGateway egressGateway;

    public EgressGateway getEgressGateway() {
        return egressGateway;
    }

    public void setEgressGateway(EgressGateway egressGateway) {
        this.egressGateway = egressGateway;
    }
}
