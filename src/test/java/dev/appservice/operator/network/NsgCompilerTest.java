package dev.appservice.operator.network;

import static dev.appservice.operator.network.NsgCompilerPropertyTest.SETTINGS;
import static dev.appservice.operator.network.NsgCompilerPropertyTest.environment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.RuleAccess;
import dev.appservice.operator.api.RuleProtocol;
import dev.appservice.operator.api.SecurityRule;
import dev.appservice.operator.model.EnvironmentTopology;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The compiler's output for the cases users write most, read as a user would read it. */
class NsgCompilerTest {

    static SecurityRule rule(
            String name,
            int priority,
            RuleAccess access,
            RuleProtocol protocol,
            List<String> prefixes,
            List<String> ports) {
        SecurityRule r = new SecurityRule();
        r.setName(name);
        r.setPriority(priority);
        r.setAccess(access);
        r.setProtocol(protocol);
        r.setSourceAddressPrefixes(prefixes);
        r.setDestinationAddressPrefixes(prefixes);
        r.setDestinationPortRanges(ports);
        return r;
    }

    static NsgCompiler.Result compile(List<SecurityRule> inbound, List<SecurityRule> outbound) {
        AppServiceEnvironment ase = environment(List.of("10.1.2.0/24"), false, inbound, outbound);
        return NsgCompiler.compile(new EnvironmentTopology(ase, List.of()), SETTINGS);
    }

    static NetworkPolicy policy(NsgCompiler.Result result, String name) {
        return result.policies().stream()
                .filter(p -> p.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** Every peer admitted on TCP 8080 (HTTP), from whichever rules admit it, as one rule. */
    static NetworkPolicyIngressRule httpRule(NetworkPolicy frontEnd) {
        List<NetworkPolicyPeer> peers = frontEnd.getSpec().getIngress().stream()
                .filter(r -> r.getPorts() != null
                        && r.getPorts().stream()
                                .anyMatch(p -> "TCP".equals(p.getProtocol())
                                        && p.getPort().getIntVal() <= 8080
                                        && (p.getEndPort() == null ? p.getPort().getIntVal() : p.getEndPort()) >= 8080))
                .flatMap(r -> r.getFrom().stream())
                .toList();
        assertThat(peers).as("peers admitted on HTTP").isNotEmpty();
        return new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder()
                .withFrom(peers)
                .build();
    }

    @Test
    void denyOnACidrAboveAnInternetAllowBecomesAnExcept() {
        var result = compile(
                List.of(
                        rule(
                                "deny-partner",
                                100,
                                RuleAccess.Deny,
                                RuleProtocol.Any,
                                List.of("203.0.113.0/24"),
                                List.of("*")),
                        rule(
                                "allow-internet",
                                200,
                                RuleAccess.Allow,
                                RuleProtocol.Tcp,
                                List.of("Internet"),
                                List.of("80"))),
                null);
        NetworkPolicy frontEnd = policy(result, "ase1-frontend-ingress");
        List<NetworkPolicyPeer> peers = httpRule(frontEnd).getFrom();
        NetworkPolicyPeer v4 = peers.stream()
                .filter(p -> p.getIpBlock() != null && p.getIpBlock().getCidr().equals("0.0.0.0/0"))
                .findFirst()
                .orElseThrow();
        // The partner is carved out; the pod CIDR is never an address peer; the vnet stays in (default
        // AllowVnetInBound).
        assertThat(v4.getIpBlock().getExcept()).containsExactly("10.244.0.0/16", "203.0.113.0/24");
        assertThat(peers)
                .anySatisfy(p -> assertThat(p.getIpBlock())
                        .isNotNull()
                        .extracting(b -> b.getCidr())
                        .isEqualTo("::/0"));
        assertThat(result.policies())
                .extracting(p -> p.getMetadata().getName())
                .containsExactly("ase1-workers-ingress", "ase1-frontend-ingress", "ase1-egress");
    }

    @Test
    void denyOnVirtualNetworkAboveAnAllowOnEverythingBecomesANotInSelector() {
        var result = compile(
                List.of(
                        rule(
                                "deny-vnet",
                                100,
                                RuleAccess.Deny,
                                RuleProtocol.Any,
                                List.of("VirtualNetwork"),
                                List.of("*")),
                        rule("allow-all", 200, RuleAccess.Allow, RuleProtocol.Any, List.of("*"), List.of("*"))),
                null);
        NetworkPolicyIngressRule http = httpRule(policy(result, "ase1-frontend-ingress"));
        NetworkPolicyPeer pods = http.getFrom().stream()
                .filter(p -> p.getNamespaceSelector() != null)
                .findFirst()
                .orElseThrow();
        assertThat(pods.getNamespaceSelector().getMatchLabels()).isNullOrEmpty();
        assertThat(pods.getNamespaceSelector().getMatchExpressions())
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getKey()).isEqualTo("appservice.dev/virtual-network");
                    assertThat(e.getOperator()).isEqualTo("NotIn");
                    assertThat(e.getValues()).containsExactly("vnet1");
                });
        // Addresses of the virtual network are denied too: excepted from the v4 block.
        assertThat(http.getFrom()).anySatisfy(p -> {
            assertThat(p.getIpBlock()).isNotNull();
            assertThat(p.getIpBlock().getCidr()).isEqualTo("0.0.0.0/0");
            assertThat(p.getIpBlock().getExcept()).contains("10.1.2.0/24");
        });
    }

    @Test
    void ipv6RulesCompileToCanonicalIpv6Blocks() {
        var result = compile(
                List.of(
                        rule(
                                "deny-doc",
                                100,
                                RuleAccess.Deny,
                                RuleProtocol.Tcp,
                                List.of("2001:0db8:0000:0000:0000:0000:0000:0000/32"),
                                List.of("80")),
                        rule("allow-v6", 200, RuleAccess.Allow, RuleProtocol.Tcp, List.of("::/0"), List.of("80"))),
                null);
        NetworkPolicyIngressRule http = httpRule(policy(result, "ase1-frontend-ingress"));
        assertThat(http.getFrom()).anySatisfy(p -> {
            assertThat(p.getIpBlock()).isNotNull();
            assertThat(p.getIpBlock().getCidr()).isEqualTo("::/0");
            assertThat(p.getIpBlock().getExcept()).containsExactly("2001:db8::/32", "fd00:10:244::/56");
        });
    }

    @Test
    void managementPortsRangeBecomesPortAndEndPort() {
        var result = compile(
                List.of(rule(
                        "allow-management",
                        100,
                        RuleAccess.Allow,
                        RuleProtocol.Tcp,
                        List.of("AppServiceManagement"),
                        List.of("454-455"))),
                null);
        NetworkPolicy frontEnd = policy(result, "ase1-frontend-ingress");
        assertThat(frontEnd.getSpec().getIngress())
                .anySatisfy(r -> assertThat(r.getPorts()).anySatisfy(p -> {
                    assertThat(p.getPort().getIntVal()).isEqualTo(8454);
                    assertThat(p.getEndPort()).isEqualTo(8455);
                    assertThat(p.getProtocol()).isEqualTo("TCP");
                }));
        assertThat(result.findings()).isEmpty();
    }

    @Test
    void blockingManagementIsAppliedAsWrittenAndReported() {
        var result = compile(
                List.of(rule("deny-454", 100, RuleAccess.Deny, RuleProtocol.Any, List.of("*"), List.of("454-455"))),
                null);
        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("ManagementPortsBlocked");
            assertThat(f.message())
                    .isEqualTo("inbound rule 'deny-454' (priority 100) denies VIP port 454 from AppServiceManagement; "
                            + "on Azure such an environment is suspended");
        });
        // Applied as written: nothing admits 8454 from outside the environment.
        assertThat(policy(result, "ase1-frontend-ingress").getSpec().getIngress())
                .noneSatisfy(r -> assertThat(r.getPorts())
                        .isNotNull()
                        .anySatisfy(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8454)));
    }

    @Test
    void outboundRulesKeepDnsReachableUnlessARuleDeniesIt() {
        var open = compile(
                null,
                List.of(rule(
                        "deny-all-out", 100, RuleAccess.Deny, RuleProtocol.Any, List.of("Internet"), List.of("*"))));
        assertThat(open.findings()).noneMatch(f -> f.conditionType().equals("DnsReachable"));
        assertThat(policy(open, "ase1-egress").getSpec().getEgress())
                .anySatisfy(r -> assertThat(r.getTo())
                        .anySatisfy(p ->
                                assertThat(p.getPodSelector().getMatchLabels()).containsEntry("k8s-app", "kube-dns")));

        var blocked = compile(
                null, List.of(rule("deny-dns", 100, RuleAccess.Deny, RuleProtocol.Udp, List.of("*"), List.of("53"))));
        assertThat(blocked.findings())
                .filteredOn(f -> f.conditionType().equals("DnsReachable"))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.reason()).isEqualTo("DnsBlocked");
                    assertThat(f.message()).contains("'deny-dns'");
                });
        assertThat(policy(blocked, "ase1-egress").getSpec().getEgress())
                .noneSatisfy(r -> assertThat(r.getTo())
                        .anySatisfy(p -> assertThat(p.getPodSelector())
                                .isNotNull()
                                .extracting(s -> s.getMatchLabels())
                                .isEqualTo(java.util.Map.of("k8s-app", "kube-dns"))));
    }

    @Test
    void noNetworkSecurityGroupLeavesAnExternalEnvironmentsFrontEndsOpenButTheWorkersAndMetadataClosed() {
        AppServiceEnvironment ase = environment(List.of("10.1.2.0/24"), false, null, null);
        ase.getSpec().setNetworkSecurityGroup(null);
        var result = NsgCompiler.compile(new EnvironmentTopology(ase, List.of()), SETTINGS);
        assertThat(result.policies())
                .extracting(p -> p.getMetadata().getName())
                .containsExactly("ase1-workers-ingress", "ase1-egress");
    }

    /** Peers and excepts grow with the rules (at most one entry per distinct CIDR per port group), never combinatorially. */
    @Test
    void outputStaysProportionalToTheRules() {
        int previous = 0;
        for (int rules : List.of(125, 250, 500)) {
            List<SecurityRule> inbound = randomRules(new Random(rules), rules);
            var result = compile(inbound, inbound);
            int entries = 0;
            for (NetworkPolicy p : result.policies()) {
                List<List<NetworkPolicyPeer>> peerLists = new ArrayList<>();
                if (p.getSpec().getIngress() != null) {
                    p.getSpec().getIngress().forEach(r -> peerLists.add(r.getFrom()));
                }
                if (p.getSpec().getEgress() != null) {
                    p.getSpec().getEgress().forEach(r -> peerLists.add(r.getTo()));
                }
                for (List<NetworkPolicyPeer> peers : peerLists) {
                    for (NetworkPolicyPeer peer : peers) {
                        entries += 1
                                + (peer.getIpBlock() == null
                                                || peer.getIpBlock().getExcept() == null
                                        ? 0
                                        : peer.getIpBlock().getExcept().size());
                    }
                }
            }
            int distinctCidrs = (int) inbound.stream()
                            .flatMap(r -> r.getSourceAddressPrefixes().stream())
                            .distinct()
                            .count()
                    + 4;
            int portGroups = result.policies().stream()
                    .mapToInt(p -> (p.getSpec().getIngress() == null
                                    ? 0
                                    : p.getSpec().getIngress().size())
                            + (p.getSpec().getEgress() == null
                                    ? 0
                                    : p.getSpec().getEgress().size()))
                    .sum();
            assertThat(entries).as("%d rules", rules).isLessThanOrEqualTo((distinctCidrs + 4) * portGroups);
            assertThat(portGroups).as("%d rules: port groups", rules).isLessThanOrEqualTo(2 * rules + 12);
            previous = entries;
        }
        assertThat(previous).isPositive();
    }

    static List<SecurityRule> randomRules(Random random, int count) {
        List<SecurityRule> rules = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String cidr = (10 + random.nextInt(200)) + "." + random.nextInt(256) + ".0.0/" + (8 + random.nextInt(17));
            rules.add(rule(
                    "r" + i,
                    100 + i,
                    random.nextBoolean() ? RuleAccess.Allow : RuleAccess.Deny,
                    RuleProtocol.Tcp,
                    List.of(dev.appservice.operator.network.Cidr.parse(cidr).toString()),
                    List.of(String.valueOf(1 + random.nextInt(1000)))));
        }
        return rules;
    }
}
