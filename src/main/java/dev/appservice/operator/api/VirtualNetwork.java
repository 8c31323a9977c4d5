package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The virtual network an App Service Environment lives in. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VirtualNetwork {

    @JsonPropertyDescription(
            "Name of the virtual network. Namespaces labelled appservice.dev/virtual-network=<name> belong to it.")
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @Size(min = 1, max = 63)
    private String name;

    @JsonPropertyDescription("The ASE's subnet as a CIDR (IPv4 or IPv6), e.g. 10.0.1.0/24.")
    @Required
    @Pattern("^[0-9a-fA-F:.]+/[0-9]{1,3}$")
    private String subnet;

    @JsonPropertyDescription("Further CIDRs that count as part of the virtual network (the NSG's VirtualNetwork tag).")
    @Size(max = 64)
    private List<String> addressPrefixes;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getSubnet() {
        return subnet;
    }

    public void setSubnet(String subnet) {
        this.subnet = subnet;
    }

    public List<String> getAddressPrefixes() {
        return addressPrefixes;
    }

    public void setAddressPrefixes(List<String> addressPrefixes) {
        this.addressPrefixes = addressPrefixes;
    }
}
