package dev.appservice.operator.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.FrontEndSettings;
import dev.appservice.operator.api.LoadBalancerSettings;
import dev.appservice.operator.api.LoadBalancerType;
import dev.appservice.operator.api.NetworkSecurityGroup;
import dev.appservice.operator.api.RuleAccess;
import dev.appservice.operator.api.RuleProtocol;
import dev.appservice.operator.api.SecurityRule;
import dev.appservice.operator.api.TlsSettings;
import dev.appservice.operator.config.NetworkSettings;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.VipPorts;
import dev.appservice.operator.network.AzureNsgEvaluator.Address;
import dev.appservice.operator.network.AzureNsgEvaluator.Network;
import dev.appservice.operator.network.AzureNsgEvaluator.Peer;
import dev.appservice.operator.network.AzureNsgEvaluator.Pod;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Property: for thousands of random rule sets and probes (fixed seed, so a failure reproduces), the
 * compiled NetworkPolicies, evaluated the Kubernetes way, admit exactly the flows the NSG admits
 * evaluated the Azure way. Rule sets mix Allow and Deny at random priorities, overlapping IPv4 and
 * IPv6 CIDRs, every tag, port ranges and protocols; probes come from inside, outside and at the
 * edges of the CIDRs, and from pods of every kind of namespace.
 */
@org.junit.jupiter.api.Tag(dev.appservice.operator.testing.TestGroups.SLOW)
class NsgCompilerPropertyTest {
    static final long SEED = 20261121L;
    static final int RULE_SETS = 1500;
    static final String NS = "contoso";
    static final String VNET = "vnet1";
    static final String OPERATOR_NS = "ase-operator";
    static final NetworkSettings SETTINGS = new NetworkSettings(
            OPERATOR_NS,
            List.of("168.63.129.16/32"),
            List.of("10.244.0.0/16", "fd00:10:244::/56"),
            "kube-system",
            Map.of("k8s-app", "kube-dns"));
    static final List<String> CIDR_POOL = List.of(
            "10.0.0.0/8",
            "10.1.0.0/16",
            "10.1.2.0/24",
            "10.1.2.128/25",
            "10.1.2.130/32",
            "192.168.0.0/16",
            "192.168.10.0/24",
            "203.0.113.0/24",
            "0.0.0.0/1",
            "128.0.0.0/2",
            "168.63.129.16/32",
            "0.0.0.0/0",
            "10.244.5.0/24",
            "fd00::/8",
            "fd00:1::/32",
            "fd00:1:2::/48",
            "2001:db8::/32",
            "2001:db8:1::/48",
            "::/1",
            "::/0",
            "169.254.169.254/32",
            "169.254.0.0/16",
            "fd00:ec2::/64");
    /** Trusted proxies an environment may list: they reach an Internal environment's front ends too. */
    static final List<String> TRUSTED_POOL = List.of("203.0.113.0/25", "2001:db8:1::/48", "198.51.100.7/32");

    static final List<String> TAGS =
            List.of("*", "Internet", "VirtualNetwork", "AzureLoadBalancer", "AppServiceManagement");
    static final List<String> INBOUND_PORTS =
            List.of("*", "80", "443", "454", "455", "454-455", "80-443", "1-454", "455-1000", "10001-10020");
    static final List<String> OUTBOUND_PORTS =
            List.of("*", "53", "50-60", "80", "443", "1024-65535", "8080", "1-1023", "1433", "22-25");

    Random random = new Random(SEED);
    int checks;
    int disagreements;
    String firstDisagreement;

    @Test
    void compiledPoliciesAdmitExactlyWhatTheNsgAdmits() {
        probeAll(
                (ase, fixed) -> NsgCompiler.compile(new EnvironmentTopology(ase, List.of()), SETTINGS, fixed)
                        .policies(),
                RULE_SETS);
        assertThat(disagreements)
                .as("disagreements; the first: %s", firstDisagreement)
                .isZero();
        assertThat(checks).as("probes checked").isGreaterThan(200_000);
        assertThat(fixedAppChecks[0])
                .as("inbound probes from apps of environments with a fixed address, admitted")
                .isPositive();
        assertThat(fixedAppChecks[1]).as("... and refused").isPositive();
    }

    /**
     * Not vacuous either for fixed outbound addresses: a compiler that ignores them (the app pods of
     * such environments decided as any other environment's, by tag only) is caught.
     */
    @Test
    void aCompilerIgnoringFixedOutboundAddressesIsCaught() {
        probeAll(
                (ase, fixed) -> NsgCompiler.compile(new EnvironmentTopology(ase, List.of()), SETTINGS, List.of())
                        .policies(),
                RULE_SETS / 5);
        assertThat(disagreements)
                .as("disagreements found in a compiler that ignores fixed outbound addresses")
                .isPositive();
        assertThat(firstDisagreement).contains("appservice.dev/outbound");
    }

    /**
     * The property is not vacuous: a compiler that forgets that pods of other environments are
     * Internet peers (it drops the pod selectors on the environment label, so such pods in a
     * namespace of the virtual network count as VirtualNetwork again) is caught.
     */
    @Test
    void aCompilerTreatingOtherEnvironmentsAsTheVirtualNetworkIsCaught() {
        probeAll(
                (ase, fixed) ->
                        NsgCompiler.compile(new EnvironmentTopology(ase, List.of()), SETTINGS).policies().stream()
                                .map(NsgCompilerPropertyTest::withoutEnvironmentPodSelectors)
                                .toList(),
                RULE_SETS / 5);
        assertThat(disagreements)
                .as("disagreements found in a deliberately broken compiler")
                .isPositive();
    }

    /** The broken compiler: namespace peers lose their pod selector on the environment label. */
    static NetworkPolicy withoutEnvironmentPodSelectors(NetworkPolicy policy) {
        NetworkPolicy copy = new io.fabric8.kubernetes.client.utils.KubernetesSerialization().clone(policy);
        java.util.stream.Stream.concat(
                        copy.getSpec().getIngress() == null
                                ? java.util.stream.Stream.empty()
                                : copy.getSpec().getIngress().stream().flatMap(r -> r.getFrom().stream()),
                        copy.getSpec().getEgress() == null
                                ? java.util.stream.Stream.empty()
                                : copy.getSpec().getEgress().stream().flatMap(r -> r.getTo().stream()))
                .filter(peer -> peer.getNamespaceSelector() != null)
                .forEach(peer -> peer.setPodSelector(null));
        return copy;
    }

    /** Inbound probes from app pods of environments with fixed outbound addresses: [admitted, refused]. */
    final int[] fixedAppChecks = new int[2];

    private void probeAll(
            java.util.function.BiFunction<AppServiceEnvironment, List<FixedOutbound>, List<NetworkPolicy>> compiler,
            int ruleSets) {
        for (int set = 0; set < ruleSets; set++) {
            boolean tls = random.nextBoolean();
            List<String> vnetCidrs = new ArrayList<>(List.of(random.nextBoolean() ? "10.1.2.0/24" : "10.1.0.0/24"));
            for (String extra : List.of("10.1.0.0/16", "fd00:1::/32", "192.168.10.0/24")) {
                if (random.nextInt(3) == 0) {
                    vnetCidrs.add(extra);
                }
            }
            List<SecurityRule> inbound = randomRules(INBOUND_PORTS, true);
            List<SecurityRule> outbound = random.nextInt(4) == 0 ? List.of() : randomRules(OUTBOUND_PORTS, false);
            boolean internal = random.nextInt(3) == 0;
            boolean withoutNsg = random.nextInt(8) == 0;
            List<String> trusted =
                    TRUSTED_POOL.stream().filter(t -> random.nextBoolean()).toList();
            if (withoutNsg) {
                inbound = List.of();
                outbound = List.of();
            }
            AppServiceEnvironment ase = environment(vnetCidrs, tls, inbound, outbound);
            if (withoutNsg) {
                ase.getSpec().setNetworkSecurityGroup(null);
            }
            if (internal) {
                LoadBalancerSettings lb = new LoadBalancerSettings();
                lb.setType(LoadBalancerType.Internal);
                ase.getSpec().setLoadBalancer(lb);
            }
            if (!trusted.isEmpty()) {
                FrontEndSettings frontEndSettings = new FrontEndSettings();
                frontEndSettings.setTrustedProxies(trusted);
                ase.getSpec().setFrontEnd(frontEndSettings);
            }
            // Other environments with fixed outbound addresses, some named by the rules' CIDRs: one in
            // this namespace, one (with two addresses) in another, one in the operator's.
            List<FixedOutbound> fixed = new ArrayList<>();
            Map<String, List<String>> fixedByEnvironment = new HashMap<>();
            if (random.nextInt(3) > 0) {
                for (String[] other : new String[][] {{NS, "asea"}, {"team-a", "aseb"}, {OPERATOR_NS, "asec"}}) {
                    if (random.nextInt(3) == 0) {
                        continue;
                    }
                    List<String> addresses = new ArrayList<>();
                    int count = other[1].equals("aseb") ? 2 : 1;
                    while (addresses.size() < count) {
                        String address = addressIn(CIDR_POOL.get(random.nextInt(CIDR_POOL.size())));
                        if (!addresses.contains(address)) {
                            addresses.add(address);
                        }
                    }
                    fixed.add(new FixedOutbound(other[0], other[1], addresses));
                    fixedByEnvironment.put(other[0] + "/" + other[1], addresses);
                }
            }
            List<NetworkPolicy> policies = compiler.apply(ase, fixed);
            Network network = new Network(
                    VNET, vnetCidrs, SETTINGS.azureLoadBalancerCidrs(), OPERATOR_NS, NS, "ase1", fixedByEnvironment);
            String context = "rule set " + set + (internal ? " (Internal)" : "") + (withoutNsg ? " (no NSG)" : "")
                    + "\n inbound: " + describe(inbound) + "\n outbound: "
                    + describe(outbound) + "\n vnet: " + vnetCidrs + "\n trusted proxies: " + trusted
                    + "\n fixed outbound: " + fixedByEnvironment;

            Pod frontEnd = new Pod(
                    NS, Map.of(), Map.of("appservice.dev/environment", "ase1", "appservice.dev/role", "front-end"));
            Pod worker = new Pod(
                    NS, Map.of(), Map.of("appservice.dev/environment", "ase1", "appservice.dev/role", "worker"));
            List<Peer> peers = probes(vnetCidrs, 30);
            peers.addAll(fixedOutboundProbes());
            for (Peer peer : peers) {
                // Traffic inside the ASE is always allowed, as Azure requires.
                boolean ownPod = peer instanceof Pod p
                        && "ase1".equals(p.podLabels().get("appservice.dev/environment"))
                        && p.namespace().equals(NS);
                for (String protocol : List.of("TCP", "UDP")) {
                    for (VipPorts.Mapping port : VipPorts.served(tls)) {
                        // An ILB is reachable only from its virtual network, trusted proxies and load balancer.
                        boolean reachable =
                                !internal || AzureNsgEvaluator.reachesInternalLoadBalancer(network, trusted, peer);
                        // Without an NSG the front ends accept whatever reaches them.
                        boolean azure = ownPod
                                || (reachable
                                        && (withoutNsg
                                                || AzureNsgEvaluator.decide(
                                                        inbound, true, network, peer, protocol, port.vipPort())));
                        boolean kubernetes = KubernetesPolicyEvaluator.ingressAllowed(
                                policies, frontEnd, peer, protocol, port.containerPort());
                        if (peer instanceof Pod p
                                && !network.outboundAddresses(p).isEmpty()) {
                            fixedAppChecks[azure ? 0 : 1]++;
                        }
                        check(
                                azure,
                                kubernetes,
                                context + "\n inbound " + peer + " " + protocol + " VIP " + port.vipPort());
                    }
                    int port = randomPort(outbound);
                    // Without outbound rules everything but the metadata addresses is reachable.
                    boolean azure = outbound.isEmpty()
                            ? !(peer instanceof Address a && AzureNsgEvaluator.isMetadata(a.ip()))
                            : expectedEgress(outbound, network, peer, protocol, port);
                    boolean kubernetes = KubernetesPolicyEvaluator.egressAllowed(
                            policies, random.nextBoolean() ? frontEnd : worker, peer, protocol, port);
                    check(azure, kubernetes, context + "\n outbound " + peer + " " + protocol + " port " + port);
                    // Workers (app pods) accept only the environment's front ends.
                    boolean ownFrontEnd = ownPod
                            && "front-end".equals(((Pod) peer).podLabels().get("appservice.dev/role"));
                    check(
                            ownFrontEnd,
                            KubernetesPolicyEvaluator.ingressAllowed(policies, worker, peer, protocol, 8080),
                            context + "\n worker ingress " + peer);
                }
            }
        }
    }

    /** Azure's verdict, plus the operator's documented addition: the cluster DNS stays reachable unless a user rule denies it. */
    private boolean expectedEgress(List<SecurityRule> outbound, Network network, Peer peer, String protocol, int port) {
        if (peer instanceof Pod pod
                && "kube-system".equals(pod.namespace())
                && "kube-dns".equals(pod.podLabels().get("k8s-app"))
                && port == 53) {
            boolean explicitlyDenied = List.of("UDP", "TCP").stream().anyMatch(p -> {
                SecurityRule first = AzureNsgEvaluator.firstMatch(outbound, false, network, pod, p, 53);
                return first.getAccess() == RuleAccess.Deny && !first.getName().startsWith("DenyAll");
            });
            if (!explicitlyDenied) {
                return true;
            }
        }
        if (peer instanceof Pod pod
                && "ase1".equals(pod.podLabels().get("appservice.dev/environment"))
                && pod.namespace().equals(NS)) {
            return true; // traffic inside the ASE is always allowed
        }
        return AzureNsgEvaluator.decide(outbound, false, network, peer, protocol, port);
    }

    private void check(boolean expected, boolean actual, String what) {
        checks++;
        if (expected != actual) {
            disagreements++;
            if (firstDisagreement == null) {
                firstDisagreement = "NSG says " + (expected ? "allow" : "deny") + " but the NetworkPolicies "
                        + (actual ? "allow" : "deny") + ": " + what;
            }
        }
    }

    private List<SecurityRule> randomRules(List<String> portPool, boolean inbound) {
        int count = 1 + random.nextInt(12);
        Set<Integer> priorities = new HashSet<>();
        List<SecurityRule> rules = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int priority;
            do {
                priority = 100 + random.nextInt(3997);
            } while (!priorities.add(priority));
            SecurityRule r = new SecurityRule();
            r.setName("r" + i);
            r.setPriority(priority);
            r.setAccess(random.nextBoolean() ? RuleAccess.Allow : RuleAccess.Deny);
            r.setProtocol(RuleProtocol.values()[random.nextInt(3)]);
            List<String> prefixes = new ArrayList<>();
            int n = 1 + random.nextInt(3);
            for (int j = 0; j < n; j++) {
                prefixes.add(
                        switch (random.nextInt(3)) {
                            case 0 -> TAGS.get(random.nextInt(TAGS.size()));
                            case 1 -> CIDR_POOL.get(random.nextInt(CIDR_POOL.size()));
                            default -> randomCidr();
                        });
            }
            if (inbound) {
                r.setSourceAddressPrefixes(prefixes);
            } else {
                r.setDestinationAddressPrefixes(prefixes);
            }
            List<String> ports = new ArrayList<>();
            int m = 1 + random.nextInt(2);
            for (int j = 0; j < m; j++) {
                ports.add(random.nextInt(4) == 0 ? randomRange() : portPool.get(random.nextInt(portPool.size())));
            }
            r.setDestinationPortRanges(ports);
            rules.add(r);
        }
        return rules;
    }

    private String randomCidr() {
        boolean v6 = random.nextInt(3) == 0;
        String base =
                CIDR_POOL.stream().filter(c -> c.contains(":") == v6).toList().get(random.nextInt(v6 ? 7 : 13));
        String ip = addressIn(base);
        int prefix = v6 ? 8 + random.nextInt(121) : 4 + random.nextInt(29);
        BigInteger value = IpMath.value(ip);
        int bits = v6 ? 128 : 32;
        BigInteger network = value.shiftRight(bits - prefix).shiftLeft(bits - prefix);
        return IpMath.format(network, v6) + "/" + prefix;
    }

    private String randomRange() {
        int from = 1 + random.nextInt(1000);
        return from + "-" + (from + random.nextInt(600));
    }

    private int randomPort(List<SecurityRule> rules) {
        List<Integer> candidates = new ArrayList<>(List.of(1, 22, 53, 80, 443, 1023, 1024, 1433, 8080, 65535));
        for (SecurityRule r : rules) {
            for (String range : r.getDestinationPortRanges()) {
                if (!range.equals("*")) {
                    String[] parts = range.split("-");
                    int from = Integer.parseInt(parts[0]);
                    int to = parts.length > 1 ? Integer.parseInt(parts[1]) : from;
                    candidates.addAll(List.of(from, to, Math.max(1, from - 1), Math.min(65535, to + 1)));
                }
            }
        }
        return candidates.get(random.nextInt(candidates.size()));
    }

    /** Addresses from everywhere (never from the pod CIDRs: pods are peers by selector) and pods of every kind. */
    private List<Peer> probes(List<String> vnetCidrs, int addresses) {
        List<Peer> peers = new ArrayList<>();
        List<String> bases = new ArrayList<>(CIDR_POOL);
        bases.addAll(vnetCidrs);
        bases.addAll(SETTINGS.azureLoadBalancerCidrs());
        while (peers.size() < addresses) {
            String ip = addressIn(bases.get(random.nextInt(bases.size())));
            if (SETTINGS.podCidrs().stream().noneMatch(c -> IpMath.contains(c, ip))) {
                peers.add(new Address(ip));
            }
        }
        for (String namespace : List.of(OPERATOR_NS, "team-a", NS)) {
            for (boolean inVnet : List.of(true, false)) {
                Map<String, String> labels = new HashMap<>();
                if (inVnet) {
                    labels.put("appservice.dev/virtual-network", VNET);
                } else if (random.nextBoolean()) {
                    labels.put("appservice.dev/virtual-network", "other-vnet");
                }
                peers.add(new Pod(namespace, labels, Map.of("app", "client")));
            }
        }
        peers.add(new Pod(NS, Map.of(), Map.of("appservice.dev/environment", "ase1", "appservice.dev/role", "worker")));
        peers.add(new Pod(
                NS, Map.of(), Map.of("appservice.dev/environment", "ase1", "appservice.dev/role", "front-end")));
        for (String metadata : List.of("169.254.169.254", "fd00:ec2::254")) {
            peers.add(new Address(metadata));
        }
        // Pods of other environments: in the same virtual network or not, in this namespace, in the
        // operator's, one of the same name in another namespace. All are Internet peers for ase1.
        for (String namespace : List.of(NS, "team-a", OPERATOR_NS)) {
            Map<String, String> labels =
                    random.nextBoolean() ? Map.of("appservice.dev/virtual-network", VNET) : Map.of();
            String role = random.nextBoolean() ? "front-end" : "worker";
            peers.add(new Pod(
                    namespace,
                    labels,
                    Map.of(
                            "appservice.dev/environment",
                            namespace.equals(NS) ? "ase2" : "ase1",
                            "appservice.dev/role",
                            role)));
        }
        peers.add(new Pod("kube-system", Map.of(), Map.of("k8s-app", "kube-dns")));
        return peers;
    }

    /**
     * Pods of the environments that may have fixed outbound addresses: their apps (with and
     * without the gateway's label: an app pod not yet rolled), their front ends, and an app of an
     * environment of the same name in another namespace.
     */
    private List<Peer> fixedOutboundProbes() {
        List<Peer> peers = new ArrayList<>();
        for (String[] other :
                new String[][] {{NS, "asea"}, {"team-a", "aseb"}, {OPERATOR_NS, "asec"}, {"team-b", "asea"}}) {
            Map<String, String> namespaceLabels =
                    random.nextBoolean() ? Map.of("appservice.dev/virtual-network", VNET) : Map.of();
            Map<String, String> app = new HashMap<>(Map.of(
                    "appservice.dev/environment", other[1],
                    "appservice.dev/role", "worker",
                    "appservice.dev/webapp", "shop",
                    "appservice.dev/outbound", "egress-gateway"));
            peers.add(new Pod(other[0], namespaceLabels, app));
            Map<String, String> unrolled = new HashMap<>(app);
            unrolled.remove("appservice.dev/outbound");
            peers.add(new Pod(other[0], namespaceLabels, unrolled));
            peers.add(new Pod(
                    other[0],
                    namespaceLabels,
                    Map.of("appservice.dev/environment", other[1], "appservice.dev/role", "front-end")));
        }
        return peers;
    }

    /** A random address in the block: often its first or last address, to probe the edges. */
    private String addressIn(String cidr) {
        String[] parts = cidr.split("/");
        boolean v6 = parts[0].contains(":");
        int bits = v6 ? 128 : 32;
        int hostBits = bits - Integer.parseInt(parts[1]);
        BigInteger network = IpMath.value(parts[0]).shiftRight(hostBits).shiftLeft(hostBits);
        BigInteger size = BigInteger.ONE.shiftLeft(hostBits);
        BigInteger offset = switch (random.nextInt(4)) {
            case 0 -> BigInteger.ZERO;
            case 1 -> size.subtract(BigInteger.ONE);
            default -> new BigInteger(Math.max(hostBits, 1), random).mod(size);
        };
        BigInteger address = network.add(offset);
        if (random.nextInt(8) == 0) {
            address = address.add(random.nextBoolean() ? size : BigInteger.ONE.negate())
                    .mod(BigInteger.ONE.shiftLeft(bits));
        }
        return IpMath.format(address, v6);
    }

    static AppServiceEnvironment environment(
            List<String> vnetCidrs, boolean tls, List<SecurityRule> inbound, List<SecurityRule> outbound) {
        AppServiceEnvironment ase = Fixtures.environment(NS, "ase1");
        ase.getSpec().getVirtualNetwork().setName(VNET);
        ase.getSpec().getVirtualNetwork().setSubnet(vnetCidrs.get(0));
        ase.getSpec().getVirtualNetwork().setAddressPrefixes(vnetCidrs.subList(1, vnetCidrs.size()));
        if (tls) {
            TlsSettings t = new TlsSettings();
            t.setSecretName("wildcard-tls");
            ase.getSpec().setTls(t);
        }
        NetworkSecurityGroup nsg = new NetworkSecurityGroup();
        nsg.setInboundRules(inbound);
        nsg.setOutboundRules(outbound);
        ase.getSpec().setNetworkSecurityGroup(nsg);
        return ase;
    }

    static String describe(List<SecurityRule> rules) {
        return rules.stream()
                .map(r -> r.getPriority() + ":" + r.getAccess() + "/" + r.getProtocol() + " "
                        + (r.getSourceAddressPrefixes() != null
                                ? r.getSourceAddressPrefixes()
                                : r.getDestinationAddressPrefixes())
                        + " ports " + r.getDestinationPortRanges())
                .collect(Collectors.joining("; "));
    }
}
