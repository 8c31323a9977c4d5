package dev.appservice.operator.network;

import static dev.appservice.operator.network.NsgCompilerPropertyTest.SETTINGS;
import static dev.appservice.operator.network.NsgCompilerPropertyTest.environment;
import static dev.appservice.operator.network.NsgCompilerTest.rule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.FrontEndSettings;
import dev.appservice.operator.api.LoadBalancerSettings;
import dev.appservice.operator.api.LoadBalancerType;
import dev.appservice.operator.api.RuleAccess;
import dev.appservice.operator.api.RuleProtocol;
import dev.appservice.operator.api.SecurityRule;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.desired.AppPeers;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.network.AzureNsgEvaluator.Address;
import dev.appservice.operator.network.AzureNsgEvaluator.Peer;
import dev.appservice.operator.network.AzureNsgEvaluator.Pod;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.apiserver.FieldErrors;
import dev.appservice.operator.testing.apiserver.NetworkPolicyRules;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Isolation by default (API.md, "Isolation"), read off the compiled NetworkPolicies the way a CNI
 * applies them: an Internal environment's front ends are closed to other virtual networks, one app
 * cannot call another app's pods except through the front ends, and the link-local metadata
 * addresses are closed unless an outbound rule names them.
 */
class NetworkIsolationTest {
    static final String NS = NsgCompilerPropertyTest.NS;
    static final int HTTP_CONTAINER_PORT = 8080;
    static final int APP_PORT = 8080;
    static final int HTTP_PORT = 80;
    static final String TRUSTED_PROXY = "198.51.100.0/24";

    static final Pod FRONT_END = new Pod(
            NS,
            Map.of(),
            Map.of(StandardLabels.ENVIRONMENT, "ase1", StandardLabels.ROLE, StandardLabels.ROLE_FRONT_END));
    static final Pod APP_A = app("app-a");
    static final Pod APP_B = app("app-b");
    static final Pod OWN_VNET_CLIENT = new Pod(
            "team-vnet", Map.of(StandardLabels.VIRTUAL_NETWORK, NsgCompilerPropertyTest.VNET), Map.of("app", "client"));
    static final Pod OTHER_VNET_CLIENT =
            new Pod("team-other", Map.of(StandardLabels.VIRTUAL_NETWORK, "other-vnet"), Map.of("app", "client"));
    static final Pod UNLABELLED_CLIENT = new Pod("team-x", Map.of(), Map.of("app", "client"));

    static Pod app(String name) {
        return new Pod(
                NS,
                Map.of(),
                Map.of(
                        StandardLabels.ENVIRONMENT,
                        "ase1",
                        StandardLabels.ROLE,
                        StandardLabels.ROLE_WORKER,
                        StandardLabels.WEBAPP,
                        name));
    }

    static List<NetworkPolicy> compile(AppServiceEnvironment ase) {
        return NsgCompiler.compile(new EnvironmentTopology(ase, List.of()), SETTINGS)
                .policies();
    }

    static AppServiceEnvironment internal(List<SecurityRule> inbound, boolean withNsg) {
        AppServiceEnvironment ase = environment(List.of("10.1.2.0/24"), false, inbound, List.of());
        if (!withNsg) {
            ase.getSpec().setNetworkSecurityGroup(null);
        }
        LoadBalancerSettings lb = new LoadBalancerSettings();
        lb.setType(LoadBalancerType.Internal);
        ase.getSpec().setLoadBalancer(lb);
        FrontEndSettings frontEnd = new FrontEndSettings();
        frontEnd.setTrustedProxies(List.of(TRUSTED_PROXY));
        ase.getSpec().setFrontEnd(frontEnd);
        return ase;
    }

    static boolean reachesFrontEnd(List<NetworkPolicy> policies, Peer peer) {
        return KubernetesPolicyEvaluator.ingressAllowed(policies, FRONT_END, peer, "TCP", HTTP_CONTAINER_PORT);
    }

    @ParameterizedTest(name = "with an NSG: {0}")
    @ValueSource(booleans = {false, true})
    void internalFrontEndsAreClosedToOtherVirtualNetworks(boolean withNsg) {
        // An NSG that admits everything on HTTP: the ILB still is reachable only from its virtual network.
        List<NetworkPolicy> policies = compile(internal(
                List.of(rule("allow-all", 100, RuleAccess.Allow, RuleProtocol.Any, List.of("*"), List.of("*"))),
                withNsg));

        assertThat(reachesFrontEnd(policies, OWN_VNET_CLIENT))
                .as("own virtual network")
                .isTrue();
        assertThat(reachesFrontEnd(policies, new Address("10.1.2.40")))
                .as("subnet")
                .isTrue();
        assertThat(reachesFrontEnd(policies, new Address("198.51.100.9")))
                .as("trusted proxy")
                .isTrue();
        assertThat(reachesFrontEnd(policies, new Address("168.63.129.16")))
                .as("AzureLoadBalancer")
                .isTrue();
        assertThat(reachesFrontEnd(policies, APP_A))
                .as("the environment's own apps")
                .isTrue();

        assertThat(reachesFrontEnd(policies, OTHER_VNET_CLIENT))
                .as("another virtual network")
                .isFalse();
        assertThat(reachesFrontEnd(policies, UNLABELLED_CLIENT))
                .as("a namespace of no virtual network")
                .isFalse();
        assertThat(reachesFrontEnd(policies, new Address("203.0.113.5")))
                .as("the Internet")
                .isFalse();
        assertThat(reachesFrontEnd(policies, new Address("10.1.3.1")))
                .as("outside the subnet")
                .isFalse();
    }

    @Test
    void anExternalEnvironmentWithoutAnNsgKeepsItsFrontEndsOpen() {
        AppServiceEnvironment ase = environment(List.of("10.1.2.0/24"), false, null, null);
        ase.getSpec().setNetworkSecurityGroup(null);
        List<NetworkPolicy> policies = compile(ase);
        assertThat(reachesFrontEnd(policies, OTHER_VNET_CLIENT)).isTrue();
        assertThat(reachesFrontEnd(policies, new Address("203.0.113.5"))).isTrue();
    }

    @ParameterizedTest(name = "with an NSG: {0}")
    @ValueSource(booleans = {false, true})
    void anAppsOwnInstancesAndSlotsReachEachOtherAndNoOtherAppDoes(boolean withNsg) {
        AppServiceEnvironment ase = environment(List.of("10.1.2.0/24"), false, List.of(), List.of());
        if (!withNsg) {
            ase.getSpec().setNetworkSecurityGroup(null);
        }
        WebApp appA = Fixtures.app(NS, "app-a", "plan", APP_PORT);
        DeploymentSlot staging = new DeploymentSlot();
        staging.setName("staging");
        appA.getSpec().setSlots(List.of(staging));
        EnvironmentTopology topology = new EnvironmentTopology(ase, List.of());
        List<NetworkPolicy> policies = new ArrayList<>(compile(ase));
        policies.add(AppPeers.of(topology, appA));
        policies.add(AppPeers.of(topology, Fixtures.app(NS, "app-b", "plan", APP_PORT)));
        Pod appAStaging = app(ResourceNames.slotWorkload("app-a", "staging"));
        Pod appBStaging = app(ResourceNames.slotWorkload("app-b", "staging"));

        assertThat(KubernetesPolicyEvaluator.ingressAllowed(policies, APP_A, APP_A, "TCP", APP_PORT))
                .as("one instance of app A to another")
                .isTrue();
        assertThat(KubernetesPolicyEvaluator.ingressAllowed(policies, APP_A, appAStaging, "TCP", 9000))
                .as("app A's staging slot to app A, on any port")
                .isTrue();
        assertThat(KubernetesPolicyEvaluator.ingressAllowed(policies, appAStaging, APP_A, "TCP", APP_PORT))
                .as("app A to its staging slot")
                .isTrue();
        assertThat(KubernetesPolicyEvaluator.ingressAllowed(policies, APP_A, APP_B, "TCP", APP_PORT))
                .as("app B to app A")
                .isFalse();
        assertThat(KubernetesPolicyEvaluator.ingressAllowed(policies, appAStaging, APP_B, "TCP", APP_PORT))
                .as("app B to app A's slot")
                .isFalse();
        assertThat(KubernetesPolicyEvaluator.ingressAllowed(policies, APP_B, appAStaging, "TCP", APP_PORT))
                .as("app A's slot to app B")
                .isFalse();
        assertThat(KubernetesPolicyEvaluator.ingressAllowed(policies, appBStaging, APP_B, "TCP", APP_PORT))
                .as("app B has no staging slot: a pod labelled as one is not its peer")
                .isFalse();
        assertThat(KubernetesPolicyEvaluator.ingressAllowed(policies, APP_A, OWN_VNET_CLIENT, "TCP", APP_PORT))
                .as("a client of the virtual network to app A's pods")
                .isFalse();
        assertThat(KubernetesPolicyEvaluator.ingressAllowed(policies, APP_A, FRONT_END, "TCP", APP_PORT))
                .as("the front ends to app A")
                .isTrue();
    }

    @ParameterizedTest(name = "with an NSG: {0}")
    @ValueSource(booleans = {false, true})
    void appsReachEachOtherOnlyThroughTheFrontEnds(boolean withNsg) {
        AppServiceEnvironment ase = environment(
                List.of("10.1.2.0/24"),
                false,
                List.of(rule("allow-all", 100, RuleAccess.Allow, RuleProtocol.Any, List.of("*"), List.of("*"))),
                List.of(rule("allow-all-out", 100, RuleAccess.Allow, RuleProtocol.Any, List.of("*"), List.of("*"))));
        if (!withNsg) {
            ase.getSpec().setNetworkSecurityGroup(null);
        }
        List<NetworkPolicy> policies = compile(ase);

        assertThat(KubernetesPolicyEvaluator.ingressAllowed(policies, APP_B, APP_A, "TCP", APP_PORT))
                .as("app A calls app B's pods directly")
                .isFalse();
        assertThat(KubernetesPolicyEvaluator.ingressAllowed(policies, APP_B, OWN_VNET_CLIENT, "TCP", APP_PORT))
                .as("a client of the virtual network calls app B's pods directly")
                .isFalse();
        // Through the front ends: A to a front end, then the front end to B.
        assertThat(KubernetesPolicyEvaluator.egressAllowed(policies, APP_A, FRONT_END, "TCP", HTTP_CONTAINER_PORT))
                .isTrue();
        assertThat(reachesFrontEnd(policies, APP_A))
                .as("app A to the front ends")
                .isTrue();
        assertThat(KubernetesPolicyEvaluator.egressAllowed(policies, FRONT_END, APP_B, "TCP", APP_PORT))
                .isTrue();
        assertThat(KubernetesPolicyEvaluator.ingressAllowed(policies, APP_B, FRONT_END, "TCP", APP_PORT))
                .as("the front ends to app B")
                .isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"169.254.169.254", "fd00:ec2::254"})
    void metadataIsDeniedByDefaultEvenToBroadAllows(String metadata) {
        Address address = new Address(metadata);
        AppServiceEnvironment withoutNsg = environment(List.of("10.1.2.0/24"), false, null, null);
        withoutNsg.getSpec().setNetworkSecurityGroup(null);
        assertThat(KubernetesPolicyEvaluator.egressAllowed(compile(withoutNsg), APP_A, address, "TCP", HTTP_PORT))
                .as("no NSG")
                .isFalse();
        assertThat(KubernetesPolicyEvaluator.egressAllowed(
                        compile(withoutNsg), APP_A, new Address("203.0.113.5"), "TCP", HTTP_PORT))
                .as("any other address, no NSG")
                .isTrue();

        for (String tag : List.of("*", "Internet", "VirtualNetwork")) {
            AppServiceEnvironment broad = environment(
                    List.of("10.1.2.0/24"),
                    false,
                    List.of(),
                    List.of(rule("allow-" + tag, 100, RuleAccess.Allow, RuleProtocol.Any, List.of(tag), List.of("*"))));
            assertThat(KubernetesPolicyEvaluator.egressAllowed(compile(broad), APP_A, address, "TCP", HTTP_PORT))
                    .as("an Allow on %s", tag)
                    .isFalse();
            assertThat(AzureNsgEvaluator.decide(
                            broad.getSpec().getNetworkSecurityGroup().getOutboundRules(),
                            false,
                            network(),
                            address,
                            "TCP",
                            HTTP_PORT))
                    .as("the oracle, an Allow on %s", tag)
                    .isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"169.254.169.254/32", "169.254.0.0/16", "fd00:ec2::254/128"})
    void metadataIsAllowedByAnExplicitRule(String cidr) {
        String ip = cidr.contains(":") ? "fd00:ec2::254" : "169.254.169.254";
        List<SecurityRule> outbound =
                List.of(rule("allow-metadata", 200, RuleAccess.Allow, RuleProtocol.Tcp, List.of(cidr), List.of("80")));
        AppServiceEnvironment ase = environment(List.of("10.1.2.0/24"), false, List.of(), outbound);
        List<NetworkPolicy> policies = compile(ase);
        assertThat(KubernetesPolicyEvaluator.egressAllowed(policies, APP_A, new Address(ip), "TCP", HTTP_PORT))
                .isTrue();
        assertThat(AzureNsgEvaluator.decide(outbound, false, network(), new Address(ip), "TCP", HTTP_PORT))
                .isTrue();
        assertThat(KubernetesPolicyEvaluator.egressAllowed(policies, APP_A, new Address(ip), "TCP", HTTP_PORT + 1))
                .as("only on the ports the rule names")
                .isFalse();
    }

    /** Every policy the isolation adds is one the API server accepts (the validating mock server's rules). */
    @ParameterizedTest(name = "with an NSG: {0}")
    @ValueSource(booleans = {false, true})
    void theRenderedPoliciesAreValid(boolean withNsg) {
        KubernetesSerialization serialization = new KubernetesSerialization();
        AppServiceEnvironment ase = internal(
                List.of(rule("allow-https", 100, RuleAccess.Allow, RuleProtocol.Tcp, List.of("*"), List.of("443"))),
                withNsg);
        List<NetworkPolicy> policies = new ArrayList<>(compile(ase));
        assertThat(policies).hasSizeGreaterThanOrEqualTo(3);
        WebApp withSlot = Fixtures.app(NS, "app-a", "plan", APP_PORT);
        DeploymentSlot staging = new DeploymentSlot();
        staging.setName("staging");
        withSlot.getSpec().setSlots(List.of(staging));
        policies.add(AppPeers.of(new EnvironmentTopology(ase, List.of()), withSlot));
        for (NetworkPolicy policy : policies) {
            FieldErrors errors = new FieldErrors();
            NetworkPolicyRules.validate(
                    serialization.convertValue(policy, com.fasterxml.jackson.databind.JsonNode.class), errors);
            assertThat(errors.list()).as(policy.getMetadata().getName()).isEmpty();
        }
    }

    static AzureNsgEvaluator.Network network() {
        return new AzureNsgEvaluator.Network(
                NsgCompilerPropertyTest.VNET,
                List.of("10.1.2.0/24"),
                SETTINGS.azureLoadBalancerCidrs(),
                NsgCompilerPropertyTest.OPERATOR_NS,
                NS,
                "ase1");
    }
}
