package dev.appservice.operator.network;

import static dev.appservice.operator.network.NsgCompilerPropertyTest.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.cli.Manifests;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.network.AzureNsgEvaluator.Address;
import dev.appservice.operator.network.AzureNsgEvaluator.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The layered security architecture of the seed: environment B admits only environment A, by A's
 * outbound address. Compiled from examples/layered-security.yaml as a user writes it, and read
 * back the Kubernetes way: A's apps reach B's front ends, and nothing else of A, nor any other
 * environment, nor any other address; without A's gateway the rule matches no pod (as on a cluster
 * A's apps would then call from their nodes' addresses).
 */
class LayeredSecurityTest {
    static final Path EXAMPLE = Path.of("examples/layered-security.yaml");
    static final String A_OUTBOUND = "203.0.113.10";

    @Test
    void environmentBAdmitsOnlyEnvironmentAsAppsByItsOutboundAddress() throws Exception {
        List<AppServiceEnvironment> environments = environments();
        AppServiceEnvironment a = named(environments, "frontline");
        AppServiceEnvironment b = named(environments, "backend");
        assertThat(a.getSpec().egressGateway()).isPresent();
        assertThat(a.getSpec().egressGateway().get().getAddresses()).containsExactly(A_OUTBOUND);

        List<FixedOutbound> fixed = FixedOutbound.of(environments, b);
        assertThat(fixed).containsExactly(new FixedOutbound("layered", "frontline", List.of(A_OUTBOUND)));
        List<NetworkPolicy> policies = compile(b, fixed);
        Pod bFrontEnd = new Pod(
                "layered",
                Map.of(),
                Map.of(StandardLabels.ENVIRONMENT, "backend", StandardLabels.ROLE, StandardLabels.ROLE_FRONT_END));

        assertThat(allowed(policies, bFrontEnd, aApp()))
                .as("A's app, by its outbound address")
                .isTrue();
        assertThat(allowed(policies, bFrontEnd, new Address(A_OUTBOUND)))
                .as("the address itself (traffic that does come from it)")
                .isTrue();
        assertThat(allowed(policies, bFrontEnd, aFrontEnd()))
                .as("A's front ends")
                .isFalse();
        assertThat(allowed(policies, bFrontEnd, otherApp("elsewhere")))
                .as("an app of an environment without a fixed address")
                .isFalse();
        assertThat(allowed(policies, bFrontEnd, new Address("203.0.113.11")))
                .as("another address")
                .isFalse();
        assertThat(allowed(policies, bFrontEnd, new Pod("layered", Map.of(), Map.of("app", "client"))))
                .as("a pod of no environment")
                .isFalse();
    }

    @Test
    void withoutAsGatewayTheRuleMatchesNoPod() throws Exception {
        List<AppServiceEnvironment> environments = environments();
        AppServiceEnvironment b = named(environments, "backend");
        named(environments, "frontline").getSpec().setOutbound(null);

        List<NetworkPolicy> policies = compile(b, FixedOutbound.of(environments, b));
        Pod bFrontEnd = new Pod(
                "layered",
                Map.of(),
                Map.of(StandardLabels.ENVIRONMENT, "backend", StandardLabels.ROLE, StandardLabels.ROLE_FRONT_END));
        assertThat(allowed(policies, bFrontEnd, aApp())).isFalse();
        assertThat(allowed(policies, bFrontEnd, new Address(A_OUTBOUND))).isTrue();
    }

    static boolean allowed(List<NetworkPolicy> policies, Pod target, AzureNsgEvaluator.Peer peer) {
        return KubernetesPolicyEvaluator.ingressAllowed(policies, target, peer, "TCP", 8080);
    }

    static List<NetworkPolicy> compile(AppServiceEnvironment b, List<FixedOutbound> fixed) {
        return NsgCompiler.compile(new EnvironmentTopology(b, List.of()), SETTINGS, fixed)
                .policies();
    }

    static Pod aApp() {
        return new Pod(
                "layered",
                Map.of(),
                Map.of(
                        StandardLabels.ENVIRONMENT,
                        "frontline",
                        StandardLabels.ROLE,
                        StandardLabels.ROLE_WORKER,
                        StandardLabels.WEBAPP,
                        "portal",
                        StandardLabels.OUTBOUND,
                        StandardLabels.OUTBOUND_EGRESS_GATEWAY));
    }

    static Pod aFrontEnd() {
        return new Pod(
                "layered",
                Map.of(),
                Map.of(StandardLabels.ENVIRONMENT, "frontline", StandardLabels.ROLE, StandardLabels.ROLE_FRONT_END));
    }

    static Pod otherApp(String environment) {
        return new Pod(
                "layered",
                Map.of(),
                Map.of(
                        StandardLabels.ENVIRONMENT,
                        environment,
                        StandardLabels.ROLE,
                        StandardLabels.ROLE_WORKER,
                        StandardLabels.WEBAPP,
                        "shop"));
    }

    static List<AppServiceEnvironment> environments() throws Exception {
        return Manifests.read(List.of(EXAMPLE)).environments();
    }

    static AppServiceEnvironment named(List<AppServiceEnvironment> environments, String name) {
        return environments.stream()
                .filter(e -> e.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
