package dev.appservice.operator.validation;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.EgressGateway;
import dev.appservice.operator.api.EgressGatewayProvider;
import dev.appservice.operator.api.SecurityRule;
import dev.appservice.operator.model.Quoted;
import dev.appservice.operator.network.Cidr;
import dev.appservice.operator.network.CidrNotation;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of {@code spec.outbound} that the CRD schema cannot say (it has the provider and 1 to
 * {@link EgressGateway#MAX_ADDRESSES} addresses): the gateway's addresses are IP addresses, each
 * once, as many as the provider can hold (Cilium's egress gateway is IPv4 only and takes one
 * address per policy; Antrea's Egress one address, or one IPv4 and one IPv6); its node selector
 * node labels; and, across environments, an inbound NSG rule that names another environment's VIP
 * (on Azure, its outbound address) while that environment has no fixed outbound address is warned
 * about: its apps leave from their nodes' addresses, so the rule admits none of them.
 */
public final class OutboundRules {
    private static final Pattern LABEL_VALUE = Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$");
    private static final Pattern LABEL_NAME = Pattern.compile(
            "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$");
    private static final int LABEL_VALUE_LENGTH = 63;

    private OutboundRules() {}

    /** The spec's own problems (no other object needed). */
    static void check(String object, AppServiceEnvironment environment, List<Violation> problems) {
        EgressGateway gateway = environment.getSpec().egressGateway().orElse(null);
        if (gateway == null) {
            return;
        }
        String field = "spec.outbound.egressGateway";
        List<String> addresses = gateway.getAddresses() == null ? List.of() : gateway.getAddresses();
        Set<String> seen = new HashSet<>();
        int v4 = 0;
        int v6 = 0;
        for (int i = 0; i < addresses.size(); i++) {
            String address = addresses.get(i);
            String problem = CidrNotation.addressProblem(address);
            if (problem != null) {
                problems.add(Violation.error(object, field + ".addresses[" + i + "]", problem));
                return;
            }
            if (!seen.add(Cidr.address(address).toString())) {
                problems.add(Violation.error(
                        object, field + ".addresses[" + i + "]", Quoted.of(address) + " is listed twice"));
            }
            if (CidrNotation.isIpv4(address)) {
                v4++;
            } else {
                v6++;
            }
        }
        if (gateway.getProvider() == EgressGatewayProvider.Cilium && (v6 > 0 || addresses.size() != 1)) {
            problems.add(Violation.error(
                    object,
                    field + ".addresses",
                    "Cilium's egress gateway holds one IPv4 address per environment (CiliumEgressGatewayPolicy"
                            + " egressGateway.egressIP), got " + addresses.size() + " address"
                            + (addresses.size() == 1 ? "" : "es") + (v6 > 0 ? " with IPv6" : "")));
        }
        if (gateway.getProvider() == EgressGatewayProvider.Antrea && (v4 > 1 || v6 > 1)) {
            problems.add(Violation.error(
                    object,
                    field + ".addresses",
                    "Antrea's Egress holds one address, or one IPv4 and one IPv6 address (dual stack), got " + v4
                            + " IPv4 and " + v6 + " IPv6"));
        }
        if (gateway.getNodeSelector() != null) {
            for (Map.Entry<String, String> label : gateway.getNodeSelector().entrySet()) {
                if (label.getKey() == null
                        || !LABEL_NAME.matcher(label.getKey()).matches()
                        || label.getValue() == null
                        || label.getValue().length() > LABEL_VALUE_LENGTH
                        || !LABEL_VALUE.matcher(label.getValue()).matches()) {
                    problems.add(Violation.error(
                            object,
                            field + ".nodeSelector",
                            "must be node labels (a label key and a label value of at most " + LABEL_VALUE_LENGTH
                                    + " characters), got " + Quoted.of(label.getKey() + "=" + label.getValue())));
                }
            }
        }
    }

    /**
     * Warnings for inbound rules that name another environment's VIP address while that
     * environment has no fixed outbound address: the rule is meant for its apps (the layered
     * security pattern), but matches none of their pods.
     */
    static void checkAgainst(
            String object,
            AppServiceEnvironment environment,
            List<AppServiceEnvironment> others,
            List<Violation> problems) {
        var nsg = environment.getSpec().getNetworkSecurityGroup();
        if (nsg == null || nsg.getInboundRules() == null) {
            return;
        }
        for (AppServiceEnvironment other : others) {
            if (other.getSpec() == null
                    || other.getSpec().egressGateway().isPresent()
                    || other.getStatus() == null
                    || other.getStatus().getVipAddress() == null
                    || !CidrNotation.isAddress(other.getStatus().getVipAddress())
                    || (Objects.equals(
                                    other.getMetadata().getNamespace(),
                                    environment.getMetadata().getNamespace())
                            && Objects.equals(
                                    other.getMetadata().getName(),
                                    environment.getMetadata().getName()))) {
                continue;
            }
            Cidr vip = Cidr.address(other.getStatus().getVipAddress());
            for (SecurityRule rule : nsg.getInboundRules()) {
                if (rule.getSourceAddressPrefixes() == null) {
                    continue;
                }
                boolean names = rule.getSourceAddressPrefixes().stream()
                        .filter(CidrNotation::isValid)
                        .map(Cidr::parse)
                        .anyMatch(prefix -> prefix.prefix() > 0 && prefix.contains(vip));
                if (names) {
                    problems.add(Violation.warning(
                            object,
                            "spec.networkSecurityGroup.inboundRules",
                            "rule '" + rule.getName() + "' (priority " + rule.getPriority() + ") names "
                                    + other.getStatus().getVipAddress() + ", the VIP of environment "
                                    + other.getMetadata().getNamespace() + "/"
                                    + other.getMetadata().getName()
                                    + ", but environment " + other.getMetadata().getName()
                                    + " has no fixed outbound address (spec.outbound.egressGateway): its apps call"
                                    + " from their nodes' addresses, and the rule admits none of its pods"));
                }
            }
        }
    }
}
