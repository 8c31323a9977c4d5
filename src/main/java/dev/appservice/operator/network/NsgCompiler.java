package dev.appservice.operator.network;

import dev.appservice.operator.api.AppServiceEnvironmentSpec;
import dev.appservice.operator.api.LoadBalancerType;
import dev.appservice.operator.api.NetworkSecurityGroup;
import dev.appservice.operator.api.RuleAccess;
import dev.appservice.operator.api.RuleProtocol;
import dev.appservice.operator.api.SecurityRule;
import dev.appservice.operator.config.NetworkSettings;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.model.VipPorts;
import dev.appservice.operator.network.FlowDecisions.Verdicts;
import dev.appservice.operator.network.RuleTable.Rule;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Compiles an environment's network security group into NetworkPolicies that admit exactly the
 * traffic Azure would, although NetworkPolicies can only allow and add up while NSG rules allow or
 * deny in priority order, first match wins, above fixed default rules.
 *
 * <p>For each protocol and port it decides, once per kind of peer, what Azure does (see
 * {@link FlowDecisions}); the allowed peers become namespace selectors (for pods: a Deny on a
 * tag above an Allow on "*" becomes a {@code NotIn} selector) and ipBlocks with excepts (for
 * addresses: a Deny on a CIDR above a broader Allow becomes an except); ports with the same
 * allowed peers share one rule. Inbound rules guard the front ends and see VIP ports, translated
 * to the ports the front ends listen on; outbound rules guard every pod of the environment.
 * Traffic between the environment's own pods is allowed, except that app pods (workers) accept
 * only the environment's front ends: one app cannot call another app's pods directly. An Internal
 * environment's front ends accept only its virtual network, trusted proxies and the load balancer,
 * NSG or not; no pod reaches the link-local metadata addresses unless an outbound rule names
 * them. Pure functions: no client.
 */
public final class NsgCompiler {
    static final String KUBERNETES_NAMESPACE_LABEL = "kubernetes.io/metadata.name";
    static final List<String> PROTOCOLS = List.of("TCP", "UDP");
    static final int DNS_PORT = 53;
    /**
     * Link-local metadata addresses (the node's instance metadata and credentials on most clouds):
     * the environment's pods cannot reach them unless an outbound rule naming a CIDR that contains
     * them allows it (tags and the default rules never match them).
     */
    public static final List<String> METADATA_CIDRS = List.of("169.254.169.254/32", "fd00:ec2::254/128");
    /** Every IPv4 and every IPv6 address: the egress of an environment without outbound rules, less the metadata addresses. */
    static final List<String> ALL_ADDRESSES = List.of("0.0.0.0/0", "::/0");

    /** Something the user should know about the rules, reported on the environment. */
    public record Finding(String conditionType, String reason, String message) {}

    /**
     * The policies to apply and what they mean for the environment. A policy that would be too
     * large for the API server is not built: it is named in {@code oversized} instead, and the
     * environment is held (admission refuses such an NSG).
     */
    public record Result(List<NetworkPolicy> policies, List<Finding> findings, List<Oversize> oversized) {
        public Result(List<NetworkPolicy> policies, List<Finding> findings) {
            this(policies, findings, List.of());
        }
    }

    /**
     * A compiled policy too large for the API server: which policy, about how large, and the rules
     * that make it large (the direction's field and the rules with their priorities).
     */
    public record Oversize(String policy, String field, long estimatedBytes, List<String> largestRules) {
        public String message() {
            return "would compile into NetworkPolicy " + policy + " of about " + kibibytes(estimatedBytes)
                    + " KiB (limit "
                    + kibibytes(POLICY_BYTES_LIMIT) + " KiB, below the API server's 1.5 MiB per object): "
                    + (largestRules.isEmpty()
                            ? "too many separate port ranges and prefixes"
                            : "rules " + String.join(", ", largestRules) + " contribute most")
                    + "; allow fewer separate CIDRs, or give them the same port ranges";
        }

        private static long kibibytes(long bytes) {
            return (bytes + 1023) / 1024;
        }
    }

    /**
     * The API server stores an object of at most 1.5 MiB: a compiled policy is kept to 1 MiB of
     * JSON, estimated from above, leaving room for metadata and managed fields.
     */
    public static final long POLICY_BYTES_LIMIT = 1024 * 1024;
    /** JSON bytes of a policy rule's own braces and keys. */
    static final int RULE_BYTES = 32;
    /** JSON bytes of one port entry at most: {"protocol":"TCP","port":65535,"endPort":65535}. */
    static final int PORT_BYTES = 52;
    /** JSON bytes of a namespace/pod selector peer at most (two expressions, the longest label values). */
    static final int POD_PEER_BYTES = 400;
    /** JSON bytes of an ipBlock peer besides its CIDR texts. */
    static final int IP_BLOCK_BYTES = 40;
    /** JSON bytes per except entry besides its CIDR text. */
    static final int EXCEPT_BYTES = 3;
    /** How many of the rules that make a policy large a refusal names. */
    static final int LARGEST_RULES_NAMED = 5;
    /**
     * Port entries held while trying the by-peer encoding; past this it cannot be the smaller one
     * anyway (it would exceed the limit), so it is given up, which bounds the compiler's memory.
     */
    static final long BY_PEER_PORT_ENTRIES_LIMIT = 4 * POLICY_BYTES_LIMIT / PORT_BYTES;

    private NsgCompiler() {}

    public static String frontEndPolicyName(String environment) {
        return ResourceNames.child(environment, "frontend-ingress");
    }

    public static String workerPolicyName(String environment) {
        return ResourceNames.child(environment, "workers-ingress");
    }

    public static String egressPolicyName(String environment) {
        return ResourceNames.child(environment, "egress");
    }

    public static Result compile(EnvironmentTopology topology, NetworkSettings settings) {
        return compile(topology, settings, List.of(), true);
    }

    /**
     * With the other environments that have fixed outbound addresses: an inbound rule whose source
     * prefix contains one's address admits that environment's app pods ({@link FixedOutbound}).
     */
    public static Result compile(EnvironmentTopology topology, NetworkSettings settings, List<FixedOutbound> fixed) {
        return compile(topology, settings, fixed, true);
    }

    /**
     * What admission needs, without building any policy: the findings and the policies that would
     * be too large for the API server. Costs about a compilation (BENCHMARKS.md).
     */
    public static Result assess(EnvironmentTopology topology, NetworkSettings settings) {
        return compile(topology, settings, List.of(), false);
    }

    /** {@link #assess} with the other environments' fixed outbound addresses. */
    public static Result assess(EnvironmentTopology topology, NetworkSettings settings, List<FixedOutbound> fixed) {
        return compile(topology, settings, fixed, false);
    }

    /** The policies that would be too large for the API server, without building any policy. */
    public static List<Oversize> oversized(EnvironmentTopology topology, NetworkSettings settings) {
        return assess(topology, settings).oversized();
    }

    private static Result compile(
            EnvironmentTopology topology, NetworkSettings settings, List<FixedOutbound> fixed, boolean build) {
        NetworkSecurityGroup nsg = topology.environment().getSpec().getNetworkSecurityGroup();
        List<NetworkPolicy> policies = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        List<Oversize> oversized = new ArrayList<>();
        policies.add(workerPolicy(topology));
        Context context = new Context(topology, settings, fixed);
        if (nsg != null) {
            frontEndPolicy(context, nsg.getInboundRules(), findings, oversized, build)
                    .ifPresent(policies::add);
        } else if (context.internal()) {
            // An ILB is reachable only from its virtual network, its load balancer and trusted proxies.
            frontEndPolicy(context, reachableRule(), new ArrayList<>(), oversized, build)
                    .ifPresent(policies::add);
        }
        if (nsg != null
                && nsg.getOutboundRules() != null
                && !nsg.getOutboundRules().isEmpty()) {
            egressPolicy(context, nsg.getOutboundRules(), findings, oversized, build)
                    .ifPresent(policies::add);
        } else {
            policies.add(openEgressPolicy(topology));
        }
        return new Result(policies, findings, oversized);
    }

    /**
     * Only what the rules mean for the environment (management or DNS blocked), without building
     * the policies: what admission warns about, at a fraction of a compilation's cost.
     */
    public static List<Finding> findings(EnvironmentTopology topology, NetworkSettings settings) {
        NetworkSecurityGroup nsg = topology.environment().getSpec().getNetworkSecurityGroup();
        List<Finding> findings = new ArrayList<>();
        if (nsg != null) {
            Context context = new Context(topology, settings, List.of());
            managementFinding(context.decisions(RuleTable.inbound(nsg.getInboundRules())))
                    .ifPresent(findings::add);
            if (nsg.getOutboundRules() != null && !nsg.getOutboundRules().isEmpty()) {
                dnsFinding(context.decisions(RuleTable.outbound(nsg.getOutboundRules())))
                        .ifPresent(findings::add);
            }
        }
        return findings;
    }

    /** What every policy needs to know: the environment, its virtual network and the cluster's settings. */
    private record Context(
            EnvironmentTopology topology,
            NetworkSettings settings,
            String vnetName,
            List<Cidr> vnet,
            List<Cidr> loadBalancer,
            List<Cidr> pods,
            List<Cidr> trusted,
            boolean internal,
            List<FixedOutbound> fixed) {
        Context(EnvironmentTopology topology, NetworkSettings settings, List<FixedOutbound> fixed) {
            this(
                    topology,
                    settings,
                    topology.environment().getSpec().getVirtualNetwork().getName(),
                    vnetCidrs(topology.environment().getSpec()),
                    settings.azureLoadBalancerCidrs().stream().map(Cidr::parse).toList(),
                    settings.podCidrs().stream().map(Cidr::parse).toList(),
                    trustedProxies(topology.environment().getSpec()),
                    topology.environment().getSpec().effectiveLoadBalancerType() == LoadBalancerType.Internal,
                    List.copyOf(fixed));
        }

        /** Inbound decisions: the trusted proxies told apart, for an Internal environment's front ends. */
        FlowDecisions decisions(RuleTable table) {
            return new FlowDecisions(table, vnet, loadBalancer, pods, trusted, List.of());
        }

        /** Outbound decisions: the metadata addresses told apart, denied unless a rule names them. */
        FlowDecisions outboundDecisions(RuleTable table) {
            return new FlowDecisions(
                    table,
                    vnet,
                    loadBalancer,
                    pods,
                    List.of(),
                    METADATA_CIDRS.stream().map(Cidr::parse).toList());
        }
    }

    /**
     * Which inbound peers can reach the front ends at all, whatever the rules: everything for an
     * External environment; for an Internal one (an ILB address) only pods of namespaces of its
     * virtual network and addresses of the virtual network, the load balancer and the trusted
     * proxies. Outbound, everything.
     */
    private record Reach(Context context, FlowDecisions decisions, boolean inbound) {
        boolean pod(int podClass) {
            return !(inbound && context.internal()) || (podClass & FlowDecisions.VNET) != 0;
        }

        boolean node(int node) {
            return !(inbound && context.internal()) || decisions.internallyReachable(node);
        }
    }

    /** The lowest user priority: below any rule a user could write. */
    static final int LOWEST_USER_PRIORITY = 4096;

    /**
     * Without an NSG, an Internal environment's front ends accept whatever can reach its ILB: one
     * rule admitting everything, narrowed by {@link Reach} to the virtual network (pods of other
     * environments in its namespaces included), the load balancer and the trusted proxies.
     */
    private static List<SecurityRule> reachableRule() {
        SecurityRule rule = new SecurityRule();
        rule.setName("AllowInternalLoadBalancerInBound");
        rule.setPriority(LOWEST_USER_PRIORITY);
        rule.setAccess(RuleAccess.Allow);
        rule.setProtocol(RuleProtocol.Any);
        rule.setSourceAddressPrefixes(List.of(RuleTable.ANY));
        rule.setDestinationPortRanges(List.of(RuleTable.ANY));
        return List.of(rule);
    }

    static List<Cidr> trustedProxies(AppServiceEnvironmentSpec spec) {
        if (spec.getFrontEnd() == null || spec.getFrontEnd().getTrustedProxies() == null) {
            return List.of();
        }
        return spec.getFrontEnd().getTrustedProxies().stream().map(Cidr::parse).toList();
    }

    static List<Cidr> vnetCidrs(AppServiceEnvironmentSpec spec) {
        List<Cidr> cidrs = new ArrayList<>();
        cidrs.add(Cidr.parse(spec.getVirtualNetwork().getSubnet()));
        if (spec.getVirtualNetwork().getAddressPrefixes() != null) {
            spec.getVirtualNetwork().getAddressPrefixes().stream()
                    .map(Cidr::parse)
                    .forEach(cidrs::add);
        }
        return cidrs;
    }

    private static NetworkPolicy workerPolicy(EnvironmentTopology topology) {
        return policy(
                        topology,
                        workerPolicyName(topology.name()),
                        StandardLabels.roleSelector(topology.name(), StandardLabels.ROLE_WORKER),
                        "Ingress")
                .editSpec()
                .withIngress(new NetworkPolicyIngressRuleBuilder()
                        .withFrom(new NetworkPolicyPeerBuilder()
                                .withPodSelector(matchLabels(
                                        StandardLabels.roleSelector(topology.name(), StandardLabels.ROLE_FRONT_END)))
                                .build())
                        .build())
                .endSpec()
                .build();
    }

    /**
     * The egress of an environment without outbound rules: every pod and every address but the
     * link-local metadata addresses.
     */
    private static NetworkPolicy openEgressPolicy(EnvironmentTopology topology) {
        List<NetworkPolicyPeer> to = new ArrayList<>();
        to.add(new NetworkPolicyPeerBuilder()
                .withNamespaceSelector(new LabelSelector())
                .build());
        for (String all : ALL_ADDRESSES) {
            Cidr block = Cidr.parse(all);
            to.add(new NetworkPolicyPeerBuilder()
                    .withIpBlock(new IPBlock(
                            all,
                            METADATA_CIDRS.stream()
                                    .filter(m -> block.contains(Cidr.parse(m)))
                                    .toList()))
                    .build());
        }
        return policy(
                        topology,
                        egressPolicyName(topology.name()),
                        Map.of(StandardLabels.ENVIRONMENT, ResourceNames.labelValue(topology.name())),
                        "Egress")
                .editSpec()
                .withEgress(new NetworkPolicyEgressRuleBuilder().withTo(to).build())
                .endSpec()
                .build();
    }

    private static Optional<NetworkPolicy> frontEndPolicy(
            Context context,
            List<SecurityRule> inbound,
            List<Finding> findings,
            List<Oversize> oversized,
            boolean build) {
        EnvironmentTopology topology = context.topology();
        FlowDecisions decisions = context.decisions(RuleTable.inbound(inbound));
        Reach reach = new Reach(context, decisions, true);
        boolean tls = topology.environment().getSpec().tlsSecretName() != null;
        // Group the served ports by the peers they admit: ports with the same peers share a rule.
        Map<String, PeerGroup> groups = new LinkedHashMap<>();
        for (String protocol : PROTOCOLS) {
            for (VipPorts.Mapping port : VipPorts.served(tls)) {
                Verdicts verdicts = decisions.decide(protocol, port.vipPort(), true);
                boolean[] fixedAllowed = new boolean[context.fixed().size()];
                for (int i = 0; i < fixedAllowed.length; i++) {
                    FixedOutbound other = context.fixed().get(i);
                    fixedAllowed[i] = decisions
                            .fixedOutbound(
                                    protocol,
                                    port.vipPort(),
                                    other.cidrs(),
                                    other.namespace().equals(context.settings().operatorNamespace()))
                            .allow();
                }
                PeerGroup group = groups.computeIfAbsent(
                        signature(verdicts) + Arrays.toString(fixedAllowed),
                        k -> new PeerGroup(verdicts, fixedAllowed));
                group.ports.add(new PortSpan(protocol, port.containerPort(), port.containerPort()));
            }
        }
        managementFinding(decisions).ifPresent(findings::add);
        String name = frontEndPolicyName(topology.name());
        Encoding encoding = encode(reach, groups.values(), name, "spec.networkSecurityGroup.inboundRules");
        encoding.oversize().ifPresent(oversized::add);
        if (!build || encoding.oversize().isPresent()) {
            return Optional.empty();
        }
        List<NetworkPolicyIngressRule> ingress = new ArrayList<>();
        ingress.add(new NetworkPolicyIngressRuleBuilder()
                .withFrom(ownPods(topology))
                .build());
        for (PolicyRule rule : encoding.rules()) {
            ingress.add(new NetworkPolicyIngressRuleBuilder()
                    .withFrom(peers(rule.peers()))
                    .withPorts(ports(rule.ports(), false))
                    .build());
        }
        return Optional.of(policy(
                        topology,
                        name,
                        StandardLabels.roleSelector(topology.name(), StandardLabels.ROLE_FRONT_END),
                        "Ingress")
                .editSpec()
                .withIngress(ingress)
                .endSpec()
                .build());
    }

    private static Optional<NetworkPolicy> egressPolicy(
            Context context,
            List<SecurityRule> outbound,
            List<Finding> findings,
            List<Oversize> oversized,
            boolean build) {
        EnvironmentTopology topology = context.topology();
        RuleTable table = RuleTable.outbound(outbound);
        FlowDecisions decisions = context.outboundDecisions(table);
        Reach reach = new Reach(context, decisions, false);
        List<Integer> cuts = table.portBoundaries();
        Map<String, PeerGroup> groups = new LinkedHashMap<>();
        for (String protocol : PROTOCOLS) {
            // Consecutive intervals with the same applying rules have the same verdicts: decided once.
            boolean[] previousApplies = new boolean[table.rules.size()];
            PeerGroup[] previousGroup = new PeerGroup[1];
            table.sweep(protocol, cuts, (from, to, applies) -> {
                PeerGroup group = previousGroup[0];
                if (group == null || !Arrays.equals(applies, previousApplies)) {
                    Verdicts verdicts = decisions.decide(applies, true);
                    group = groups.computeIfAbsent(signature(verdicts), k -> new PeerGroup(verdicts));
                    System.arraycopy(applies, 0, previousApplies, 0, applies.length);
                    previousGroup[0] = group;
                }
                group.ports.add(new PortSpan(protocol, from, to));
            });
        }
        Optional<Finding> dnsBlocked = dnsFinding(decisions);
        dnsBlocked.ifPresent(findings::add);
        String name = egressPolicyName(topology.name());
        Encoding encoding = encode(reach, groups.values(), name, "spec.networkSecurityGroup.outboundRules");
        encoding.oversize().ifPresent(oversized::add);
        if (!build || encoding.oversize().isPresent()) {
            return Optional.empty();
        }
        List<NetworkPolicyEgressRule> egress = new ArrayList<>();
        egress.add(
                new NetworkPolicyEgressRuleBuilder().withTo(ownPods(topology)).build());
        if (dnsBlocked.isEmpty()) {
            egress.add(new NetworkPolicyEgressRuleBuilder()
                    .withTo(new NetworkPolicyPeerBuilder()
                            .withNamespaceSelector(matchLabels(Map.of(
                                    KUBERNETES_NAMESPACE_LABEL,
                                    context.settings().dnsNamespace())))
                            .withPodSelector(matchLabels(context.settings().dnsPodLabels()))
                            .build())
                    .withPorts(ports(
                            List.of(new PortSpan("UDP", DNS_PORT, DNS_PORT), new PortSpan("TCP", DNS_PORT, DNS_PORT)),
                            true))
                    .build());
        }
        for (PolicyRule rule : encoding.rules()) {
            egress.add(new NetworkPolicyEgressRuleBuilder()
                    .withTo(peers(rule.peers()))
                    .withPorts(ports(rule.ports(), true))
                    .build());
        }
        return Optional.of(policy(
                        topology,
                        name,
                        Map.of(StandardLabels.ENVIRONMENT, ResourceNames.labelValue(topology.name())),
                        "Egress")
                .editSpec()
                .withEgress(egress)
                .endSpec()
                .build());
    }

    /** Management (VIP 454-455) from the operator's namespace must be allowed, or Azure suspends the ASE. */
    private static Optional<Finding> managementFinding(FlowDecisions decisions) {
        for (int port : List.of(VipPorts.MANAGEMENT, VipPorts.MANAGEMENT_SECONDARY)) {
            Rule rule = decisions.decide("TCP", port, true).podClasses()[FlowDecisions.MANAGEMENT];
            if (!rule.allow()) {
                return Optional.of(new Finding(
                        "ManagementReachable",
                        "ManagementPortsBlocked",
                        (rule.isDefault() ? "default rule " : "inbound rule ") + "'" + rule.name() + "' (priority "
                                + rule.priority() + ") denies VIP port " + port
                                + " from AppServiceManagement; on Azure such an environment is suspended"));
            }
        }
        return Optional.empty();
    }

    /** A user rule that denies DNS to the cluster DNS (pods outside the virtual network and the operator's namespace). */
    private static Optional<Finding> dnsFinding(FlowDecisions decisions) {
        for (String protocol : List.of("UDP", "TCP")) {
            Rule rule = decisions.decide(protocol, DNS_PORT, true).podClasses()[0];
            if (!rule.allow() && !rule.isDefault()) {
                return Optional.of(new Finding(
                        "DnsReachable",
                        "DnsBlocked",
                        "outbound rule '" + rule.name() + "' (priority " + rule.priority()
                                + ") denies DNS (port 53) to the cluster DNS; apps cannot resolve names"));
            }
        }
        return Optional.empty();
    }

    private static final class PeerGroup {
        final Verdicts verdicts;
        /** Inbound: for each of the context's fixed-outbound environments, whether its app pods are admitted. */
        final boolean[] fixedAllowed;

        final List<PortSpan> ports = new ArrayList<>();

        PeerGroup(Verdicts verdicts) {
            this(verdicts, new boolean[0]);
        }

        PeerGroup(Verdicts verdicts, boolean[] fixedAllowed) {
            this.verdicts = verdicts;
            this.fixedAllowed = fixedAllowed;
        }
    }

    private record PortSpan(String protocol, int from, int to) {}

    /** Two verdicts with the same signature admit the same peers. */
    private static String signature(Verdicts verdicts) {
        StringBuilder sb = new StringBuilder();
        for (Rule r : verdicts.podClasses()) {
            sb.append(r.allow() ? '1' : '0');
        }
        sb.append('|');
        for (Rule r : verdicts.nodes()) {
            sb.append(r != null && r.allow() ? '1' : '0');
        }
        return sb.toString();
    }

    /** The allowed peers of a verdict: pod selectors as policy peers, address regions as blocks. */
    private static List<Object> allowedPeers(Reach reach, PeerGroup group) {
        Verdicts verdicts = group.verdicts;
        List<Object> peers = new ArrayList<>(podPeers(reach, verdicts));
        for (int i = 0; i < group.fixedAllowed.length; i++) {
            if (group.fixedAllowed[i]) {
                peers.add(fixedOutboundPeer(reach, reach.context().fixed().get(i)));
            }
        }
        boolean[] allowed = new boolean[verdicts.nodes().length];
        for (int i = 0; i < allowed.length; i++) {
            allowed[i] = verdicts.nodes()[i] != null && verdicts.nodes()[i].allow() && reach.node(i);
        }
        peers.addAll(reach.decisions().tree().blocks(allowed));
        return peers;
    }

    private static List<NetworkPolicyPeer> peers(List<Object> peers) {
        return peers.stream()
                .map(peer -> peer instanceof AddressTree.Block block
                        ? new NetworkPolicyPeerBuilder()
                                .withIpBlock(new IPBlock(
                                        block.cidr().toString(),
                                        block.except().stream()
                                                .map(Cidr::toString)
                                                .toList()))
                                .build()
                        : (NetworkPolicyPeer) peer)
                .toList();
    }

    /** A policy rule before it becomes a fabric8 object: peers (blocks or pod peers) and the ports they are allowed on. */
    private record PolicyRule(List<Object> peers, List<PortSpan> ports) {}

    /** The policy rules of a direction, or why they are too large. */
    private record Encoding(List<PolicyRule> rules, Optional<Oversize> oversize) {}

    /**
     * Writes the decided flows compactly, in the smaller of two encodings (estimated JSON bytes):
     * by verdict (ports with the same allowed peers share a rule, which is small when few peers
     * change from port to port) or by peer (each peer once, with every port range it is allowed
     * on, peers with the same ranges sharing a rule, which is small when each rule opens its own
     * CIDR on its own ports: N Allow rules on widening port ranges are O(N), not O(N²) by verdict).
     * Both admit exactly the same flows: the union of peers times ports is the same set.
     */
    private static Encoding encode(
            Reach reach, java.util.Collection<PeerGroup> groups, String policyName, String field) {
        FlowDecisions decisions = reach.decisions();
        long byVerdictBytes = 0;
        Map<Object, PortSet> portsByPeer = new LinkedHashMap<>();
        long byPeerPortEntries = 0;
        Map<Cidr, long[]> bytesByCidr = new java.util.IdentityHashMap<>(); // tree nodes: one instance per CIDR
        for (PeerGroup group : groups) {
            List<Object> peers = allowedPeers(reach, group);
            if (peers.isEmpty()) {
                continue;
            }
            List<PortSpan> spans = merged(group.ports);
            byVerdictBytes +=
                    RULE_BYTES + peerBytes(decisions.tree(), peers, bytesByCidr) + (long) spans.size() * PORT_BYTES;
            if (portsByPeer != null) {
                for (Object peer : peers) {
                    PortSet set = portsByPeer.computeIfAbsent(peer, k -> new PortSet());
                    byPeerPortEntries -= set.size();
                    spans.forEach(set::add);
                    byPeerPortEntries += set.size();
                }
                if (byPeerPortEntries > BY_PEER_PORT_ENTRIES_LIMIT) {
                    portsByPeer = null; // it cannot be the smaller encoding within the limit
                }
            }
        }
        Map<List<PortSpan>, List<Object>> peersByPorts = new LinkedHashMap<>();
        long byPeerBytes = Long.MAX_VALUE;
        if (portsByPeer != null) {
            portsByPeer.forEach((peer, ports) -> peersByPorts
                    .computeIfAbsent(ports.spans(), k -> new ArrayList<>())
                    .add(peer));
            byPeerBytes = 0;
            for (Map.Entry<List<PortSpan>, List<Object>> e : peersByPorts.entrySet()) {
                byPeerBytes += RULE_BYTES
                        + peerBytes(decisions.tree(), e.getValue(), null)
                        + (long) e.getKey().size() * PORT_BYTES;
            }
        }
        long bytes = Math.min(byVerdictBytes, byPeerBytes);
        if (bytes > POLICY_BYTES_LIMIT) {
            return new Encoding(
                    List.of(),
                    Optional.of(new Oversize(policyName, field, bytes, largestRules(decisions, bytesByCidr))));
        }
        List<PolicyRule> rules = new ArrayList<>();
        if (byPeerBytes <= byVerdictBytes) {
            peersByPorts.forEach((ports, peers) -> rules.add(new PolicyRule(peers, ports)));
        } else {
            for (PeerGroup group : groups) {
                List<Object> peers = allowedPeers(reach, group);
                if (!peers.isEmpty()) {
                    rules.add(new PolicyRule(peers, merged(group.ports)));
                }
            }
        }
        return new Encoding(rules, Optional.empty());
    }

    /** Estimated JSON bytes of the peers; with a map, also adds each CIDR's share, to name the rules that make a policy large. */
    private static long peerBytes(AddressTree tree, List<Object> peers, Map<Cidr, long[]> bytesByCidr) {
        long bytes = 0;
        for (Object peer : peers) {
            if (peer instanceof AddressTree.Block block) {
                long own = IP_BLOCK_BYTES + tree.textLength(block.cidr());
                bytes += own;
                if (bytesByCidr != null) {
                    bytesByCidr.computeIfAbsent(block.cidr(), k -> new long[1])[0] += own;
                }
                for (Cidr except : block.except()) {
                    long exceptBytes = EXCEPT_BYTES + tree.textLength(except);
                    bytes += exceptBytes;
                    if (bytesByCidr != null) {
                        bytesByCidr.computeIfAbsent(except, k -> new long[1])[0] += exceptBytes;
                    }
                }
            } else {
                bytes += POD_PEER_BYTES;
            }
        }
        return bytes;
    }

    /** The user rules whose CIDRs take the most bytes, largest first, as 'name' (priority n). */
    private static List<String> largestRules(FlowDecisions decisions, Map<Cidr, long[]> bytesByCidr) {
        Map<Rule, Long> bytesByRule = new LinkedHashMap<>();
        bytesByCidr.forEach((cidr, bytes) ->
                decisions.rulesNaming(cidr).forEach(rule -> bytesByRule.merge(rule, bytes[0], Long::sum)));
        return bytesByRule.entrySet().stream()
                .sorted(Map.Entry.<Rule, Long>comparingByValue()
                        .reversed()
                        .thenComparing(e -> e.getKey().rank()))
                .limit(LARGEST_RULES_NAMED)
                .map(e -> "'" + e.getKey().name() + "' (priority " + e.getKey().priority() + ")")
                .toList();
    }

    /** A set of port spans kept sorted and merged; spans mostly arrive in order, so adding is usually O(1). */
    private static final class PortSet {
        private final List<PortSpan> spans = new ArrayList<>();

        void add(PortSpan span) {
            int last = spans.size() - 1;
            if (last < 0 || ORDER.compare(spans.get(last), span) <= 0) {
                if (last >= 0 && touches(spans.get(last), span)) {
                    spans.set(last, join(spans.get(last), span));
                } else {
                    spans.add(span);
                }
                return;
            }
            List<PortSpan> all = new ArrayList<>(spans);
            all.add(span);
            spans.clear();
            spans.addAll(merged(all));
        }

        int size() {
            return spans.size();
        }

        List<PortSpan> spans() {
            return List.copyOf(spans);
        }
    }

    private static final java.util.Comparator<PortSpan> ORDER =
            java.util.Comparator.comparing(PortSpan::protocol).thenComparingInt(PortSpan::from);

    private static boolean touches(PortSpan a, PortSpan b) {
        return a.protocol().equals(b.protocol()) && a.to() + 1 >= b.from();
    }

    private static PortSpan join(PortSpan a, PortSpan b) {
        return new PortSpan(a.protocol(), a.from(), Math.max(a.to(), b.to()));
    }

    /** Sorted by protocol and port, adjacent and overlapping spans merged. */
    private static List<PortSpan> merged(List<PortSpan> spans) {
        List<PortSpan> sorted = new ArrayList<>(spans);
        sorted.sort(ORDER);
        List<PortSpan> merged = new ArrayList<>();
        for (PortSpan s : sorted) {
            PortSpan last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && touches(last, s)) {
                merged.set(merged.size() - 1, join(last, s));
            } else {
                merged.add(s);
            }
        }
        return merged;
    }

    /**
     * Selectors for the allowed pod classes. Pods of other environments (they carry the
     * environment label) and other pods are decided apart; namespace classes allowed for both
     * kinds need no pod selector, the others get {@code Exists} or {@code DoesNotExist} on the
     * environment label. Own pods match {@code Exists} too, harmlessly: they are always allowed.
     */
    private static List<NetworkPolicyPeer> podPeers(Reach reach, Verdicts verdicts) {
        Context context = reach.context();
        boolean[] plain = new boolean[FlowDecisions.NAMESPACE_CLASSES];
        boolean[] otherEnvironment = new boolean[FlowDecisions.NAMESPACE_CLASSES];
        boolean[] both = new boolean[FlowDecisions.NAMESPACE_CLASSES];
        for (int c = 0; c < FlowDecisions.NAMESPACE_CLASSES; c++) {
            boolean p = verdicts.podAllowed(c) && reach.pod(c);
            boolean o = verdicts.podAllowed(c | FlowDecisions.OTHER_ENVIRONMENT) && reach.pod(c);
            both[c] = p && o;
            plain[c] = p && !o;
            otherEnvironment[c] = o && !p;
        }
        List<NetworkPolicyPeer> peers = new ArrayList<>();
        // Inbound, the app pods of environments with fixed outbound addresses are decided apart (by
        // their addresses, fixedOutboundPeer): the selectors that would take other environments'
        // pods leave them out.
        boolean excludeFixed = reach.inbound() && !context.fixed().isEmpty();
        List<NetworkPolicyPeer> withOthers = new ArrayList<>(namespacePeers(context, both, null));
        withOthers.addAll(namespacePeers(context, otherEnvironment, "Exists"));
        peers.addAll(excludeFixed ? excludingFixedApps(context, withOthers) : withOthers);
        peers.addAll(namespacePeers(context, plain, "DoesNotExist"));
        return peers;
    }

    /**
     * The peers, less the app pods of the environments with fixed outbound addresses (a pod with
     * {@link StandardLabels#OUTBOUND} of such an environment, in its namespace): selectors cannot
     * subtract, so each peer becomes the union of its pods without the label, its pods of
     * environments of other names (a label left on the pods of an environment whose gateway was
     * just removed), and, for each such name, its pods of that name in other namespaces.
     */
    private static List<NetworkPolicyPeer> excludingFixedApps(Context context, List<NetworkPolicyPeer> peers) {
        Map<String, java.util.SortedSet<String>> namespacesByName = new TreeMap<>();
        for (FixedOutbound other : context.fixed()) {
            namespacesByName
                    .computeIfAbsent(ResourceNames.labelValue(other.environment()), k -> new java.util.TreeSet<>())
                    .add(other.namespace());
        }
        List<NetworkPolicyPeer> split = new ArrayList<>();
        for (NetworkPolicyPeer peer : peers) {
            split.add(narrowed(peer, StandardLabels.OUTBOUND, "DoesNotExist", List.of(), List.of()));
            split.add(narrowed(
                    peer, StandardLabels.ENVIRONMENT, "NotIn", List.copyOf(namespacesByName.keySet()), List.of()));
            namespacesByName.forEach((name, namespaces) -> split.add(
                    narrowed(peer, StandardLabels.ENVIRONMENT, "In", List.of(name), List.copyOf(namespaces))));
        }
        return split;
    }

    /**
     * A copy of the peer whose pod selector also requires the expression and, given namespaces,
     * whose namespace selector also requires a namespace other than those.
     */
    private static NetworkPolicyPeer narrowed(
            NetworkPolicyPeer peer, String key, String operator, List<String> values, List<String> notInNamespaces) {
        LabelSelectorBuilder pods = new LabelSelectorBuilder(
                        peer.getPodSelector() == null ? new LabelSelector() : peer.getPodSelector())
                .addNewMatchExpression()
                .withKey(key)
                .withOperator(operator)
                .withValues(values.isEmpty() ? null : values)
                .endMatchExpression();
        LabelSelectorBuilder namespaces = new LabelSelectorBuilder(
                peer.getNamespaceSelector() == null ? new LabelSelector() : peer.getNamespaceSelector());
        if (!notInNamespaces.isEmpty()) {
            namespaces
                    .addNewMatchExpression()
                    .withKey(KUBERNETES_NAMESPACE_LABEL)
                    .withOperator("NotIn")
                    .withValues(notInNamespaces)
                    .endMatchExpression();
        }
        return new NetworkPolicyPeerBuilder()
                .withNamespaceSelector(namespaces.build())
                .withPodSelector(pods.build())
                .build();
    }

    /**
     * The app pods of another environment with fixed outbound addresses: in its namespace (for an
     * Internal environment's front ends, only if that namespace belongs to the virtual network, as
     * for any pod), with its label and {@link StandardLabels#OUTBOUND} (which only its app pods carry).
     */
    private static NetworkPolicyPeer fixedOutboundPeer(Reach reach, FixedOutbound other) {
        Map<String, String> namespaceLabels = new TreeMap<>();
        namespaceLabels.put(KUBERNETES_NAMESPACE_LABEL, other.namespace());
        if (reach.inbound() && reach.context().internal()) {
            namespaceLabels.put(StandardLabels.VIRTUAL_NETWORK, reach.context().vnetName());
        }
        Map<String, String> podLabels = new TreeMap<>();
        podLabels.put(StandardLabels.ENVIRONMENT, ResourceNames.labelValue(other.environment()));
        podLabels.put(StandardLabels.OUTBOUND, StandardLabels.OUTBOUND_EGRESS_GATEWAY);
        return new NetworkPolicyPeerBuilder()
                .withNamespaceSelector(matchLabels(namespaceLabels))
                .withPodSelector(matchLabels(podLabels))
                .build();
    }

    /**
     * Namespace selectors for the allowed namespace classes, each with the given operator on the
     * environment label as pod selector (none when null). Pairs of classes that differ in one
     * dimension merge into one selector on the other; all four become "every namespace".
     */
    private static List<NetworkPolicyPeer> namespacePeers(
            Context context, boolean[] allowed, String environmentLabelOperator) {
        int count = 0;
        for (boolean a : allowed) {
            count += a ? 1 : 0;
        }
        List<NetworkPolicyPeer> peers = new ArrayList<>();
        if (count == FlowDecisions.NAMESPACE_CLASSES) {
            peers.add(withPodSelector(
                    new NetworkPolicyPeerBuilder().withNamespaceSelector(new LabelSelector()),
                    environmentLabelOperator));
            return peers;
        }
        boolean[] covered = new boolean[FlowDecisions.NAMESPACE_CLASSES];
        int[][] pairs = {
            {FlowDecisions.VNET, FlowDecisions.VNET | FlowDecisions.MANAGEMENT},
            {0, FlowDecisions.MANAGEMENT},
            {FlowDecisions.MANAGEMENT, FlowDecisions.VNET | FlowDecisions.MANAGEMENT},
            {0, FlowDecisions.VNET}
        };
        for (int[] pair : pairs) {
            if (allowed[pair[0]] && allowed[pair[1]] && !(covered[pair[0]] && covered[pair[1]])) {
                // The pair shares the dimension in which both members agree.
                int shared =
                        (pair[0] ^ pair[1]) == FlowDecisions.MANAGEMENT ? FlowDecisions.VNET : FlowDecisions.MANAGEMENT;
                peers.add(namespacePeer(context, shared, pair[0], environmentLabelOperator));
                covered[pair[0]] = true;
                covered[pair[1]] = true;
            }
        }
        for (int c = 0; c < FlowDecisions.NAMESPACE_CLASSES; c++) {
            if (allowed[c] && !covered[c]) {
                peers.add(namespacePeer(
                        context, FlowDecisions.VNET | FlowDecisions.MANAGEMENT, c, environmentLabelOperator));
            }
        }
        return peers;
    }

    private static NetworkPolicyPeer withPodSelector(NetworkPolicyPeerBuilder peer, String environmentLabelOperator) {
        if (environmentLabelOperator != null) {
            peer.withPodSelector(new LabelSelectorBuilder()
                    .addNewMatchExpression()
                    .withKey(StandardLabels.ENVIRONMENT)
                    .withOperator(environmentLabelOperator)
                    .endMatchExpression()
                    .build());
        }
        return peer.build();
    }

    /** A selector of namespaces that constrains the given dimensions to the values of podClass. */
    private static NetworkPolicyPeer namespacePeer(
            Context context, int dimensions, int podClass, String environmentLabelOperator) {
        LabelSelectorBuilder selector = new LabelSelectorBuilder();
        Map<String, String> labels = new TreeMap<>();
        if ((dimensions & FlowDecisions.VNET) != 0) {
            if ((podClass & FlowDecisions.VNET) != 0) {
                labels.put(StandardLabels.VIRTUAL_NETWORK, context.vnetName());
            } else {
                selector.addNewMatchExpression()
                        .withKey(StandardLabels.VIRTUAL_NETWORK)
                        .withOperator("NotIn")
                        .withValues(context.vnetName())
                        .endMatchExpression();
            }
        }
        if ((dimensions & FlowDecisions.MANAGEMENT) != 0) {
            if ((podClass & FlowDecisions.MANAGEMENT) != 0) {
                labels.put(KUBERNETES_NAMESPACE_LABEL, context.settings().operatorNamespace());
            } else {
                selector.addNewMatchExpression()
                        .withKey(KUBERNETES_NAMESPACE_LABEL)
                        .withOperator("NotIn")
                        .withValues(context.settings().operatorNamespace())
                        .endMatchExpression();
            }
        }
        if (!labels.isEmpty()) {
            selector.withMatchLabels(labels);
        }
        return withPodSelector(
                new NetworkPolicyPeerBuilder().withNamespaceSelector(selector.build()), environmentLabelOperator);
    }

    /** Port spans as policy ports: adjacent spans merge; a protocol open on every port needs no port. */
    private static List<NetworkPolicyPort> ports(List<PortSpan> spans, boolean allPortsMeansNoPorts) {
        List<NetworkPolicyPort> ports = new ArrayList<>();
        for (PortSpan s : merged(spans)) {
            NetworkPolicyPortBuilder port = new NetworkPolicyPortBuilder().withProtocol(s.protocol());
            if (!(allPortsMeansNoPorts && s.from() <= 1 && s.to() >= 65535)) {
                port.withPort(new IntOrString(s.from()));
                if (s.to() > s.from()) {
                    port.withEndPort(s.to());
                }
            }
            ports.add(port.build());
        }
        return ports;
    }

    private static NetworkPolicyPeer ownPods(EnvironmentTopology topology) {
        return new NetworkPolicyPeerBuilder()
                .withPodSelector(
                        matchLabels(Map.of(StandardLabels.ENVIRONMENT, ResourceNames.labelValue(topology.name()))))
                .build();
    }

    private static LabelSelector matchLabels(Map<String, String> labels) {
        return new LabelSelectorBuilder().withMatchLabels(new TreeMap<>(labels)).build();
    }

    private static NetworkPolicyBuilder policy(
            EnvironmentTopology topology, String name, Map<String, String> podSelector, String type) {
        Map<String, String> labels = StandardLabels.forEnvironment(topology.name(), "network-policy");
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(topology.namespace())
                .withLabels(labels)
                .withAnnotations(new TreeMap<>())
                .endMetadata()
                .withNewSpec()
                .withPodSelector(matchLabels(podSelector))
                .withPolicyTypes(Arrays.asList(type))
                .endSpec();
    }
}
