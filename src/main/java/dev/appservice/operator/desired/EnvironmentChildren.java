package dev.appservice.operator.desired;

import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.network.FixedOutbound;
import dev.appservice.operator.network.NsgCompiler;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every child an environment should have, in the order they are applied: the one answer to "what
 * does this environment consist of". Built once per reconcile by pure functions of the topology,
 * the apps' addresses and the settings; the dependents each select their part, the status calls
 * the environment ready when every child here is observed, and {@code render} prints
 * {@link #all()}. Whether a child exists (a V1 pool's placeholder, the NSG's policies) is decided
 * here and nowhere else.
 *
 * @param frontEndConfig the nginx configuration: the main ConfigMap, then one per further shard
 * @param frontEndCertificates the front ends' copies of the apps' own certificates ({@link AppCertificates#secrets})
 * @param frontEnds the front-end Deployment
 * @param frontEndBudget the front ends' PodDisruptionBudget (one at a time)
 * @param vip the VIP Service (LoadBalancer or ClusterIP by {@code loadBalancer.type})
 * @param internal the internal Service (the front ends' cluster address)
 * @param management the management Service (ports 454 and 455)
 * @param workerPools V1: one placeholder Deployment per worker pool; empty for V2
 * @param network the NetworkPolicies compiled from the NSG, with the compiler's findings
 * @param egressGateway the provider's object holding the outbound address ({@link EgressGateways}):
 *     one when {@code spec.outbound.egressGateway} is set, else none; cluster-scoped, so not owned
 */
public record EnvironmentChildren(
        EnvironmentTopology topology,
        FrontEndConfiguration frontEndConfiguration,
        List<ConfigMap> frontEndConfig,
        List<Secret> frontEndCertificates,
        Deployment frontEnds,
        PodDisruptionBudget frontEndBudget,
        Service vip,
        Service internal,
        Service management,
        List<Deployment> workerPools,
        NsgCompiler.Result network,
        List<GenericKubernetesResource> egressGateway) {

    public EnvironmentChildren {
        egressGateway = List.copyOf(egressGateway);
        frontEndConfig = List.copyOf(frontEndConfig);
        frontEndCertificates = List.copyOf(frontEndCertificates);
        workerPools = List.copyOf(workerPools);
    }

    /**
     * The desired children of the environment of {@code topology}, given what the cluster says of
     * its apps: their Services' addresses, their instances and certificates ({@code edges}), and
     * which apps' own certificates are usable.
     */
    public static EnvironmentChildren of(
            EnvironmentTopology topology,
            NginxConfig.AppAddresses addresses,
            NginxConfig.AppEdges edges,
            Map<WebApp, AppCertificates.Verdict.Usable> certificates,
            OperatorSettings settings) {
        return of(topology, addresses, edges, certificates, settings, List.of());
    }

    /**
     * The same, given the other environments with fixed outbound addresses, which the NSG's
     * inbound rules may admit by address ({@link FixedOutbound}).
     */
    public static EnvironmentChildren of(
            EnvironmentTopology topology,
            NginxConfig.AppAddresses addresses,
            NginxConfig.AppEdges edges,
            Map<WebApp, AppCertificates.Verdict.Usable> certificates,
            OperatorSettings settings,
            List<FixedOutbound> fixedOutbound) {
        FrontEndConfiguration configuration = NginxConfig.render(topology, addresses, edges);
        Deployment frontEnds = FrontEnds.deployment(topology);
        return new EnvironmentChildren(
                topology,
                configuration,
                FrontEnds.configMaps(topology, configuration),
                AppCertificates.secrets(topology, certificates),
                frontEnds,
                DisruptionBudgets.forFrontEnds(frontEnds),
                EnvironmentServices.vip(topology),
                EnvironmentServices.internal(topology),
                EnvironmentServices.management(topology),
                WorkerPools.placeholders(topology, settings),
                NsgCompiler.compile(topology, settings.network(), fixedOutbound),
                EgressGateways.of(topology).stream().toList());
    }

    /**
     * The children without a cluster, as {@code render} shows them: no Service has an address (the
     * apps' servers answer 503 until one has), no app's Secret can be read (the certificate copies
     * are empty).
     */
    public static EnvironmentChildren offline(EnvironmentTopology topology, OperatorSettings settings) {
        return offline(topology, settings, List.of());
    }

    /** {@link #offline} given the other environments with fixed outbound addresses. */
    public static EnvironmentChildren offline(
            EnvironmentTopology topology, OperatorSettings settings, List<FixedOutbound> fixedOutbound) {
        return of(
                topology, NginxConfig.AppAddresses.NONE, NginxConfig.AppEdges.NONE, Map.of(), settings, fixedOutbound);
    }

    /** The three Services, applied together. */
    public List<Service> services() {
        return List.of(vip, internal, management);
    }

    public List<NetworkPolicy> networkPolicies() {
        return network.policies();
    }

    /** The main front-end ConfigMap (nginx.conf and the first shard). */
    public ConfigMap mainConfigMap() {
        return frontEndConfig.get(0);
    }

    /** Every child, in the order the reconcile applies them and {@code render} prints them. */
    public List<HasMetadata> all() {
        List<HasMetadata> all = new ArrayList<>(frontEndConfig);
        all.addAll(frontEndCertificates);
        all.add(frontEnds);
        all.add(frontEndBudget);
        all.addAll(services());
        all.addAll(workerPools);
        all.addAll(network.policies());
        all.addAll(egressGateway);
        return all;
    }

    /** The desired child of this kind and name, if there is one. */
    public Optional<HasMetadata> find(String kind, String name) {
        return all().stream()
                .filter(child -> child.getKind().equals(kind)
                        && child.getMetadata().getName().equals(name))
                .findFirst();
    }
}
