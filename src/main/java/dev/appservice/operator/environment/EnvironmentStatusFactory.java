package dev.appservice.operator.environment;

import dev.appservice.operator.desired.WorkerPools;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.AppServiceEnvironmentStatus;
import dev.appservice.operator.api.CapacityFigures;
import dev.appservice.operator.api.FrontEndStatus;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.InstanceUsage;
import dev.appservice.operator.api.MemoryQuantity;
import dev.appservice.operator.api.ReservedCapacity;
import dev.appservice.operator.api.WorkerPool;
import dev.appservice.operator.api.WorkerPoolStatus;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.EnvironmentTopology.Capacity;
import dev.appservice.operator.network.NsgCompiler;
import dev.appservice.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Computes an environment's status from its topology and the children as they are observed: the
 * status aggregator. {@code Ready} is True only when every child exists and the front ends are
 * available at the current generation (the kstatus / Argo CD convention).
 */
public final class EnvironmentStatusFactory {

    /** The children as observed in the cluster (absent when not created yet). */
    public record ObservedChildren(Optional<Deployment> frontEnds, Optional<Service> vip, Optional<Service> internal,
            Optional<Service> management, Optional<ConfigMap> config, List<NetworkPolicy> policies, List<Deployment> pools) {
    }

    private EnvironmentStatusFactory() {
    }

    public static AppServiceEnvironmentStatus compute(EnvironmentTopology topology, ObservedChildren observed,
            NsgCompiler.Result network, Instant now) {
        AppServiceEnvironment environment = topology.environment();
        AppServiceEnvironmentStatus previous = environment.getStatus();
        long generation = environment.getMetadata().getGeneration() == null ? 0 : environment.getMetadata().getGeneration();

        int desired = topology.frontEndCount();
        int ready = observed.frontEnds().map(EnvironmentStatusFactory::readyReplicas).orElse(0);

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
        status.setVipAddress(observed.vip().map(EnvironmentStatusFactory::vipAddress).orElse(null));
        status.setInternalAddress(observed.internal().map(s -> s.getSpec().getClusterIP()).filter(EnvironmentStatusFactory::isAddress).orElse(null));

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
                p.setSize(pool.getSize() == null ? InstanceSize.I1 : pool.getSize());
                p.setWorkers(pool.getCount() == null ? 0 : pool.getCount());
                p.setUsed(WorkerPools.used(topology, pool.getName()));
                p.setFree(Math.max(0, p.getWorkers() - p.getUsed()));
                pools.add(p);
            }
            status.setWorkerPools(pools);
        }

        List<Conditions.Desired> conditions = new ArrayList<>();
        conditions.add(readyCondition(topology, observed, desired, ready, network));
        conditions.add(networkPolicyCondition(observed, network));
        if (environment.getSpec().getNetworkSecurityGroup() != null) {
            conditions.add(finding(network, "ManagementReachable", "ManagementAllowed",
                    "VIP ports 454-455 are open to AppServiceManagement"));
            var outbound = environment.getSpec().getNetworkSecurityGroup().getOutboundRules();
            if (outbound != null && !outbound.isEmpty()) {
                conditions.add(finding(network, "DnsReachable", "DnsAllowed", "the cluster DNS stays reachable under the outbound rules"));
            }
        }
        status.setConditions(Conditions.merge(previous == null ? null : previous.getConditions(), conditions, generation, now));
        return status;
    }

    private static Conditions.Desired networkPolicyCondition(ObservedChildren observed, NsgCompiler.Result network) {
        List<String> missing = missingPolicies(observed, network);
        if (!missing.isEmpty()) {
            return new Conditions.Desired("NetworkPolicyReady", false, "NetworkPoliciesMissing", "Not applied yet: " + String.join(", ", missing));
        }
        return new Conditions.Desired("NetworkPolicyReady", true, "NetworkPoliciesApplied",
                network.policies().size() + " NetworkPolicies applied: " + String.join(", ",
                        network.policies().stream().map(p -> p.getMetadata().getName()).toList()));
    }

    private static List<String> missingPolicies(ObservedChildren observed, NsgCompiler.Result network) {
        return network.policies().stream().map(p -> p.getMetadata().getName())
                .filter(name -> observed.policies().stream().noneMatch(p -> p.getMetadata().getName().equals(name)))
                .map(name -> "NetworkPolicy " + name)
                .toList();
    }

    private static Conditions.Desired finding(NsgCompiler.Result network, String type, String okReason, String okMessage) {
        return network.findings().stream().filter(f -> f.conditionType().equals(type)).findFirst()
                .map(f -> new Conditions.Desired(type, false, f.reason(), f.message()))
                .orElse(new Conditions.Desired(type, true, okReason, okMessage));
    }

    private static Conditions.Desired readyCondition(EnvironmentTopology topology, ObservedChildren observed, int desired, int ready,
            NsgCompiler.Result network) {
        List<String> missing = new ArrayList<>();
        if (observed.config().isEmpty()) {
            missing.add("ConfigMap (front-end configuration)");
        }
        if (observed.frontEnds().isEmpty()) {
            missing.add("Deployment (front ends)");
        }
        if (observed.vip().isEmpty()) {
            missing.add("Service (VIP)");
        }
        if (observed.internal().isEmpty()) {
            missing.add("Service (internal)");
        }
        if (observed.management().isEmpty()) {
            missing.add("Service (management)");
        }
        missing.addAll(missingPolicies(observed, network));
        if (topology.isV1()) {
            for (WorkerPool pool : topology.environment().getSpec().effectiveWorkerPools()) {
                String name = WorkerPools.deploymentName(topology.name(), pool.getName());
                if (observed.pools().stream().noneMatch(d -> d.getMetadata().getName().equals(name))) {
                    missing.add("Deployment " + name + " (worker pool " + pool.getName() + ")");
                }
            }
        }
        if (!missing.isEmpty()) {
            return new Conditions.Desired(Conditions.READY, false, "ChildrenMissing", "Not created yet: " + String.join(", ", missing));
        }
        Deployment deployment = observed.frontEnds().get();
        boolean rolledOut = deployment.getStatus() != null
                && deployment.getStatus().getObservedGeneration() != null
                && deployment.getStatus().getObservedGeneration() >= deployment.getMetadata().getGeneration();
        int updated = deployment.getStatus() == null || deployment.getStatus().getUpdatedReplicas() == null
                ? 0 : deployment.getStatus().getUpdatedReplicas();
        if (ready < desired || updated < desired || !rolledOut) {
            return new Conditions.Desired(Conditions.READY, false, "FrontEndsNotReady",
                    ready + " of " + desired + " front ends ready" + (rolledOut ? "" : ", rollout in progress"));
        }
        return new Conditions.Desired(Conditions.READY, true, "EnvironmentReady",
                "All " + desired + " front ends are ready and every child is as desired");
    }

    private static int readyReplicas(Deployment d) {
        return d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
    }

    private static String vipAddress(Service service) {
        if (service.getStatus() != null && service.getStatus().getLoadBalancer() != null
                && service.getStatus().getLoadBalancer().getIngress() != null) {
            for (LoadBalancerIngress ingress : service.getStatus().getLoadBalancer().getIngress()) {
                if (ingress.getIp() != null) {
                    return ingress.getIp();
                }
                if (ingress.getHostname() != null) {
                    return ingress.getHostname();
                }
            }
        }
        if ("ClusterIP".equals(service.getSpec().getType()) && isAddress(service.getSpec().getClusterIP())) {
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
