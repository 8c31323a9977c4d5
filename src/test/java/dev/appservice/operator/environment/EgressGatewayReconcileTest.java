package dev.appservice.operator.environment;

import static dev.appservice.operator.testing.Fixtures.environment;
import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.EgressGateway;
import dev.appservice.operator.api.EgressGatewayProvider;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.OutboundSettings;
import dev.appservice.operator.api.OutboundStatus;
import dev.appservice.operator.desired.EgressGateways;
import dev.appservice.operator.desired.EgressGateways.ProviderApi;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import dev.appservice.operator.testing.apiserver.CustomResourceSchemas;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * spec.outbound through the running operator, against the mock API server, which validates each
 * provider's object against the provider's own CRD (src/test/resources/provider-crds, fetched by
 * e2e/providers/fetch-crds): without the CRD a clear condition and no object; with it, the object
 * (created only if the schema accepts it) selecting exactly the environment's app pods, and the
 * address in status.outbound once the provider's object reports it (Cilium's has no status: once
 * the policy exists). Without a gateway, mode Node, and the nodes' addresses only when nodes may
 * be read.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class EgressGatewayReconcileTest extends OperatorTest {
    static final Map<EgressGatewayProvider, String> FIXTURES = Map.of(
            EgressGatewayProvider.Cilium, "cilium-egress-gateway-policies.yaml",
            EgressGatewayProvider.Antrea, "antrea-egresses.yaml",
            EgressGatewayProvider.OVNKubernetes, "ovn-egressips.yaml");

    @Test
    void withoutTheProvidersCrdTheEnvironmentSaysSoAndNoObjectIsWritten() {
        client.resource(withGateway(environment(ns, "ase1"), EgressGatewayProvider.Antrea, "203.0.113.20"))
                .create();

        AppServiceEnvironment reported =
                awaitStatus("ase1", a -> condition(a, EgressGatewayDependent.CONDITION) != null);
        Condition gateway = condition(reported, EgressGatewayDependent.CONDITION);
        assertThat(gateway.getStatus()).isEqualTo("False");
        assertThat(gateway.getReason()).isEqualTo(EgressGatewayDependent.REASON_NOT_INSTALLED);
        assertThat(gateway.getMessage())
                .contains("not installed")
                .contains("crd.antrea.io/v1beta1 Egress")
                .contains("203.0.113.20");
        assertThat(gateway.getObservedGeneration())
                .isEqualTo(reported.getMetadata().getGeneration());
        assertThat(reported.getStatus().getOutbound().getMode()).isEqualTo(OutboundStatus.MODE_EGRESS_GATEWAY);
        assertThat(reported.getStatus().getOutbound().getAddresses()).isNull();
    }

    @ParameterizedTest
    @EnumSource(EgressGatewayProvider.class)
    void theProvidersObjectIsValidSelectsExactlyTheAppsAndItsAddressReachesTheStatus(EgressGatewayProvider provider)
            throws Exception {
        CustomResourceDefinition crd = providerCrd(provider);
        client.resource(crd).create();
        try {
            String address = "203.0.113.3" + provider.ordinal();
            client.resource(withGateway(environment(ns, "ase1"), provider, address))
                    .create();
            client.resource(Fixtures.environment(ns, "ase2")).create();
            client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 1)).create();
            client.resource(Fixtures.app(ns, "shop", "web", 8080)).create();
            client.resource(plan(ns, "other", "ase2", InstanceSize.I1, 1)).create();
            client.resource(Fixtures.app(ns, "blog", "other", 8081)).create();
            ProviderApi api = ProviderApi.of(provider);
            String name = EgressGateways.name(ns, "ase1");

            // Created only if the mock API server accepted it against the provider's own schema.
            GenericKubernetesResource object = await().atMost(TIMEOUT)
                    .until(
                            () -> client.genericKubernetesResources(api.apiVersion, api.kind)
                                    .withName(name)
                                    .get(),
                            o -> o != null);
            assertThat(MockKubernetes.refusedWritesIn(""))
                    .as("cluster-scoped writes refused")
                    .isEmpty();
            assertThat(object.getMetadata().getLabels())
                    .containsEntry(StandardLabels.ENVIRONMENT, "ase1")
                    .containsEntry(StandardLabels.ENVIRONMENT_NAMESPACE, ns);

            Map<String, String> shopPod = templateLabels(ResourceNames.appWorkload("shop"));
            Map<String, String> blogPod = templateLabels(ResourceNames.appWorkload("blog"));
            Map<String, String> frontEnd = templateLabels(ResourceNames.frontEndDeployment("ase1"));
            Map<String, String> placeholder = templateLabels(ResourceNames.workerDeployment("web"));
            Map<String, Object> namespaceSelector = namespaceSelector(provider, object);
            Map<String, Object> podSelector = podSelector(provider, object);
            Map<String, String> ownNamespace = Map.of("kubernetes.io/metadata.name", ns);
            assertThat(selects(namespaceSelector, ownNamespace)).isTrue();
            assertThat(selects(namespaceSelector, Map.of("kubernetes.io/metadata.name", ns + "-x")))
                    .isFalse();
            assertThat(selects(podSelector, shopPod))
                    .as("the environment's app")
                    .isTrue();
            assertThat(selects(podSelector, blogPod))
                    .as("another environment's app")
                    .isFalse();
            assertThat(selects(podSelector, frontEnd)).as("the front ends").isFalse();
            assertThat(selects(podSelector, placeholder))
                    .as("the plan's placeholder")
                    .isFalse();

            if (provider != EgressGatewayProvider.Cilium) {
                AppServiceEnvironment waiting = awaitStatus(
                        "ase1",
                        a -> condition(a, EgressGatewayDependent.CONDITION) != null
                                && EgressGatewayDependent.REASON_NOT_ASSIGNED.equals(
                                        condition(a, EgressGatewayDependent.CONDITION)
                                                .getReason()));
                assertThat(waiting.getStatus().getOutbound().getAddresses()).isNull();
                // The provider assigns the address and says so in its object's status.
                GenericKubernetesResource assigned = client.genericKubernetesResources(api.apiVersion, api.kind)
                        .withName(name)
                        .get();
                assigned.getAdditionalProperties()
                        .put(
                                "status",
                                provider == EgressGatewayProvider.Antrea
                                        ? Map.of("egressIP", address, "egressNode", "node-1")
                                        : Map.of("items", List.of(Map.of("egressIP", address, "node", "node-1"))));
                if (provider == EgressGatewayProvider.Antrea) {
                    client.resource(assigned).updateStatus();
                } else {
                    client.resource(assigned).update();
                }
            }
            AppServiceEnvironment ready = awaitStatus(
                    "ase1",
                    a -> a.getStatus().getOutbound() != null
                            && List.of(address)
                                    .equals(a.getStatus().getOutbound().getAddresses()));
            Condition gateway = condition(ready, EgressGatewayDependent.CONDITION);
            assertThat(gateway.getStatus()).isEqualTo("True");
            assertThat(gateway.getReason()).isEqualTo(EgressGatewayDependent.REASON_ASSIGNED);
            if (provider == EgressGatewayProvider.Cilium) {
                assertThat(gateway.getMessage()).contains("Cilium reports no status");
            }
            assertThat(ready.getStatus().getOutbound().getProvider()).isEqualTo(api.kind);
            assertThat(MockKubernetes.refusedWritesIn("")).isEmpty();

            // The gateway removed from the spec: its object is deleted (it has no owner to be collected with).
            AppServiceEnvironment edit = client.resources(AppServiceEnvironment.class)
                    .inNamespace(ns)
                    .withName("ase1")
                    .get();
            edit.getSpec().setOutbound(null);
            client.resource(edit).update();
            await().atMost(TIMEOUT)
                    .until(() -> client.genericKubernetesResources(api.apiVersion, api.kind)
                                    .withName(name)
                                    .get()
                            == null);
            AppServiceEnvironment node = awaitStatus(
                    "ase1",
                    a -> a.getStatus().getOutbound() != null
                            && OutboundStatus.MODE_NODE.equals(
                                    a.getStatus().getOutbound().getMode()));
            assertThat(condition(node, EgressGatewayDependent.CONDITION)).isNull();
        } finally {
            client.resource(crd).delete();
        }
    }

    @Test
    void withoutAGatewayTheNodesThatRunTheAppsAreThePossibleAddressesWhenNodesMayBeRead() {
        client.resource(environment(ns, "ase1")).create();
        AppServiceEnvironment unread = awaitStatus("ase1", a -> a.getStatus().getOutbound() != null);
        assertThat(unread.getStatus().getOutbound().getMode()).isEqualTo(OutboundStatus.MODE_NODE);
        assertThat(unread.getStatus().getOutbound().getPossibleAddresses())
                .as("nodes may not be read")
                .isNull();

        String node = ns + "-node-a";
        client.resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(node)
                        .endMetadata()
                        .withNewStatus()
                        .addNewAddress("10.240.0.4", "InternalIP")
                        .addNewAddress("198.51.100.4", "ExternalIP")
                        .endStatus()
                        .build())
                .create();
        client.resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(ns + "-node-b")
                        .endMetadata()
                        .withNewStatus()
                        .addNewAddress("10.240.0.5", "InternalIP")
                        .endStatus()
                        .build())
                .create();
        Map<String, String> labels = new HashMap<>(StandardLabels.forAppPods("ase1", "shop"));
        client.resource(new PodBuilder()
                        .withNewMetadata()
                        .withNamespace(ns)
                        .withName("shop-1")
                        .withLabels(labels)
                        .endMetadata()
                        .withNewSpec()
                        .withNodeName(node)
                        .addNewContainer()
                        .withName("app")
                        .withImage("app")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
        AppServiceEnvironmentReconciler.readNodesOverride = true;
        try {
            // A spec change reconciles the environment now.
            AppServiceEnvironment edit = client.resources(AppServiceEnvironment.class)
                    .inNamespace(ns)
                    .withName("ase1")
                    .get();
            edit.getSpec().setZones(List.of("zone-1"));
            client.resource(edit).update();
            AppServiceEnvironment read = awaitStatus(
                    "ase1",
                    a -> a.getStatus().getOutbound() != null
                            && a.getStatus().getOutbound().getPossibleAddresses() != null);
            assertThat(read.getStatus().getOutbound().getPossibleAddresses())
                    .as("the ExternalIP of the one node that runs an app, not the other node's")
                    .containsExactly("198.51.100.4");
        } finally {
            AppServiceEnvironmentReconciler.readNodesOverride = null;
        }
    }

    // --- fixtures ---

    static CustomResourceDefinition providerCrd(EgressGatewayProvider provider) {
        return CustomResourceSchemas.read(CustomResourceSchemas.PROVIDER_CRDS).stream()
                .filter(crd -> crd.getSpec().getNames().getKind().equals(ProviderApi.of(provider).kind))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no CRD fixture for " + provider + ": " + FIXTURES.get(provider)));
    }

    static AppServiceEnvironment withGateway(
            AppServiceEnvironment environment, EgressGatewayProvider provider, String... addresses) {
        EgressGateway gateway = new EgressGateway();
        gateway.setProvider(provider);
        gateway.setAddresses(List.of(addresses));
        OutboundSettings outbound = new OutboundSettings();
        outbound.setEgressGateway(gateway);
        environment.getSpec().setOutbound(outbound);
        return environment;
    }

    Map<String, String> templateLabels(String deployment) {
        Deployment found = await().atMost(TIMEOUT)
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName(deployment)
                                .get(),
                        d -> d != null);
        return found.getSpec().getTemplate().getMetadata().getLabels();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource object) {
        return (Map<String, Object>) object.getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> namespaceSelector(EgressGatewayProvider provider, GenericKubernetesResource object) {
        Map<String, Object> spec = spec(object);
        return (Map<String, Object>)
                switch (provider) {
                    case Cilium ->
                        ((List<Map<String, Object>>) spec.get("selectors"))
                                .get(0)
                                .get("namespaceSelector");
                    case Antrea -> ((Map<String, Object>) spec.get("appliedTo")).get("namespaceSelector");
                    case OVNKubernetes -> spec.get("namespaceSelector");
                };
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> podSelector(EgressGatewayProvider provider, GenericKubernetesResource object) {
        Map<String, Object> spec = spec(object);
        List<Map<String, Object>> selectors = (List<Map<String, Object>>) spec.get("selectors");
        if (provider == EgressGatewayProvider.Cilium) {
            assertThat(selectors).hasSize(1);
        }
        return (Map<String, Object>)
                switch (provider) {
                    case Cilium -> selectors.get(0).get("podSelector");
                    case Antrea -> ((Map<String, Object>) spec.get("appliedTo")).get("podSelector");
                    case OVNKubernetes -> spec.get("podSelector");
                };
    }

    /** A label selector (matchLabels and the four operators) applied to a set of labels, as the API machinery does. */
    @SuppressWarnings("unchecked")
    static boolean selects(Map<String, Object> selector, Map<String, String> labels) {
        Map<String, String> matchLabels = (Map<String, String>) selector.getOrDefault("matchLabels", Map.of());
        for (var required : matchLabels.entrySet()) {
            if (!required.getValue().equals(labels.get(required.getKey()))) {
                return false;
            }
        }
        for (Map<String, Object> expression :
                (List<Map<String, Object>>) selector.getOrDefault("matchExpressions", List.of())) {
            String key = (String) expression.get("key");
            List<String> values = (List<String>) expression.getOrDefault("values", List.of());
            boolean holds = switch ((String) expression.get("operator")) {
                case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
                case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
                case "Exists" -> labels.containsKey(key);
                case "DoesNotExist" -> !labels.containsKey(key);
                default -> throw new AssertionError("operator " + expression.get("operator"));
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    AppServiceEnvironment awaitStatus(String name, Predicate<AppServiceEnvironment> condition) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> client.resources(AppServiceEnvironment.class)
                                .inNamespace(ns)
                                .withName(name)
                                .get(),
                        a -> a != null && a.getStatus() != null && condition.test(a));
    }

    static Condition condition(AppServiceEnvironment environment, String type) {
        return environment.getStatus().getConditions() == null
                ? null
                : environment.getStatus().getConditions().stream()
                        .filter(c -> type.equals(c.getType()))
                        .findFirst()
                        .orElse(null);
    }
}
