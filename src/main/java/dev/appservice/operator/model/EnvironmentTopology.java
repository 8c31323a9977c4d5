package dev.appservice.operator.model;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.CapacityLimits;
import dev.appservice.operator.api.EnvironmentVersion;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
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
 * <p>Capacity (V2: {@code maxInstances}; V1: each worker pool's {@code count}) is handed out so
 * that nothing running is scaled down by someone else's plan: plans keep what they run, and the
 * rest goes to plans in the order they were created (then by name), each held at what still fits.
 * Two plans admitted together past the limit: the later one is held.
 */
public final class EnvironmentTopology {

    private final AppServiceEnvironment environment;
    private final List<IsolatedPlan> plans;
    private final Map<String, Integer> granted;
    private final Map<String, List<WebApp>> apps;
    /** Each plan's admitted apps, worked out once per topology: the dependents, status and routing all ask. */
    private final Map<String, List<WebApp>> admitted = new java.util.concurrent.ConcurrentHashMap<>();

    private HostNameClaims claims;

    /** An environment, its plans and no apps (for what does not depend on apps: capacity, admission). */
    public EnvironmentTopology(AppServiceEnvironment environment, Collection<IsolatedPlan> candidates) {
        this(environment, candidates, List.of());
    }

    /** An environment with the plans and apps placed in it, picked from candidates of any environment. */
    public EnvironmentTopology(
            AppServiceEnvironment environment, Collection<IsolatedPlan> candidates, Collection<WebApp> appCandidates) {
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
        Map<String, List<WebApp>> byPlan = new HashMap<>();
        for (IsolatedPlan plan : plans) {
            String planName = plan.getMetadata().getName();
            byPlan.put(
                    planName,
                    appCandidates.stream()
                            .filter(a -> a.getSpec() != null
                                    && planName.equals(a.getSpec().getPlanName()))
                            .filter(a ->
                                    Objects.equals(namespace, a.getMetadata().getNamespace()))
                            .filter(a -> a.getMetadata().getDeletionTimestamp() == null)
                            .sorted(Comparator.comparing(a -> a.getMetadata().getName()))
                            .toList());
        }
        this.apps = byPlan;
    }

    /** The apps of a plan of this environment, by name. */
    public List<WebApp> apps(IsolatedPlan plan) {
        return apps.getOrDefault(plan.getMetadata().getName(), List.of());
    }

    /** Creation time first, then name: the order in which apps were admitted to their plan. */
    public static final Comparator<WebApp> APP_ADMISSION_ORDER = Comparator.comparing(
                    (WebApp a) -> a.getMetadata().getCreationTimestamp() == null
                            ? ""
                            : a.getMetadata().getCreationTimestamp())
            .thenComparing(a -> a.getMetadata().getName());

    /**
     * The apps the plan runs: the first {@link AppDensity#appsPerInstance} of its apps in admission
     * order. Each runs on every instance of the plan with its own Deployment and Service.
     */
    public List<WebApp> admittedApps(IsolatedPlan plan) {
        return admitted.computeIfAbsent(plan.getMetadata().getName(), name -> admit(plan));
    }

    private List<WebApp> admit(IsolatedPlan plan) {
        int density = AppDensity.appsPerInstance(workerSize(plan));
        // Each deployment slot counts as an app: an app runs with all its slots, or not at all, in admission order.
        List<WebApp> admitted = new java.util.ArrayList<>();
        int taken = 0;
        for (WebApp app : apps(plan).stream().sorted(APP_ADMISSION_ORDER).toList()) {
            taken += deploymentsOf(app);
            if (taken > density) {
                break;
            }
            admitted.add(app);
        }
        return List.copyOf(admitted);
    }

    /** The deployments an app runs on every instance of its plan: its own and one per deployment slot. */
    public static int deploymentsOf(WebApp app) {
        return 1 + (app.getSpec() == null ? 0 : app.getSpec().effectiveSlots().size());
    }

    /** The deployments the plan runs on each instance: its admitted apps and their slots. */
    public int admittedDeployments(IsolatedPlan plan) {
        return admittedApps(plan).stream()
                .mapToInt(EnvironmentTopology::deploymentsOf)
                .sum();
    }

    /** Whether the app is one its plan runs (see {@link #admittedApps}). */
    public boolean isAdmitted(WebApp app) {
        return planOf(app)
                .map(plan -> admittedApps(plan).stream()
                        .anyMatch(a -> a.getMetadata()
                                .getName()
                                .equals(app.getMetadata().getName())))
                .orElse(false);
    }

    /** Every app of the environment, plan by plan in admission order, then by name. */
    public List<WebApp> apps() {
        return plans.stream().flatMap(p -> apps(p).stream()).toList();
    }

    /** The plan an app runs on, if it is one of this environment's. */
    public Optional<IsolatedPlan> planOf(WebApp app) {
        return plans.stream()
                .filter(p -> p.getMetadata().getName().equals(app.getSpec().getPlanName()))
                .findFirst();
    }

    /**
     * The host names an app is served at: {@code <app>.<dnsSuffix>} and the extra host names it
     * holds (see {@link HostNameClaims}: the first app created keeps a contested name).
     */
    public List<String> hostNames(WebApp app) {
        List<String> held = hostNameClaims().held(app);
        return held.isEmpty() ? List.of(HostNameClaims.defaultName(app, dnsSuffix())) : held;
    }

    /** Who holds each host name among this environment's apps, computed once. */
    public HostNameClaims hostNameClaims() {
        if (claims == null) {
            claims = new HostNameClaims(apps(), dnsSuffix());
        }
        return claims;
    }

    private String dnsSuffix() {
        return environment.getSpec().effectiveDnsSuffix(name());
    }

    /** Creation time first, then name: the order in which plans were admitted. */
    public static final Comparator<IsolatedPlan> ADMISSION_ORDER = Comparator.comparing(
                    (IsolatedPlan p) -> p.getMetadata().getCreationTimestamp() == null
                            ? ""
                            : p.getMetadata().getCreationTimestamp())
            .thenComparing(p -> p.getMetadata().getName());

    /**
     * Two passes. First every plan keeps what it already runs (its reported instances, never more
     * than it now asks for), in admission order while the bucket has room; then what is left goes
     * to plans that ask for more, again in admission order. So a plan that grows never takes
     * instances from one already running, whatever their ages.
     */
    private Map<String, Integer> allocate() {
        Map<String, Integer> room = new HashMap<>();
        if (isV1()) {
            for (WorkerPool pool : environment.getSpec().effectiveWorkerPools()) {
                room.put(pool.getName(), pool.effectiveCount());
            }
        } else {
            room.put("", instanceLimit());
        }
        Map<String, Integer> result = new LinkedHashMap<>();
        for (IsolatedPlan plan : plans) {
            int running = plan.getStatus() == null || plan.getStatus().getInstances() == null
                    ? 0
                    : plan.getStatus().getInstances();
            result.put(
                    plan.getMetadata().getName(),
                    take(room, bucket(plan), Math.min(running, plan.getSpec().effectiveInstances())));
        }
        for (IsolatedPlan plan : plans) {
            String name = plan.getMetadata().getName();
            int more = plan.getSpec().effectiveInstances() - result.get(name);
            if (more > 0) {
                result.put(name, result.get(name) + take(room, bucket(plan), more));
            }
        }
        return result;
    }

    private String bucket(IsolatedPlan plan) {
        return isV1() ? Objects.requireNonNullElse(plan.getSpec().getWorkerPool(), "") : "";
    }

    private static int take(Map<String, Integer> room, String bucket, int wanted) {
        int free = room.getOrDefault(bucket, 0);
        int given = Math.max(0, Math.min(wanted, free));
        room.put(bucket, free - given);
        return given;
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
                    .map(WorkerPool::effectiveSize)
                    .orElse(plan.getSpec().effectiveSize());
        }
        return plan.getSpec().effectiveSize();
    }

    public Optional<WorkerPool> pool(String name) {
        return environment.getSpec().effectiveWorkerPools().stream()
                .filter(p -> p.getName().equals(name))
                .findFirst();
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
            Integer count = environment.getSpec().getFrontEnd() == null
                    ? null
                    : environment.getSpec().getFrontEnd().getCount();
            return count == null ? CapacityLimits.MIN_FRONT_ENDS : count;
        }
        return CapacityLimits.MIN_FRONT_ENDS
                + planInstances() / environment.getSpec().effectiveScaleFactor();
    }

    /** V2: plan instances in use. V1: hosts in use (front ends plus every worker pool's count). */
    public int instancesUsed() {
        if (isV1()) {
            return frontEndCount()
                    + environment.getSpec().effectiveWorkerPools().stream()
                            .mapToInt(WorkerPool::effectiveCount)
                            .sum();
        }
        return planInstances();
    }

    /** V2: maxInstances (at most {@link CapacityLimits#V2_INSTANCES}). V1: {@link CapacityLimits#V1_HOSTS} hosts. */
    public int instanceLimit() {
        return isV1()
                ? CapacityLimits.V1_HOSTS
                : Math.min(environment.getSpec().effectiveMaxInstances(), CapacityLimits.V2_INSTANCES);
    }

    /**
     * What one more plan could ask for beside this topology's plans: V2, the instance limit less
     * what the plans ask for; V1, the worker pool's count less what its plans ask for (0 for a pool
     * that does not exist). Plans being deleted are not counted, as everywhere in the topology.
     */
    public int unrequestedInstances(String workerPool) {
        if (isV1()) {
            int count = pool(workerPool).map(WorkerPool::effectiveCount).orElse(0);
            int asked = plans.stream()
                    .filter(p -> Objects.equals(workerPool, p.getSpec().getWorkerPool()))
                    .mapToInt(p -> p.getSpec().effectiveInstances())
                    .sum();
            return Math.max(0, count - asked);
        }
        return Math.max(0, instanceLimit() - requestedInstances());
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
                total = total.plus(Capacity.of(pool.effectiveSize(), pool.effectiveCount()));
            }
        } else {
            for (IsolatedPlan plan : plans) {
                total = total.plus(Capacity.of(workerSize(plan), grantedInstances(plan)));
            }
        }
        return total;
    }
}
