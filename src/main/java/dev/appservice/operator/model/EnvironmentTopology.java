package dev.appservice.operator.model;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.EnvironmentVersion;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WorkerPool;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An environment together with the plans placed in it: the one input from which front ends,
 * workers, capacity and status figures are computed, by the reconcilers and by {@code render} alike.
 *
 * <p>Capacity is handed out to plans in the order they were created (then by name): each plan gets
 * what it asks for while the environment (V2: {@code maxInstances}) or its worker pool (V1: the
 * pool's {@code count}) has room, and is held at what still fits after that. So a plan admitted
 * last never pushes out one that was there before it.
 */
public final class EnvironmentTopology {
    public static final int V1_HOST_LIMIT = 55;
    public static final int V1_DEFAULT_FRONT_ENDS = 2;

    private final AppServiceEnvironment environment;
    private final List<IsolatedPlan> plans;
    private final Map<String, Integer> granted;

    public EnvironmentTopology(AppServiceEnvironment environment, Collection<IsolatedPlan> candidates) {
        this.environment = Objects.requireNonNull(environment);
        String name = environment.getMetadata().getName();
        String namespace = environment.getMetadata().getNamespace();
        this.plans = candidates.stream()
                .filter(p -> p.getSpec() != null && name.equals(p.getSpec().getEnvironmentName()))
                .filter(p -> Objects.equals(namespace, p.getMetadata().getNamespace()))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(ADMISSION_ORDER)
                .toList();
        this.granted = allocate();
    }

    /** Creation time first, then name: the order in which plans were admitted. */
    public static final Comparator<IsolatedPlan> ADMISSION_ORDER = Comparator
            .comparing((IsolatedPlan p) -> p.getMetadata().getCreationTimestamp() == null ? "" : p.getMetadata().getCreationTimestamp())
            .thenComparing(p -> p.getMetadata().getName());

    private Map<String, Integer> allocate() {
        Map<String, Integer> room = new HashMap<>();
        if (isV1()) {
            for (WorkerPool pool : environment.getSpec().effectiveWorkerPools()) {
                room.put(pool.getName(), pool.getCount() == null ? 0 : pool.getCount());
            }
        } else {
            room.put("", instanceLimit());
        }
        Map<String, Integer> result = new LinkedHashMap<>();
        for (IsolatedPlan plan : plans) {
            String bucket = isV1() ? Objects.requireNonNullElse(plan.getSpec().getWorkerPool(), "") : "";
            int free = room.getOrDefault(bucket, 0);
            int give = Math.max(0, Math.min(plan.getSpec().effectiveInstances(), free));
            room.put(bucket, free - give);
            result.put(plan.getMetadata().getName(), give);
        }
        return result;
    }

    public AppServiceEnvironment environment() {
        return environment;
    }

    public String name() {
        return environment.getMetadata().getName();
    }

    public String namespace() {
        return environment.getMetadata().getNamespace();
    }

    public boolean isV1() {
        return environment.getSpec().effectiveVersion() == EnvironmentVersion.V1;
    }

    /** The plans placed in this environment, in admission order. */
    public List<IsolatedPlan> plans() {
        return plans;
    }

    /** Instances the plan may run: what it asks for, or what still fits (see the class comment). */
    public int grantedInstances(IsolatedPlan plan) {
        return granted.getOrDefault(plan.getMetadata().getName(), 0);
    }

    /** The size of one worker of the plan: the plan's size (V2) or its worker pool's (V1). */
    public InstanceSize workerSize(IsolatedPlan plan) {
        if (isV1()) {
            return pool(plan.getSpec().getWorkerPool())
                    .map(p -> p.getSize() == null ? InstanceSize.I1 : p.getSize())
                    .orElse(plan.getSpec().effectiveSize());
        }
        return plan.getSpec().effectiveSize();
    }

    public Optional<WorkerPool> pool(String name) {
        return environment.getSpec().effectiveWorkerPools().stream().filter(p -> p.getName().equals(name)).findFirst();
    }

    /** Sum of the instances granted to plans. */
    public int planInstances() {
        return granted.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Sum of the instances the plans ask for. */
    public int requestedInstances() {
        return plans.stream().mapToInt(p -> p.getSpec().effectiveInstances()).sum();
    }

    /** V2: 2 + floor(plan instances / scaleFactor). V1: spec.frontEnd.count. */
    public int frontEndCount() {
        if (isV1()) {
            Integer count = environment.getSpec().getFrontEnd() == null ? null : environment.getSpec().getFrontEnd().getCount();
            return count == null ? V1_DEFAULT_FRONT_ENDS : count;
        }
        return 2 + planInstances() / environment.getSpec().effectiveScaleFactor();
    }

    /** V2: plan instances in use. V1: hosts in use (front ends plus every worker pool's count). */
    public int instancesUsed() {
        if (isV1()) {
            return frontEndCount() + environment.getSpec().effectiveWorkerPools().stream()
                    .mapToInt(p -> p.getCount() == null ? 0 : p.getCount()).sum();
        }
        return planInstances();
    }

    /** V2: maxInstances (at most 200). V1: 55 hosts. */
    public int instanceLimit() {
        return isV1() ? V1_HOST_LIMIT : Math.min(environment.getSpec().effectiveMaxInstances(), 200);
    }

    /** vCPUs and memory reserved by pods. */
    public record Capacity(long vCpus, long memoryMiB) {
        public static Capacity of(InstanceSize size, long count) {
            return new Capacity(size.vCpus() * count, size.memoryMiB() * count);
        }

        public Capacity plus(Capacity other) {
            return new Capacity(vCpus + other.vCpus, memoryMiB + other.memoryMiB);
        }
    }

    /** What the front ends reserve. */
    public Capacity frontEndCapacity() {
        return Capacity.of(environment.getSpec().effectiveFrontEndSize(), frontEndCount());
    }

    /** vCPUs and MiB the workers reserve: granted plan instances (V2) or every pool's hosts (V1). */
    public Capacity workerCapacity() {
        Capacity total = new Capacity(0, 0);
        if (isV1()) {
            for (WorkerPool pool : environment.getSpec().effectiveWorkerPools()) {
                InstanceSize size = pool.getSize() == null ? InstanceSize.I1 : pool.getSize();
                total = total.plus(Capacity.of(size, pool.getCount() == null ? 0 : pool.getCount()));
            }
        } else {
            for (IsolatedPlan plan : plans) {
                total = total.plus(Capacity.of(workerSize(plan), grantedInstances(plan)));
            }
        }
        return total;
    }
}
