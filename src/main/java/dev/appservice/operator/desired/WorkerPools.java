package dev.appservice.operator.desired;

import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.WorkerPool;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Desired state of a V1 environment's worker pools. A pool reserves {@code count} hosts of its
 * size, as V1 bills every allocated worker: the workers its plans take run as those plans' pods,
 * and the free ones are held by one placeholder Deployment per pool (replicas = free workers).
 */
public final class WorkerPools {
    private WorkerPools() {}

    /**
     * {@code <ase>-pool-<pool>-<hash>}: the hash of environment and pool makes the name unique, since
     * a pool's name is free text that could otherwise end like another child's name (a pool
     * {@code workers} of {@code a} and the plan {@code a-pool}, or environment {@code a} with pool
     * {@code b-c} and environment {@code a-b} with pool {@code c}).
     */
    public static String deploymentName(String environment, String pool) {
        return ResourceNames.child(environment, "pool-" + pool + "-" + ResourceNames.hash(environment + "/" + pool));
    }

    /** Workers of the pool that plans run on (granted instances). */
    public static int used(EnvironmentTopology topology, String pool) {
        return topology.plans().stream()
                .filter(p -> pool.equals(p.getSpec().getWorkerPool()))
                .mapToInt(topology::grantedInstances)
                .sum();
    }

    public static List<Deployment> placeholders(EnvironmentTopology topology, OperatorSettings settings) {
        List<Deployment> deployments = new ArrayList<>();
        if (!topology.isV1()) {
            return deployments;
        }
        for (WorkerPool pool : topology.environment().getSpec().effectiveWorkerPools()) {
            int count = pool.effectiveCount();
            int free = Math.max(0, count - used(topology, pool.getName()));
            InstanceSize size = pool.effectiveSize();
            Map<String, String> labels =
                    StandardLabels.forEnvironment(topology.name(), StandardLabels.ROLE_WORKER_POOL);
            labels.put(StandardLabels.POOL, pool.getName());
            Map<String, String> selector =
                    StandardLabels.roleSelector(topology.name(), StandardLabels.ROLE_WORKER_POOL);
            selector.put(StandardLabels.POOL, pool.getName());
            deployments.add(new InstanceDeployment(
                            deploymentName(topology.name(), pool.getName()),
                            topology.namespace(),
                            labels,
                            selector,
                            free,
                            Map.of(),
                            topology.environment().getSpec().effectiveZones(),
                            List.of(CapacityPlaceholder.container(size, settings.placeholderImage())),
                            List.of(CapacityPlaceholder.scratchVolume()))
                    .build());
        }
        return deployments;
    }
}
