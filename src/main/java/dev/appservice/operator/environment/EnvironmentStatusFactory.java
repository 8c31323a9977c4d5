package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.AppServiceEnvironmentStatus;
import dev.appservice.operator.api.CapacityFigures;
import dev.appservice.operator.api.FrontEndStatus;
import dev.appservice.operator.api.InstanceUsage;
import dev.appservice.operator.api.MemoryQuantity;
import dev.appservice.operator.api.OutboundStatus;
import dev.appservice.operator.api.ReservedCapacity;
import dev.appservice.operator.api.WorkerPool;
import dev.appservice.operator.api.WorkerPoolStatus;
import dev.appservice.operator.desired.EgressGateways;
import dev.appservice.operator.desired.EnvironmentChildren;
import dev.appservice.operator.desired.WorkerPools;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.EnvironmentTopology.Capacity;
import dev.appservice.operator.network.NsgCompiler;
import dev.appservice.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Computes an environment's status from its topology and the children as they are observed: the
 * status aggregator. {@code Ready} is True only when every child exists and the front ends are
 * available at the current generation (the kstatus / Argo CD convention).
 */
public final class EnvironmentStatusFactory {

    /** The children as observed in the cluster (in the informer caches), by kind and name. */
    public record ObservedChildren(Map<String, HasMetadata> byKindAndName) {
        public static ObservedChildren of(Collection<? extends HasMetadata> children) {
            Map<String, HasMetadata> byKindAndName = new HashMap<>();
            children.forEach(child ->
                    byKindAndName.put(key(child.getKind(), child.getMetadata().getName()), child));
            return new ObservedChildren(byKindAndName);
        }

        /** The observed child of the same kind and name as {@code desired}. */
        public Optional<HasMetadata> of(HasMetadata desired) {
            return Optional.ofNullable(byKindAndName.get(
                    key(desired.getKind(), desired.getMetadata().getName())));
        }

        private static String key(String kind, String name) {
            return kind + "/" + name;
        }
    }

    private EnvironmentStatusFactory() {}

    public static AppServiceEnvironmentStatus compute(
            EnvironmentChildren children, ObservedChildren observed, Instant now) {
        return compute(
                children, observed, new EgressGatewayDependent.Observation(Optional.empty(), Optional.empty()), now);
    }

    /** With what was observed of the outbound addresses ({@link EgressGatewayDependent}). */
    static AppServiceEnvironmentStatus compute(
            EnvironmentChildren children,
            ObservedChildren observed,
            EgressGatewayDependent.Observation outbound,
            Instant now) {
        EnvironmentTopology topology = children.topology();
        NsgCompiler.Result network = children.network();
        Optional<Deployment> frontEndDeployment =
                observed.of(children.frontEnds()).map(Deployment.class::cast);
        AppServiceEnvironment environment = topology.environment();
        AppServiceEnvironmentStatus previous = environment.getStatus();
        long generation = environment.getMetadata().getGeneration() == null
                ? 0
                : environment.getMetadata().getGeneration();

        int desired = topology.frontEndCount();
        int ready =
                frontEndDeployment.map(EnvironmentStatusFactory::readyReplicas).orElse(0);

        AppServiceEnvironmentStatus status = new AppServiceEnvironmentStatus();
        status.setObservedGeneration(generation);
        FrontEndStatus frontEnds = new FrontEndStatus();
        frontEnds.setDesired(desired);
        frontEnds.setReady(ready);
        frontEnds.setSummary(ready + "/" + desired);
        status.setFrontEnds(frontEnds);

        InstanceUsage usage = new InstanceUsage();
        usage.setUsed(topology.instancesUsed());
        usage.setLimit(topology.instanceLimit());
        usage.setSummary(usage.getUsed() + "/" + usage.getLimit());
        status.setInstances(usage);
        status.setPlans(topology.plans().size());
        status.setApps(topology.apps().size());
        status.setDefaultDomain(environment.getSpec().effectiveDnsSuffix(topology.name()));
        status.setVipAddress(observed.of(children.vip())
                .map(Service.class::cast)
                .map(EnvironmentStatusFactory::vipAddress)
                .orElse(null));
        status.setInternalAddress(observed.of(children.internal())
                .map(Service.class::cast)
                .map(s -> s.getSpec().getClusterIP())
                .filter(EnvironmentStatusFactory::isAddress)
                .orElse(null));

        Capacity fe = topology.frontEndCapacity();
        Capacity workers = topology.workerCapacity();
        ReservedCapacity reserved = new ReservedCapacity();
        reserved.setFrontEnds(figures(fe));
        reserved.setWorkers(figures(workers));
        reserved.setTotal(figures(fe.plus(workers)));
        status.setReservedCapacity(reserved);
        if (topology.isV1()) {
            List<WorkerPoolStatus> pools = new ArrayList<>();
            for (WorkerPool pool : environment.getSpec().effectiveWorkerPools()) {
                WorkerPoolStatus p = new WorkerPoolStatus();
                p.setName(pool.getName());
                p.setSize(pool.effectiveSize());
                p.setWorkers(pool.effectiveCount());
                p.setUsed(WorkerPools.used(topology, pool.getName()));
                p.setFree(Math.max(0, p.getWorkers() - p.getUsed()));
                pools.add(p);
            }
            status.setWorkerPools(pools);
        }

        status.setOutbound(outboundStatus(children, outbound));
        List<Conditions.Desired> conditions = new ArrayList<>();
        conditions.add(readyCondition(children, observed, frontEndDeployment, desired, ready));
        outbound.gateway().ifPresent(gateway -> conditions.add(egressGatewayCondition(children, gateway)));
        conditions.add(networkPolicyCondition(children, observed));
        if (environment.getSpec().getNetworkSecurityGroup() != null) {
            conditions.add(finding(
                    network,
                    "ManagementReachable",
                    "ManagementAllowed",
                    "VIP ports 454-455 are open to AppServiceManagement"));
            var outboundRules = environment.getSpec().getNetworkSecurityGroup().getOutboundRules();
            if (outboundRules != null && !outboundRules.isEmpty()) {
                conditions.add(finding(
                        network,
                        "DnsReachable",
                        "DnsAllowed",
                        "the cluster DNS stays reachable under the outbound rules"));
            }
        }
        status.setConditions(
                Conditions.merge(previous == null ? null : previous.getConditions(), conditions, generation, now));
        return status;
    }

    private static OutboundStatus outboundStatus(
            EnvironmentChildren children, EgressGatewayDependent.Observation outbound) {
        OutboundStatus status = new OutboundStatus();
        if (children.egressGateway().isEmpty()) {
            status.setMode(OutboundStatus.MODE_NODE);
            outbound.possibleAddresses().ifPresent(status::setPossibleAddresses);
            return status;
        }
        status.setMode(OutboundStatus.MODE_EGRESS_GATEWAY);
        status.setProvider(children.egressGateway().get(0).getKind());
        outbound.gateway()
                .flatMap(EgressGatewayDependent.GatewayState::observed)
                .map(object -> EgressGateways.reportedAddresses(EgressGatewayDependent.providerOf(object), object))
                .filter(addresses -> !addresses.isEmpty())
                .ifPresent(status::setAddresses);
        return status;
    }

    private static Conditions.Desired egressGatewayCondition(
            EnvironmentChildren children, EgressGatewayDependent.GatewayState gateway) {
        var object = children.egressGateway().get(0);
        String what = object.getKind() + " " + object.getMetadata().getName() + " (" + object.getApiVersion() + ")";
        List<String> configured = children.topology()
                .environment()
                .getSpec()
                .egressGateway()
                .map(g -> g.getAddresses())
                .orElse(List.of());
        String message = switch (gateway.reason()) {
            case EgressGatewayDependent.REASON_NOT_INSTALLED ->
                "the egress gateway provider is not installed: "
                        + "the cluster does not serve " + object.getApiVersion() + " " + object.getKind()
                        + "; the apps leave from their nodes' addresses, not from " + String.join(", ", configured);
            case EgressGatewayDependent.REASON_NOT_PERMITTED ->
                "the operator may not write " + what + ": install its chart with egressGateway.enabled=true";
            case EgressGatewayDependent.REASON_UNKNOWN ->
                "could not ask the API server whether it serves " + object.getApiVersion() + " " + object.getKind()
                        + "; retrying";
            case EgressGatewayDependent.REASON_NOT_ASSIGNED ->
                what + " is applied, but the provider reports no" + " assigned address yet (configured: "
                        + String.join(", ", configured) + ")";
            default ->
                gateway.provider() == EgressGateways.ProviderApi.CILIUM
                        ? what + " is applied: Cilium reports no status, so the address is the configured "
                                + String.join(", ", configured) + " on the gateway nodes"
                        : what + " is applied and the provider reports "
                                + String.join(
                                        ", ",
                                        EgressGateways.reportedAddresses(
                                                gateway.provider(),
                                                gateway.observed().orElseThrow()))
                                + " assigned";
        };
        return new Conditions.Desired(
                EgressGatewayDependent.CONDITION,
                EgressGatewayDependent.REASON_ASSIGNED.equals(gateway.reason()),
                gateway.reason(),
                message);
    }

    private static Conditions.Desired networkPolicyCondition(EnvironmentChildren children, ObservedChildren observed) {
        List<String> missing = missing(children.networkPolicies(), observed);
        if (!missing.isEmpty()) {
            return new Conditions.Desired(
                    "NetworkPolicyReady",
                    false,
                    "NetworkPoliciesMissing",
                    "Not applied yet: " + String.join(", ", missing));
        }
        return new Conditions.Desired(
                "NetworkPolicyReady",
                true,
                "NetworkPoliciesApplied",
                children.networkPolicies().size() + " NetworkPolicies applied: "
                        + String.join(
                                ", ",
                                children.networkPolicies().stream()
                                        .map(p -> p.getMetadata().getName())
                                        .toList()));
    }

    /** The desired children not observed yet, as "Kind name". */
    private static List<String> missing(List<? extends HasMetadata> desired, ObservedChildren observed) {
        return desired.stream()
                .filter(child -> observed.of(child).isEmpty())
                .map(child -> child.getKind() + " " + child.getMetadata().getName())
                .toList();
    }

    private static Conditions.Desired finding(
            NsgCompiler.Result network, String type, String okReason, String okMessage) {
        return network.findings().stream()
                .filter(f -> f.conditionType().equals(type))
                .findFirst()
                .map(f -> new Conditions.Desired(type, false, f.reason(), f.message()))
                .orElse(new Conditions.Desired(type, true, okReason, okMessage));
    }

    private static Conditions.Desired readyCondition(
            EnvironmentChildren children,
            ObservedChildren observed,
            Optional<Deployment> frontEnds,
            int desired,
            int ready) {
        // Ready means every desired child is observed: the list is the children's, never re-derived here.
        List<String> missing = missing(children.all(), observed);
        if (!missing.isEmpty()) {
            return new Conditions.Desired(
                    Conditions.READY, false, "ChildrenMissing", "Not created yet: " + String.join(", ", missing));
        }
        Deployment deployment = frontEnds.orElseThrow();
        boolean rolledOut = deployment.getStatus() != null
                && deployment.getStatus().getObservedGeneration() != null
                && deployment.getStatus().getObservedGeneration()
                        >= deployment.getMetadata().getGeneration();
        int updated = deployment.getStatus() == null || deployment.getStatus().getUpdatedReplicas() == null
                ? 0
                : deployment.getStatus().getUpdatedReplicas();
        if (ready < desired || updated < desired || !rolledOut) {
            return new Conditions.Desired(
                    Conditions.READY,
                    false,
                    "FrontEndsNotReady",
                    ready + " of " + desired + " front ends ready" + (rolledOut ? "" : ", rollout in progress"));
        }
        return new Conditions.Desired(
                Conditions.READY,
                true,
                "EnvironmentReady",
                "All " + desired + " front ends are ready and every child is as desired");
    }

    private static int readyReplicas(Deployment d) {
        return d.getStatus() == null || d.getStatus().getReadyReplicas() == null
                ? 0
                : d.getStatus().getReadyReplicas();
    }

    private static String vipAddress(Service service) {
        if (service.getStatus() != null
                && service.getStatus().getLoadBalancer() != null
                && service.getStatus().getLoadBalancer().getIngress() != null) {
            for (LoadBalancerIngress ingress :
                    service.getStatus().getLoadBalancer().getIngress()) {
                if (ingress.getIp() != null) {
                    return ingress.getIp();
                }
                if (ingress.getHostname() != null) {
                    return ingress.getHostname();
                }
            }
        }
        if ("ClusterIP".equals(service.getSpec().getType())
                && isAddress(service.getSpec().getClusterIP())) {
            return service.getSpec().getClusterIP();
        }
        return null;
    }

    private static boolean isAddress(String clusterIp) {
        return clusterIp != null && !clusterIp.isBlank() && !"None".equals(clusterIp);
    }

    private static CapacityFigures figures(Capacity capacity) {
        CapacityFigures figures = new CapacityFigures();
        figures.setVcpus((int) capacity.vCpus());
        figures.setMemory(MemoryQuantity.ofMiB(capacity.memoryMiB()));
        return figures;
    }
}
