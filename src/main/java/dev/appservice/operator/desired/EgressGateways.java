package dev.appservice.operator.desired;

import dev.appservice.operator.api.AppServiceEnvironmentSpec;
import dev.appservice.operator.api.EgressGateway;
import dev.appservice.operator.api.EgressGatewayProvider;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The object that gives an environment's apps its fixed outbound address, in the API of the
 * provider named by {@code spec.outbound.egressGateway}: a CiliumEgressGatewayPolicy, an Antrea
 * Egress or an OVN-Kubernetes EgressIP. Each selects exactly the environment's app pods (the pods
 * with the environment's label, the worker role, an app's label and {@link StandardLabels#OUTBOUND},
 * in the environment's namespace): not the front ends, which call only the apps, nor a plan's capacity placeholder,
 * which calls nothing. All three kinds are cluster-scoped, so the object cannot be owned by the
 * namespaced environment: its name carries the namespace and its labels name both. Pure functions.
 */
public final class EgressGateways {
    public static final String ROLE = "egress-gateway";
    /** The node label Cilium's gateway nodes carry when the spec names none. */
    public static final Map<String, String> DEFAULT_CILIUM_GATEWAY_NODES = Map.of("egress-gateway", "true");

    /** A provider's API: its group/version, kind, and where its status reports the assigned addresses. */
    public enum ProviderApi {
        CILIUM("cilium.io/v2", "CiliumEgressGatewayPolicy", "ciliumegressgatewaypolicies"),
        ANTREA("crd.antrea.io/v1beta1", "Egress", "egresses"),
        OVN_KUBERNETES("k8s.ovn.org/v1", "EgressIP", "egressips");

        public final String apiVersion;
        public final String kind;
        public final String plural;

        ProviderApi(String apiVersion, String kind, String plural) {
            this.apiVersion = apiVersion;
            this.kind = kind;
            this.plural = plural;
        }

        public String group() {
            return apiVersion.substring(0, apiVersion.indexOf('/'));
        }

        public static ProviderApi of(EgressGatewayProvider provider) {
            return switch (provider) {
                case Cilium -> CILIUM;
                case Antrea -> ANTREA;
                case OVNKubernetes -> OVN_KUBERNETES;
            };
        }
    }

    private EgressGateways() {}

    /** The cluster-scoped name of an environment's gateway object: unique per namespace and name. */
    public static String name(String namespace, String environment) {
        return ResourceNames.child(namespace + "." + environment, ROLE);
    }

    /** The environment's gateway object, when its spec asks for one. */
    public static Optional<GenericKubernetesResource> of(EnvironmentTopology topology) {
        AppServiceEnvironmentSpec spec = topology.environment().getSpec();
        return spec.egressGateway().map(gateway -> object(topology, gateway));
    }

    /** The labels that select the environment's app pods: its label, the worker role, an app's label. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> appPodSelector(EnvironmentTopology topology) {
        Map<String, Object> selector = new LinkedHashMap<>();
        selector.put(
                "matchLabels", new TreeMap<>(StandardLabels.roleSelector(topology.name(), StandardLabels.ROLE_WORKER)));
        selector.put("matchExpressions", List.of(ordered("key", StandardLabels.WEBAPP, "operator", "Exists")));
        ((Map<String, String>) selector.get("matchLabels"))
                .put(StandardLabels.OUTBOUND, StandardLabels.OUTBOUND_EGRESS_GATEWAY);
        return selector;
    }

    static Map<String, Object> namespaceSelector(EnvironmentTopology topology) {
        return ordered("matchLabels", ordered("kubernetes.io/metadata.name", topology.namespace()));
    }

    private static GenericKubernetesResource object(EnvironmentTopology topology, EgressGateway gateway) {
        ProviderApi api = ProviderApi.of(gateway.getProvider());
        Map<String, String> labels = new TreeMap<>(StandardLabels.forEnvironment(topology.name(), ROLE));
        labels.put(StandardLabels.ENVIRONMENT_NAMESPACE, topology.namespace());
        Map<String, Object> spec = switch (api) {
            case CILIUM -> cilium(topology, gateway);
            case ANTREA -> antrea(topology, gateway);
            case OVN_KUBERNETES -> ovn(topology, gateway);
        };
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(api.apiVersion)
                .withKind(api.kind)
                .withNewMetadata()
                .withName(name(topology.namespace(), topology.name()))
                .withLabels(labels)
                .endMetadata()
                .addToAdditionalProperties("spec", spec)
                .build();
    }

    /**
     * Cilium: the apps' traffic to the Internet (everything but the environment's virtual network,
     * whose calls come from inside its subnet, as on Azure) leaves through the gateway nodes with
     * the address. Cilium's egress gateway is IPv4 only: one IPv4 address (admission says so).
     */
    private static Map<String, Object> cilium(EnvironmentTopology topology, EgressGateway gateway) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put(
                "selectors",
                List.of(ordered(
                        "namespaceSelector", namespaceSelector(topology), "podSelector", appPodSelector(topology))));
        spec.put("destinationCIDRs", List.of("0.0.0.0/0"));
        List<String> excluded = virtualNetworkV4(topology.environment().getSpec());
        if (!excluded.isEmpty()) {
            spec.put("excludedCIDRs", excluded);
        }
        Map<String, Object> nodes = ordered(
                "matchLabels",
                new TreeMap<>(
                        gateway.getNodeSelector() == null
                                        || gateway.getNodeSelector().isEmpty()
                                ? DEFAULT_CILIUM_GATEWAY_NODES
                                : gateway.getNodeSelector()));
        spec.put(
                "egressGateway",
                ordered(
                        "nodeSelector",
                        nodes,
                        "egressIP",
                        gateway.getAddresses().get(0)));
        return spec;
    }

    /** Antrea: one address as egressIP; an IPv4 and an IPv6 address (dual stack) as egressIPs. */
    private static Map<String, Object> antrea(EnvironmentTopology topology, EgressGateway gateway) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put(
                "appliedTo",
                ordered("namespaceSelector", namespaceSelector(topology), "podSelector", appPodSelector(topology)));
        if (gateway.getAddresses().size() == 1) {
            spec.put("egressIP", gateway.getAddresses().get(0));
        } else {
            spec.put("egressIPs", List.copyOf(gateway.getAddresses()));
        }
        return spec;
    }

    /** OVN-Kubernetes: the addresses, assigned to nodes labelled k8s.ovn.org/egress-assignable. */
    private static Map<String, Object> ovn(EnvironmentTopology topology, EgressGateway gateway) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("egressIPs", List.copyOf(gateway.getAddresses()));
        spec.put("namespaceSelector", namespaceSelector(topology));
        spec.put("podSelector", appPodSelector(topology));
        return spec;
    }

    private static List<String> virtualNetworkV4(AppServiceEnvironmentSpec spec) {
        List<String> cidrs = new ArrayList<>();
        cidrs.add(spec.getVirtualNetwork().getSubnet());
        if (spec.getVirtualNetwork().getAddressPrefixes() != null) {
            cidrs.addAll(spec.getVirtualNetwork().getAddressPrefixes());
        }
        return cidrs.stream().filter(c -> !c.contains(":")).toList();
    }

    /**
     * The addresses the provider reports assigned, from the object as observed: Antrea's
     * {@code status.egressIP}, OVN-Kubernetes' {@code status.items[].egressIP}. A
     * CiliumEgressGatewayPolicy has no status: there the configured address, once the policy
     * exists, is all that can be said.
     */
    @SuppressWarnings("unchecked")
    public static List<String> reportedAddresses(ProviderApi api, GenericKubernetesResource observed) {
        Object status = observed.getAdditionalProperties().get("status");
        if (api == ProviderApi.CILIUM) {
            Map<String, Object> spec =
                    (Map<String, Object>) observed.getAdditionalProperties().get("spec");
            Object gateway = spec == null ? null : spec.get("egressGateway");
            Object address = gateway instanceof Map<?, ?> g ? g.get("egressIP") : null;
            return address instanceof String a && !a.isEmpty() ? List.of(a) : List.of();
        }
        if (!(status instanceof Map<?, ?> fields)) {
            return List.of();
        }
        if (api == ProviderApi.ANTREA) {
            Object address = fields.get("egressIP");
            return address instanceof String a && !a.isEmpty() ? List.of(a) : List.of();
        }
        List<String> addresses = new ArrayList<>();
        if (fields.get("items") instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> entry && entry.get("egressIP") instanceof String a && !a.isEmpty()) {
                    addresses.add(a);
                }
            }
        }
        return addresses.stream().distinct().sorted().toList();
    }

    /**
     * A map that keeps the order it is given, so {@code render} prints the same bytes on every run
     * ({@code Map.of} iterates in an order chosen anew each time the JVM starts).
     */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
