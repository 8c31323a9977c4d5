package dev.appservice.operator.network;

import dev.appservice.operator.api.RuleAccess;
import dev.appservice.operator.api.RuleProtocol;
import dev.appservice.operator.api.SecurityRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reference evaluator: decides a flow the way Azure does, straight from the contract, sharing no
 * code with the compiler. Rules sorted by priority, default rules below them, first match wins.
 */
final class AzureNsgEvaluator {

    /** A peer of a flow: an address, or a pod in a namespace with labels. */
    sealed interface Peer permits Address, Pod, FromAddress {}

    /** A pod of another environment as its calls arrive: from one of its outbound addresses. */
    record FromAddress(Pod pod, String address) implements Peer {}

    record Address(String ip) implements Peer {}

    record Pod(String namespace, Map<String, String> namespaceLabels, Map<String, String> podLabels) implements Peer {}

    /**
     * The network as the NSG of one environment ({@code environmentNamespace/environmentName}) sees
     * it. Pods of any other environment (they carry the environment label) are Internet peers,
     * never VirtualNetwork ones, as calls between ASEs are on Azure.
     */
    record Network(
            String vnetName,
            List<String> vnetCidrs,
            List<String> loadBalancerCidrs,
            String operatorNamespace,
            String environmentNamespace,
            String environmentName,
            Map<String, List<String>> fixedOutbound) {

        Network(
                String vnetName,
                List<String> vnetCidrs,
                List<String> loadBalancerCidrs,
                String operatorNamespace,
                String environmentNamespace,
                String environmentName) {
            this(
                    vnetName,
                    vnetCidrs,
                    loadBalancerCidrs,
                    operatorNamespace,
                    environmentNamespace,
                    environmentName,
                    Map.of());
        }

        /**
         * The outbound addresses a pod's calls arrive from, from the contract (API.md, "Outbound
         * traffic"): a pod of another environment with a fixed outbound address that carries the
         * label its gateway selects (only its app pods do); else none.
         */
        List<String> outboundAddresses(Pod pod) {
            if (!ofOtherEnvironment(pod)
                    || !"egress-gateway".equals(pod.podLabels().get("appservice.dev/outbound"))) {
                return List.of();
            }
            return fixedOutbound.getOrDefault(
                    pod.namespace() + "/" + pod.podLabels().get("appservice.dev/environment"), List.of());
        }

        boolean ofOtherEnvironment(Pod pod) {
            String environment = pod.podLabels().get("appservice.dev/environment");
            return environment != null
                    && !(environment.equals(environmentName) && pod.namespace().equals(environmentNamespace));
        }
    }

    private AzureNsgEvaluator() {}

    static boolean decide(
            List<SecurityRule> userRules, boolean inbound, Network network, Peer peer, String protocol, int port) {
        if (inbound
                && peer instanceof Pod pod
                && !network.outboundAddresses(pod).isEmpty()) {
            // Another environment's app calls from its outbound addresses: as on Azure, a source
            // prefix containing the address matches it (and its tags as any other environment's
            // pod). It is admitted when every one of its addresses is: its calls may leave from any.
            return network.outboundAddresses(pod).stream()
                    .allMatch(address ->
                            firstMatch(userRules, true, network, new FromAddress(pod, address), protocol, port)
                                            .getAccess()
                                    == RuleAccess.Allow);
        }
        return firstMatch(userRules, inbound, network, peer, protocol, port).getAccess() == RuleAccess.Allow;
    }

    static SecurityRule firstMatch(
            List<SecurityRule> userRules, boolean inbound, Network network, Peer peer, String protocol, int port) {
        List<SecurityRule> rules = new ArrayList<>(userRules == null ? List.of() : userRules);
        if (inbound) {
            rules.add(rule("AllowVnetInBound", 65000, RuleAccess.Allow, "VirtualNetwork"));
            rules.add(rule("AllowAzureLoadBalancerInBound", 65001, RuleAccess.Allow, "AzureLoadBalancer"));
            rules.add(rule("DenyAllInBound", 65500, RuleAccess.Deny, "*"));
        } else {
            rules.add(rule("AllowVnetOutBound", 65000, RuleAccess.Allow, "VirtualNetwork"));
            rules.add(rule("AllowInternetOutBound", 65001, RuleAccess.Allow, "Internet"));
            rules.add(rule("DenyAllOutBound", 65500, RuleAccess.Deny, "*"));
        }
        rules.sort(Comparator.comparing(SecurityRule::getPriority));
        // The operator's addition (API.md, "Isolation"): a link-local metadata address is matched
        // only by a user rule naming a CIDR that contains it; tags and the defaults never match it.
        boolean metadata = !inbound && peer instanceof Address a && isMetadata(a.ip());
        if (metadata) {
            rules.removeIf(r -> r.getPriority() >= 65000);
        }
        for (SecurityRule r : rules) {
            RuleProtocol p = r.getProtocol() == null ? RuleProtocol.Any : r.getProtocol();
            if (p != RuleProtocol.Any && !p.name().equalsIgnoreCase(protocol)) {
                continue;
            }
            List<String> ports = r.getDestinationPortRanges() == null
                            || r.getDestinationPortRanges().isEmpty()
                    ? List.of("*")
                    : r.getDestinationPortRanges();
            if (ports.stream().noneMatch(range -> portIn(range, port))) {
                continue;
            }
            List<String> prefixes = inbound ? r.getSourceAddressPrefixes() : r.getDestinationAddressPrefixes();
            if (prefixes == null || prefixes.isEmpty()) {
                prefixes = List.of("*");
            }
            if (prefixes.stream()
                    .filter(prefix -> !metadata || prefix.contains("/"))
                    .anyMatch(prefix -> matches(prefix, network, peer))) {
                return r;
            }
        }
        if (metadata) {
            return rule("DenyMetadataOutBound", 65499, RuleAccess.Deny, "*");
        }
        throw new AssertionError("DenyAll matches everything");
    }

    /** The link-local metadata addresses of the contract, written out independently of the compiler. */
    static boolean isMetadata(String ip) {
        return IpMath.contains("169.254.169.254/32", ip) || IpMath.contains("fd00:ec2::254/128", ip);
    }

    /**
     * Whether a peer can reach an Internal environment's front ends at all (an ILB address): pods
     * of namespaces labelled for its virtual network; addresses of the virtual network, the load
     * balancer or the trusted proxies.
     */
    static boolean reachesInternalLoadBalancer(Network network, List<String> trustedProxies, Peer peer) {
        if (peer instanceof Pod pod) {
            return network.vnetName().equals(pod.namespaceLabels().get("appservice.dev/virtual-network"));
        }
        String ip = ((Address) peer).ip();
        return java.util.stream.Stream.of(network.vnetCidrs(), network.loadBalancerCidrs(), trustedProxies)
                .flatMap(List::stream)
                .anyMatch(c -> IpMath.contains(c, ip));
    }

    static SecurityRule rule(String name, int priority, RuleAccess access, String prefix) {
        SecurityRule r = new SecurityRule();
        r.setName(name);
        r.setPriority(priority);
        r.setAccess(access);
        r.setProtocol(RuleProtocol.Any);
        r.setSourceAddressPrefixes(List.of(prefix));
        r.setDestinationAddressPrefixes(List.of(prefix));
        r.setDestinationPortRanges(List.of("*"));
        return r;
    }

    private static boolean portIn(String range, int port) {
        if (range.equals("*")) {
            return true;
        }
        String[] parts = range.split("-");
        int from = Integer.parseInt(parts[0]);
        int to = parts.length > 1 ? Integer.parseInt(parts[1]) : from;
        return port >= from && port <= to;
    }

    private static boolean matches(String prefix, Network network, Peer peer) {
        if (prefix.equals("*")) {
            return true;
        }
        if (peer instanceof FromAddress from) {
            return prefix.contains("/")
                    ? IpMath.contains(prefix, from.address())
                    : matches(prefix, network, from.pod());
        }
        if (peer instanceof Pod pod) {
            boolean otherEnvironment = network.ofOtherEnvironment(pod);
            return switch (prefix) {
                case "VirtualNetwork" ->
                    !otherEnvironment
                            && network.vnetName().equals(pod.namespaceLabels().get("appservice.dev/virtual-network"));
                case "Internet" -> otherEnvironment; // calls between ASEs are Internet calls
                case "AppServiceManagement" -> network.operatorNamespace().equals(pod.namespace());
                default -> false; // addresses and AzureLoadBalancer never match a pod
            };
        }
        String ip = ((Address) peer).ip();
        return switch (prefix) {
            case "VirtualNetwork" -> network.vnetCidrs().stream().anyMatch(c -> IpMath.contains(c, ip));
            case "Internet" -> network.vnetCidrs().stream().noneMatch(c -> IpMath.contains(c, ip));
            case "AzureLoadBalancer" -> network.loadBalancerCidrs().stream().anyMatch(c -> IpMath.contains(c, ip));
            case "AppServiceManagement" -> false;
            default -> IpMath.contains(prefix, ip);
        };
    }
}
