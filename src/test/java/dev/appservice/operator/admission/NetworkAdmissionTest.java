package dev.appservice.operator.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.LoadBalancerType;
import dev.appservice.operator.api.NetworkSecurityGroup;
import dev.appservice.operator.api.RuleAccess;
import dev.appservice.operator.api.SecurityRule;
import dev.appservice.operator.api.ServiceType;
import dev.appservice.operator.cli.CommandLine;
import dev.appservice.operator.config.NetworkSettings;
import dev.appservice.operator.network.NsgStaircases;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.validation.AdmissionRules;
import dev.appservice.operator.validation.ClusterView;
import dev.appservice.operator.validation.NetworkSecurityGroupBudget;
import dev.appservice.operator.validation.SpecValidation;
import dev.appservice.operator.validation.Violation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network rules of admission, as the webhook and {@code validate} apply them (both call
 * {@link AdmissionRules}): empty lists, IPv4-mapped IPv6, exclusive subnets, policies too large
 * for the API server, an Internal environment behind a public load balancer.
 */
class NetworkAdmissionTest {
    static final NetworkSettings NETWORK = NetworkSettings.defaults();
    static final ClusterView EMPTY = ClusterView.of(List.of(), List.of(), List.of());

    static AppServiceEnvironment environment(String namespace, String name, String vnet, String subnet) {
        AppServiceEnvironment ase = Fixtures.environment(namespace, name);
        ase.getSpec().getVirtualNetwork().setName(vnet);
        ase.getSpec().getVirtualNetwork().setSubnet(subnet);
        return ase;
    }

    static SecurityRule inbound(String name, List<String> prefixes, List<String> ports) {
        SecurityRule r = new SecurityRule();
        r.setName(name);
        r.setPriority(100);
        r.setAccess(RuleAccess.Allow);
        r.setSourceAddressPrefixes(prefixes);
        r.setDestinationPortRanges(ports);
        return r;
    }

    static AppServiceEnvironment withInbound(SecurityRule... rules) {
        AppServiceEnvironment ase = Fixtures.environment("contoso", "ase1");
        NetworkSecurityGroup nsg = new NetworkSecurityGroup();
        nsg.setInboundRules(List.of(rules));
        ase.getSpec().setNetworkSecurityGroup(nsg);
        return ase;
    }

    static List<String> errors(List<Violation> violations) {
        return violations.stream()
                .filter(v -> !v.warning())
                .map(Violation::describe)
                .toList();
    }

    static List<String> warnings(List<Violation> violations) {
        return violations.stream()
                .filter(Violation::warning)
                .map(Violation::describe)
                .toList();
    }

    @Test
    void emptyPrefixAndPortListsAreRefusedNotReadAsEverything() {
        AppServiceEnvironment ase = withInbound(inbound("open", List.of(), List.of()));
        List<String> errors = errors(AdmissionRules.check(ase, null, EMPTY, NETWORK));
        assertThat(errors)
                .anySatisfy(e -> assertThat(e)
                        .startsWith("AppServiceEnvironment contoso/ase1: spec.networkSecurityGroup.inboundRules[0]"
                                + ".sourceAddressPrefixes must name at least one address prefix"));
        assertThat(errors)
                .anySatisfy(e -> assertThat(e)
                        .startsWith("AppServiceEnvironment contoso/ase1: spec.networkSecurityGroup.inboundRules[0]"
                                + ".destinationPortRanges must name at least one port"));
        // What the reconciler refuses too (InvalidSpec), past a bypassed webhook.
        assertThat(SpecValidation.errors(ase)).hasSize(2);
        // Left out, the fields mean "*", as documented.
        assertThat(errors(AdmissionRules.check(withInbound(inbound("open", null, null)), null, EMPTY, NETWORK)))
                .isEmpty();
    }

    @Test
    void ipv4MappedIpv6IsRefusedNamingObjectRuleAndFieldEverywhereItCanStand() {
        for (String mapped :
                List.of("::ffff:0:0/96", "::ffff:10.0.0.0/8", "::ffff:a00:0/104", "0:0:0:0:0:ffff:0a00:0000/104")) {
            AppServiceEnvironment rule = withInbound(inbound("mapped", List.of("10.0.0.0/8", mapped), List.of("443")));
            assertThat(errors(AdmissionRules.check(rule, null, EMPTY, NETWORK)))
                    .as(mapped)
                    .singleElement()
                    .satisfies(e -> assertThat(e)
                            .startsWith(
                                    "AppServiceEnvironment contoso/ase1: spec.networkSecurityGroup.inboundRules[0].sourceAddressPrefixes[1] ")
                            .contains("'" + mapped + "'", "IPv4-mapped"));
            AppServiceEnvironment subnet = environment("contoso", "ase1", "vnet1", mapped);
            subnet.getSpec().getVirtualNetwork().setAddressPrefixes(List.of(mapped));
            List<String> errors = errors(AdmissionRules.check(subnet, null, EMPTY, NETWORK));
            assertThat(errors)
                    .as(mapped)
                    .anySatisfy(e -> assertThat(e)
                            .startsWith("AppServiceEnvironment contoso/ase1: spec.virtualNetwork.subnet ")
                            .contains("IPv4-mapped"));
            assertThat(errors)
                    .as(mapped)
                    .anySatisfy(e -> assertThat(e)
                            .startsWith("AppServiceEnvironment contoso/ase1: spec.virtualNetwork.addressPrefixes[0] ")
                            .contains("IPv4-mapped"));
            assertThat(SpecValidation.errors(subnet))
                    .as("the reconciler's check")
                    .hasSize(2);
        }
        // Plain IPv6, including an embedded IPv4 outside the mapped block, is still fine.
        assertThat(errors(AdmissionRules.check(
                        withInbound(inbound("v6", List.of("64:ff9b::10.0.0.0/120", "fd00::/64"), List.of("443"))),
                        null,
                        EMPTY,
                        NETWORK)))
                .isEmpty();
    }

    @Test
    void messagesNeverEchoControlCharacters() {
        String hostile = "10.0.0.0/8\n\u001b[31mFAKE\u0007\u202e";
        AppServiceEnvironment ase = withInbound(inbound("hostile", List.of(hostile), List.of("443\r\n")));
        List<String> errors = errors(AdmissionRules.check(ase, null, EMPTY, NETWORK));
        assertThat(errors)
                .hasSize(2)
                .allSatisfy(e -> assertThat(e.chars()
                                .noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT))
                        .as(e)
                        .isTrue());
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("\\n\\u001b[31mFAKE\\u0007\\u202e"));
    }

    @Test
    void overlappingSubnetsOfOneVirtualNetworkAreRefusedOnCreateAndUpdate() {
        AppServiceEnvironment first = environment("team-a", "ase1", "shared-vnet", "10.5.0.0/16");
        ClusterView cluster = ClusterView.of(List.of(first), List.of(), List.of());
        // Same subnet, a subnet inside it, one around it: refused, naming the other environment (in another namespace).
        for (String subnet : List.of("10.5.0.0/16", "10.5.3.0/24", "10.0.0.0/8")) {
            AppServiceEnvironment second = environment("team-b", "ase2", "shared-vnet", subnet);
            assertThat(errors(AdmissionRules.check(second, null, cluster, NETWORK)))
                    .as(subnet)
                    .containsExactly(
                            "AppServiceEnvironment team-b/ase2: spec.virtualNetwork.subnet " + subnet
                                    + " overlaps subnet 10.5.0.0/16 of "
                                    + "AppServiceEnvironment team-a/ase1 in virtual network shared-vnet; an ASE's subnet is its own: choose a subnet outside it");
        }
        // A disjoint subnet, or the same subnet in another virtual network: admitted.
        assertThat(errors(AdmissionRules.check(
                        environment("team-b", "ase2", "shared-vnet", "10.6.0.0/16"), null, cluster, NETWORK)))
                .isEmpty();
        assertThat(errors(AdmissionRules.check(
                        environment("team-b", "ase2", "other-vnet", "10.5.0.0/16"), null, cluster, NETWORK)))
                .isEmpty();
        // Updating an environment does not overlap it with itself.
        assertThat(errors(AdmissionRules.check(first, first, cluster, NETWORK))).isEmpty();
        // Update: moving into the other's subnet is refused; moving into the virtual network with an overlapping subnet
        // too.
        AppServiceEnvironment before = environment("team-b", "ase2", "shared-vnet", "10.6.0.0/16");
        ClusterView both = ClusterView.of(List.of(first, before), List.of(), List.of());
        assertThat(errors(AdmissionRules.check(
                        environment("team-b", "ase2", "shared-vnet", "10.5.128.0/17"), before, both, NETWORK)))
                .singleElement()
                .satisfies(e ->
                        assertThat(e).contains("overlaps subnet 10.5.0.0/16 of AppServiceEnvironment team-a/ase1"));
        AppServiceEnvironment elsewhere = environment("team-b", "ase2", "other-vnet", "10.5.0.0/16");
        assertThat(errors(AdmissionRules.check(
                        environment("team-b", "ase2", "shared-vnet", "10.5.0.0/16"),
                        elsewhere,
                        ClusterView.of(List.of(first, elsewhere), List.of(), List.of()),
                        NETWORK)))
                .hasSize(1);
        // An overlap that got past admission (webhook down) does not freeze the earlier environment: its updates are
        // only warned about.
        AppServiceEnvironment overlapping = environment("team-b", "ase2", "shared-vnet", "10.5.0.0/16");
        ClusterView raced = ClusterView.of(List.of(first, overlapping), List.of(), List.of());
        List<Violation> update = AdmissionRules.check(first, first, raced, NETWORK);
        assertThat(errors(update)).isEmpty();
        assertThat(warnings(update))
                .anySatisfy(w ->
                        assertThat(w).contains("overlaps subnet 10.5.0.0/16 of AppServiceEnvironment team-b/ase2"));
    }

    @Test
    void validateRefusesOverlappingSubnetsInTheSameSet(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("envs.yaml"), """
                apiVersion: appservice.dev/v1alpha1
                kind: AppServiceEnvironment
                metadata: {name: ase1, namespace: team-a}
                spec:
                  virtualNetwork: {name: shared-vnet, subnet: 10.5.0.0/16}
                ---
                apiVersion: appservice.dev/v1alpha1
                kind: AppServiceEnvironment
                metadata: {name: ase2, namespace: team-b}
                spec:
                  virtualNetwork: {name: shared-vnet, subnet: 10.5.7.0/24}
                """);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new CommandLine(
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(new String[] {"validate", "-f", dir.toString()});
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(stderr).isEqualTo(CommandLine.INVALID_INPUT);
        assertThat(stderr)
                .contains(
                        "AppServiceEnvironment team-b/ase2: spec.virtualNetwork.subnet 10.5.7.0/24 overlaps subnet 10.5.0.0/16 of "
                                + "AppServiceEnvironment team-a/ase1");
    }

    @Test
    void validateRefusesMappedIpv6AndEmptyListsWithoutAStackTrace(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("env.yaml"), """
                apiVersion: appservice.dev/v1alpha1
                kind: AppServiceEnvironment
                metadata: {name: ase1, namespace: team-a}
                spec:
                  virtualNetwork: {name: vnet1, subnet: "::ffff:0:0/96"}
                  networkSecurityGroup:
                    inboundRules:
                    - {name: open, priority: 100, access: Allow, sourceAddressPrefixes: [], destinationPortRanges: []}
                """);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new CommandLine(
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(new String[] {"validate", "-f", dir.toString()});
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(stderr).isEqualTo(CommandLine.INVALID_INPUT);
        assertThat(stderr)
                .contains("spec.virtualNetwork.subnet '::ffff:0:0/96' is an IPv4-mapped IPv6 address")
                .contains("spec.networkSecurityGroup.inboundRules[0].sourceAddressPrefixes must name at least one")
                .contains("spec.networkSecurityGroup.inboundRules[0].destinationPortRanges must name at least one")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    @Test
    void policiesTooLargeForTheApiServerAreRefusedNamingTheRules() {
        // Within the cost budget (few port boundaries), but every one of 20,480 CIDRs is a peer of its own.
        AppServiceEnvironment ase = NsgStaircases.environment(NsgStaircases.wide(40, 512));
        List<String> errors = errors(AdmissionRules.check(ase, null, EMPTY, NETWORK));
        assertThat(errors)
                .singleElement()
                .satisfies(e -> assertThat(e)
                        .startsWith(
                                "AppServiceEnvironment contoso/ase1: spec.networkSecurityGroup.outboundRules would compile into NetworkPolicy ase1-egress of about ")
                        .contains("limit 1024 KiB", "'wide-", "(priority "));
        // The staircases the API accepts are admitted: they compile compactly.
        for (int steps : List.of(300, 800)) {
            assertThat(errors(AdmissionRules.check(
                            NsgStaircases.environment(NsgStaircases.staircase(steps)), null, EMPTY, NETWORK)))
                    .as("%d steps", steps)
                    .isEmpty();
        }
    }

    /**
     * A crafted review (a 3,990-step staircase: 16 million rule-port decisions to compile, the
     * worst the schema admits) is refused by the budget, before the compiler runs: the only problem
     * reported is the budget's (a compiled NSG would also have been assessed for size and
     * findings), naming object, field, estimate and limit.
     */
    @Test
    void aReviewAboveTheCostBudgetIsRefusedBeforeCompilation() {
        int steps = 3990; // the most the priorities 100..4096 allow, with the final Deny
        AppServiceEnvironment ase = NsgStaircases.environment(NsgStaircases.staircase(steps));
        List<Violation> violations = AdmissionRules.check(ase, null, EMPTY, NETWORK);
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.warning()).isFalse();
            assertThat(v.object()).isEqualTo("AppServiceEnvironment contoso/ase1");
            assertThat(v.field()).isEqualTo("spec.networkSecurityGroup.outboundRules");
            assertThat(v.message())
                    .startsWith("is too costly to check")
                    .contains(steps + 1 + " rules")
                    .contains("above the limit of " + NetworkSecurityGroupBudget.MAX_RULE_PORT_DECISIONS);
        });
        // Too many prefixes: refused the same way.
        List<dev.appservice.operator.api.SecurityRule> scattered = NsgStaircases.wide(130, 512);
        assertThat(errors(AdmissionRules.check(NsgStaircases.environment(scattered), null, EMPTY, NETWORK)))
                .singleElement()
                .satisfies(e -> assertThat(e).contains("address prefixes in all, above the limit of 65536"));
    }

    @Test
    void anInternalEnvironmentBehindAPublicLoadBalancerIsWarnedAbout() {
        AppServiceEnvironment ase = Fixtures.environment("contoso", "ase1", LoadBalancerType.Internal, null);
        ase.getSpec().getLoadBalancer().setServiceType(ServiceType.LoadBalancer);
        List<Violation> violations = AdmissionRules.check(ase, null, EMPTY, NETWORK);
        assertThat(errors(violations)).isEmpty();
        assertThat(warnings(violations))
                .singleElement()
                .satisfies(w -> assertThat(w)
                        .startsWith(
                                "AppServiceEnvironment contoso/ase1: spec.loadBalancer.serviceType LoadBalancer on an Internal environment gets a public load balancer")
                        .contains("service.beta.kubernetes.io/azure-load-balancer-internal"));
        // With the provider's internal annotation, or as ClusterIP (the Internal default), or External: nothing to say.
        ase.getSpec()
                .getLoadBalancer()
                .setAnnotations(Map.of("service.beta.kubernetes.io/azure-load-balancer-internal", "true"));
        assertThat(warnings(AdmissionRules.check(ase, null, EMPTY, NETWORK))).isEmpty();
        ase.getSpec().getLoadBalancer().setAnnotations(Map.of("networking.gke.io/load-balancer-type", "Internal"));
        assertThat(warnings(AdmissionRules.check(ase, null, EMPTY, NETWORK))).isEmpty();
        ase.getSpec()
                .getLoadBalancer()
                .setAnnotations(Map.of("service.beta.kubernetes.io/azure-load-balancer-internal", "false"));
        assertThat(warnings(AdmissionRules.check(ase, null, EMPTY, NETWORK))).hasSize(1);
        assertThat(warnings(AdmissionRules.check(
                        Fixtures.environment("contoso", "ase1", LoadBalancerType.Internal, null),
                        null,
                        EMPTY,
                        NETWORK)))
                .isEmpty();
        AppServiceEnvironment external = Fixtures.environment("contoso", "ase1", LoadBalancerType.External, null);
        assertThat(warnings(AdmissionRules.check(external, null, EMPTY, NETWORK)))
                .isEmpty();
    }
}
