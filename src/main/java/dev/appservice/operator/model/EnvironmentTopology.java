package dev.appservice.operator.model;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.CapacityLimits;
import dev.appservice.operator.api.EnvironmentVersion;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WorkerPool;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
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
    private final Map<String, Map<String, Room>> admitted = new java.util.concurrent.ConcurrentHashMap<>();

    private HostNameClaims claims;

    /** An environment, its plans and no apps (for what does not depend on apps: capacity, admission). */
    public EnvironmentTopology(AppServiceEnvironment environment, Collection<IsolatedPlan> candidates) {
        this(environment, candidates, List.of());
    }

    /** An environment with the plans and apps placed in it, picked from candidates of any environment. */
    public EnvironmentTopology(
            AppServiceEnvironment environment, Collection<IsolatedPlan> candidates, Collection<WebApp> appCandidates) {
        this.environment = Objects.requireNonNull(environment);
        this.plans = candidates.stream()
                .filter(p -> EnvironmentMembership.belongsTo(p, environment))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(ADMISSION_ORDER)
                .toList();
        this.granted = allocate();
        Map<String, List<WebApp>> byPlan = new HashMap<>();
        for (IsolatedPlan plan : plans) {
            byPlan.put(
                    plan.getMetadata().getName(),
                    appCandidates.stream()
                            .filter(a -> EnvironmentMembership.runsOn(a, plan))
                            .filter(a -> a.getMetadata().getDeletionTimestamp() == null)
                            .sorted(Comparator.comparing(a -> a.getMetadata().getName()))
                            .toList());
        }
        this.apps = byPlan;
    }

    /** Sorts after every RFC 3339 creation time. */
    private static final String NOT_CREATED_YET = "\uffff";

    /** The apps of a plan of this environment, by name. */
    public List<WebApp> apps(IsolatedPlan plan) {
        return apps.getOrDefault(plan.getMetadata().getName(), List.of());
    }

    /**
     * Creation time first, then name: the order in which apps were admitted to their plan. An app
     * with no creation time is one not created yet (the object a review or {@code validate} is
     * admitting): it comes after every app that has one, so a newcomer never goes ahead of a stored
     * app; among apps without one (manifests offline) the name decides.
     */
    public static final Comparator<WebApp> APP_ADMISSION_ORDER = Comparator.comparing(
                    (WebApp a) -> a.getMetadata().getCreationTimestamp() == null
                            ? NOT_CREATED_YET
                            : a.getMetadata().getCreationTimestamp())
            .thenComparing(a -> a.getMetadata().getName());

    /**
     * What a plan gives one of its apps: the deployments it runs ({@value AppDeployments#PRODUCTION}
     * and slot names, in spec order), the version of the app it runs (the app itself, or a copy with
     * only the slots that have room when the app grew past it) and whether that is all the app asks for.
     */
    public record Room(WebApp runs, List<String> deployments, boolean whole) {}

    /**
     * The apps the plan runs, in admission order: each app's running version (see {@link Room}).
     * Each runs on every instance of the plan with its own Deployment and Service.
     */
    public List<WebApp> admittedApps(IsolatedPlan plan) {
        return rooms(plan).values().stream().map(Room::runs).toList();
    }

    /** The room the plan gives the app; empty when the app waits (or is not one of this environment's). */
    public Optional<Room> room(WebApp app) {
        return planOf(app).map(plan -> rooms(plan).get(app.getMetadata().getName()));
    }

    /** The version of the app its plan runs (the app, or a copy with only the slots given room); empty when it waits. */
    public Optional<WebApp> runningVersion(WebApp app) {
        return room(app).map(Room::runs);
    }

    private Map<String, Room> rooms(IsolatedPlan plan) {
        return admitted.computeIfAbsent(plan.getMetadata().getName(), name -> admit(plan));
    }

    /**
     * Room on a plan is {@link AppDensity#appsPerInstance} deployments (an app and each of its slots
     * count one). Capacity already given is kept: first every app that runs (its status records
     * the deployments it was given, {@code status.admittedDeployments}) keeps them, in admission
     * order while they fit (they always do unless the plan itself shrank); then what is left goes,
     * in admission order, to apps that ask for more: a newcomer gets all of its deployments or
     * none, a running app its added slots all together or none (it keeps running as it was). The
     * first request that does not fit stops the queue, so no later app jumps ahead of it.
     */
    private Map<String, Room> admit(IsolatedPlan plan) {
        int density = AppDensity.appsPerInstance(workerSize(plan));
        List<WebApp> ordered = apps(plan).stream().sorted(APP_ADMISSION_ORDER).toList();
        Map<String, List<String>> kept = new HashMap<>();
        int taken = 0;
        for (WebApp app : ordered) {
            List<String> recorded = recordedDeployments(app);
            if (!recorded.isEmpty() && taken + recorded.size() <= density) {
                kept.put(app.getMetadata().getName(), recorded);
                taken += recorded.size();
            }
        }
        Map<String, Room> rooms = new LinkedHashMap<>();
        boolean queueStopped = false;
        for (WebApp app : ordered) {
            // Counted, not listed: the webhook places a newcomer behind every app of a crowded plan on each review.
            int wanted = deploymentsOf(app);
            List<String> has = kept.getOrDefault(app.getMetadata().getName(), List.of());
            int more = wanted - has.size();
            if (!queueStopped && taken + more <= density) {
                taken += more;
                rooms.put(app.getMetadata().getName(), new Room(app, deploymentNames(app), true));
                continue;
            }
            queueStopped |= more > 0;
            if (!has.isEmpty()) {
                rooms.put(app.getMetadata().getName(), new Room(withSlots(app, has), has, has.size() == wanted));
            }
        }
        return rooms;
    }

    /** The deployments an app asks for: production, then each slot, in spec order. */
    public static List<String> deploymentNames(WebApp app) {
        List<String> names = new ArrayList<>(deploymentsOf(app));
        names.add(AppDeployments.PRODUCTION);
        if (app.getSpec() != null) {
            app.getSpec().effectiveSlots().forEach(slot -> names.add(slot.getName()));
        }
        return names;
    }

    /** The deployments the app's status records as given room, still in its spec; empty when production is not. */
    private static List<String> recordedDeployments(WebApp app) {
        List<String> recorded = app.getStatus() == null ? null : app.getStatus().getAdmittedDeployments();
        if (recorded == null || !recorded.contains(AppDeployments.PRODUCTION)) {
            return List.of();
        }
        return deploymentNames(app).stream().filter(recorded::contains).toList();
    }

    private static final KubernetesSerialization COPIES = new KubernetesSerialization();

    /** A copy of the app with only the named slots (the user's object is never changed). */
    private static WebApp withSlots(WebApp app, List<String> deployments) {
        WebApp copy = COPIES.clone(app);
        copy.getSpec()
                .setSlots(app.getSpec().effectiveSlots().stream()
                        .filter(slot -> deployments.contains(slot.getName()))
                        .toList());
        if (copy.getSpec().getProduction() != null
                && !AppDeployments.PRODUCTION.equals(copy.getSpec().getProduction())
                && !deployments.contains(copy.getSpec().getProduction())) {
            copy.getSpec().setProduction(null);
        }
        return copy;
    }

    /** The deployments an app runs on every instance of its plan: its own and one per deployment slot. */
    public static int deploymentsOf(WebApp app) {
        return 1 + (app.getSpec() == null ? 0 : app.getSpec().effectiveSlots().size());
    }

    /** The deployments the plan runs on each instance: its admitted apps and their slots. */
    public int admittedDeployments(IsolatedPlan plan) {
        return rooms(plan).values().stream()
                .mapToInt(r -> r.deployments().size())
                .sum();
    }

    /** Whether the app is one its plan runs (see {@link #admittedApps}). */
    public boolean isAdmitted(WebApp app) {
        return room(app).isPresent();
    }

    /** Every app of the environment, plan by plan in admission order, then by name. */
    public List<WebApp> apps() {
        return plans.stream().flatMap(p -> apps(p).stream()).toList();
    }

    /** The plan an app runs on, if it is one of this environment's. */
    public Optional<IsolatedPlan> planOf(WebApp app) {
        return plans.stream().filter(p -> EnvironmentMembership.runsOn(app, p)).findFirst();
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
            claims = HostNameClaims.of(apps(), dnsSuffix());
        }
        return claims;
    }

    /** The default host name of an app: {@code <app>.<dnsSuffix>}. */
    public String defaultHostName(String app) {
        return app + "." + dnsSuffix();
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
