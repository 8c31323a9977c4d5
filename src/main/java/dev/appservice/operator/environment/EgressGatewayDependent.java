package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.OutboundStatus;
import dev.appservice.operator.desired.EgressGateways;
import dev.appservice.operator.desired.EgressGateways.ProviderApi;
import dev.appservice.operator.desired.EnvironmentChildren;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.presence.OptionalApi;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies an environment's egress-gateway object ({@link EnvironmentChildren#egressGateway}) and
 * observes what its outbound addresses are. The provider's kind is optional in a cluster, so it is
 * not watched (an informer on a kind the cluster does not serve would keep the operator from
 * starting): its presence is asked through discovery on each reconcile, as cert-manager's is, and
 * the object is read, created or updated by name (no write when it is as desired). The kinds are
 * cluster-scoped, so the object has no owner: the operator deletes it when the spec no longer asks
 * for it, or asks another provider's (the previous provider is read from {@code status.outbound}).
 *
 * <p>Without a gateway (mode Node), and when the chart lets the operator read nodes ({@code
 * outbound.readNodes}), the possible addresses are those of the nodes that run the environment's
 * app pods: ExternalIP addresses where a node has them, else InternalIP.
 */
final class EgressGatewayDependent {
    /** The Ready-like condition of an environment with an egress gateway. */
    static final String CONDITION = "EgressGatewayReady";

    static final String REASON_ASSIGNED = "AddressAssigned";
    static final String REASON_NOT_ASSIGNED = "AddressNotAssigned";
    static final String REASON_NOT_INSTALLED = "ProviderNotInstalled";
    static final String REASON_NOT_PERMITTED = "EgressGatewayNotEnabled";
    static final String REASON_UNKNOWN = "ProviderUnknown";

    /**
     * What was observed of the environment's outbound addresses.
     *
     * @param gateway with a gateway: its state (empty in mode Node)
     * @param possibleAddresses mode Node: the nodes' addresses, empty when nodes may not be read
     */
    record Observation(Optional<GatewayState> gateway, Optional<List<String>> possibleAddresses) {}

    /**
     * @param provider the provider's API
     * @param reason one of the REASON_ constants
     * @param observed the provider's object as the API server returned it, when it exists
     */
    record GatewayState(ProviderApi provider, String reason, Optional<GenericKubernetesResource> observed) {}

    private EgressGatewayDependent() {}

    static Observation reconcile(
            KubernetesClient client,
            AppServiceEnvironment environment,
            EnvironmentChildren children,
            boolean readNodes) {
        removeAbandoned(client, environment, children);
        if (children.egressGateway().isEmpty()) {
            return new Observation(
                    Optional.empty(), readNodes ? Optional.of(nodeAddresses(client, environment)) : Optional.empty());
        }
        GenericKubernetesResource desired = children.egressGateway().get(0);
        ProviderApi provider = providerOf(desired);
        Optional<Boolean> installed = api(provider).installed(client);
        if (installed.isEmpty()) {
            return gateway(provider, REASON_UNKNOWN, Optional.empty());
        }
        if (!installed.get()) {
            return gateway(provider, REASON_NOT_INSTALLED, Optional.empty());
        }
        try {
            var resources = client.genericKubernetesResources(provider.apiVersion, provider.kind);
            GenericKubernetesResource current =
                    resources.withName(desired.getMetadata().getName()).get();
            GenericKubernetesResource applied;
            if (current == null) {
                applied = resources.resource(desired).create();
            } else if (!asDesired(current, desired)) {
                GenericKubernetesResource update =
                        new io.fabric8.kubernetes.client.utils.KubernetesSerialization().clone(current);
                update.getMetadata().setLabels(desired.getMetadata().getLabels());
                update.getAdditionalProperties()
                        .put("spec", desired.getAdditionalProperties().get("spec"));
                applied = resources.resource(update).update();
            } else {
                applied = current;
            }
            boolean assigned =
                    !EgressGateways.reportedAddresses(provider, applied).isEmpty();
            return gateway(provider, assigned ? REASON_ASSIGNED : REASON_NOT_ASSIGNED, Optional.of(applied));
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
                return gateway(provider, REASON_NOT_PERMITTED, Optional.empty());
            }
            throw e;
        }
    }

    private static Observation gateway(
            ProviderApi provider, String reason, Optional<GenericKubernetesResource> observed) {
        return new Observation(Optional.of(new GatewayState(provider, reason, observed)), Optional.empty());
    }

    static OptionalApi api(ProviderApi provider) {
        return new OptionalApi(provider.apiVersion, provider.kind);
    }

    static ProviderApi providerOf(GenericKubernetesResource object) {
        for (ProviderApi api : ProviderApi.values()) {
            if (api.apiVersion.equals(object.getApiVersion()) && api.kind.equals(object.getKind())) {
                return api;
            }
        }
        throw new IllegalArgumentException("not an egress gateway kind: " + object.getKind());
    }

    /**
     * Whether the object is as desired: its labels, and every field of the desired spec as the
     * operator writes it (the API server adds the schema's defaults, Cilium's egressGateways: [],
     * which must not read as a difference, or every reconcile would write).
     */
    private static boolean asDesired(GenericKubernetesResource current, GenericKubernetesResource desired) {
        var serialization = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
        Object currentSpec =
                serialization.convertValue(current.getAdditionalProperties().get("spec"), Object.class);
        Object desiredSpec =
                serialization.convertValue(desired.getAdditionalProperties().get("spec"), Object.class);
        return contains(currentSpec, desiredSpec)
                && Objects.equals(
                        current.getMetadata().getLabels(), desired.getMetadata().getLabels());
    }

    /** Whether {@code actual} holds everything {@code wanted} does: maps by their wanted keys, lists element by element. */
    static boolean contains(Object actual, Object wanted) {
        if (wanted instanceof java.util.Map<?, ?> fields) {
            return actual instanceof java.util.Map<?, ?> present
                    && fields.entrySet().stream().allMatch(e -> contains(present.get(e.getKey()), e.getValue()));
        }
        if (wanted instanceof List<?> items) {
            if (!(actual instanceof List<?> present) || present.size() != items.size()) {
                return false;
            }
            for (int i = 0; i < items.size(); i++) {
                if (!contains(present.get(i), items.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(actual, wanted);
    }

    /**
     * The object of a provider the environment used before (its status says so) and no longer
     * asks for: deleted, when the provider's kind is served and the operator may.
     */
    private static void removeAbandoned(
            KubernetesClient client, AppServiceEnvironment environment, EnvironmentChildren children) {
        OutboundStatus previous =
                environment.getStatus() == null ? null : environment.getStatus().getOutbound();
        if (previous == null || previous.getProvider() == null) {
            return;
        }
        Optional<ProviderApi> wanted =
                children.egressGateway().stream().findFirst().map(EgressGatewayDependent::providerOf);
        for (ProviderApi provider : ProviderApi.values()) {
            if (!provider.kind.equals(previous.getProvider()) || wanted.equals(Optional.of(provider))) {
                continue;
            }
            if (api(provider).installed(client).orElse(false)) {
                try {
                    client.genericKubernetesResources(provider.apiVersion, provider.kind)
                            .withName(EgressGateways.name(
                                    environment.getMetadata().getNamespace(),
                                    environment.getMetadata().getName()))
                            .delete();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != HttpURLConnection.HTTP_FORBIDDEN) {
                        throw e;
                    }
                }
            }
        }
    }

    /** The addresses of the nodes that run the environment's app pods, sorted. */
    private static List<String> nodeAddresses(KubernetesClient client, AppServiceEnvironment environment) {
        String namespace = environment.getMetadata().getNamespace();
        Set<String> nodeNames = new TreeSet<>();
        for (Pod pod : client.pods()
                .inNamespace(namespace)
                .withLabels(
                        StandardLabels.roleSelector(environment.getMetadata().getName(), StandardLabels.ROLE_WORKER))
                .withLabel(StandardLabels.WEBAPP)
                .list()
                .getItems()) {
            if (pod.getSpec() != null && pod.getSpec().getNodeName() != null) {
                nodeNames.add(pod.getSpec().getNodeName());
            }
        }
        Set<String> addresses = new TreeSet<>();
        try {
            for (String name : nodeNames) {
                Node node = client.nodes().withName(name).get();
                if (node != null && node.getStatus() != null && node.getStatus().getAddresses() != null) {
                    List<NodeAddress> all = node.getStatus().getAddresses();
                    List<String> external = all.stream()
                            .filter(a -> "ExternalIP".equals(a.getType()))
                            .map(NodeAddress::getAddress)
                            .toList();
                    addresses.addAll(
                            external.isEmpty()
                                    ? all.stream()
                                            .filter(a -> "InternalIP".equals(a.getType()))
                                            .map(NodeAddress::getAddress)
                                            .toList()
                                    : external);
                }
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
                return List.of();
            }
            throw e;
        }
        return List.copyOf(addresses);
    }
}
