package dev.appservice.operator.validation;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.EnvironmentVersion;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WorkerPool;
import dev.appservice.operator.config.NetworkSettings;
import dev.appservice.operator.model.AppDensity;
import dev.appservice.operator.model.AppDeployments;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.network.NsgCompiler;
import dev.appservice.operator.network.SubnetClaims;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every admission check: the per-object rules of {@link SpecValidation} plus the rules that need
 * the other objects (instance limits, worker pools, immutable fields), as pure functions of the
 * object, its previous version (on update) and a {@link ClusterView}. The webhook and
 * {@code validate} both call {@link #check}, so they accept and reject the same things in the
 * same words.
 */
public final class AdmissionRules {
    private AdmissionRules() {
    }

    /** Problems of an object being created (previous null) or updated. */
    public static List<Violation> check(Object object, Object previous, ClusterView view, NetworkSettings network) {
        if (object instanceof AppServiceEnvironment environment) {
            return checkEnvironment(environment, (AppServiceEnvironment) previous, view, network);
        }
        if (object instanceof IsolatedPlan plan) {
            return checkPlan(plan, (IsolatedPlan) previous, view);
        }
        if (object instanceof WebApp app) {
            return checkApp(app, (WebApp) previous, view);
        }
        return List.of();
    }

    static List<Violation> checkEnvironment(AppServiceEnvironment ase, AppServiceEnvironment previous, ClusterView view, NetworkSettings networkSettings) {
        List<Violation> problems = new ArrayList<>(SpecValidation.validate(ase));
        if (problems.stream().anyMatch(v -> !v.warning())) {
            return problems;
        }
        String object = SpecValidation.describe(ase);
        String namespace = ase.getMetadata().getNamespace();
        if (previous != null && previous.getSpec() != null
                && previous.getSpec().effectiveVersion() != ase.getSpec().effectiveVersion()) {
            problems.add(Violation.error(object, "spec.version", "is immutable (" + previous.getSpec().effectiveVersion()
                    + " → " + ase.getSpec().effectiveVersion() + "): create a new environment and move the plans"));
        }
        List<IsolatedPlan> plans = view.plans(namespace).stream()
                .filter(p -> p.getSpec() != null && ase.getMetadata().getName().equals(p.getSpec().getEnvironmentName()))
                .toList();
        EnvironmentTopology topology = new EnvironmentTopology(ase, plans);
        if (topology.isV1()) {
            int hosts = topology.instancesUsed();
            if (hosts > EnvironmentTopology.V1_HOST_LIMIT) {
                problems.add(Violation.error(object, "spec", topology.frontEndCount() + " front ends + "
                        + (hosts - topology.frontEndCount()) + " workers in pools = " + hosts + " hosts (limit "
                        + EnvironmentTopology.V1_HOST_LIMIT + " for a V1 environment)"));
            }
            List<WorkerPool> pools = ase.getSpec().effectiveWorkerPools();
            for (int i = 0; i < pools.size(); i++) {
                WorkerPool pool = pools.get(i);
                int used = plans.stream().filter(p -> pool.getName().equals(p.getSpec().getWorkerPool()))
                        .mapToInt(p -> p.getSpec().effectiveInstances()).sum();
                int count = pool.getCount() == null ? 0 : pool.getCount();
                if (count < used) {
                    problems.add(Violation.error(object, "spec.workerPools[" + i + "].count", count + " is below the " + used
                            + " workers plans use in pool '" + pool.getName() + "': scale those plans in first"));
                }
            }
            for (IsolatedPlan plan : plans) {
                if (plan.getSpec().getWorkerPool() != null && topology.pool(plan.getSpec().getWorkerPool()).isEmpty()) {
                    problems.add(Violation.error(object, "spec.workerPools", "no longer has pool '" + plan.getSpec().getWorkerPool()
                            + "', which " + SpecValidation.describe(plan) + " uses"));
                }
            }
        } else {
            int used = topology.requestedInstances();
            int limit = topology.instanceLimit();
            if (used > limit) {
                problems.add(Violation.error(object, "spec.maxInstances", limit + " is below the " + used + " instances its "
                        + plans.size() + " plan" + (plans.size() == 1 ? "" : "s") + " use: scale them in first"));
            }
        }
        PublicExposure.warning(object, ase.getSpec()).ifPresent(problems::add);
        problems.addAll(subnetOverlaps(ase, previous, view));
        // One pass of the compiler, building nothing: what the rules mean, and whether the policies fit the API server.
        NsgCompiler.Result network = NsgCompiler.assess(topology, networkSettings);
        network.findings().forEach(f -> problems.add(Violation.warning(object, "spec.networkSecurityGroup", f.message())));
        network.oversized().forEach(o -> problems.add(Violation.error(object, o.field(), o.message())));
        return problems;
    }

    /**
     * An ASE's subnet is its own within its virtual network (in any namespace). Creating an
     * overlap, or moving into one, is refused; an update that leaves subnet and virtual network
     * as they were is only warned about (the overlap got past an earlier check: the reconciler
     * holds the later environment), so the earlier one can still be changed.
     */
    static List<Violation> subnetOverlaps(AppServiceEnvironment ase, AppServiceEnvironment previous, ClusterView view) {
        String object = SpecValidation.describe(ase);
        var vnet = ase.getSpec().getVirtualNetwork();
        boolean moved = previous == null || previous.getSpec() == null || previous.getSpec().getVirtualNetwork() == null
                || !Objects.equals(previous.getSpec().getVirtualNetwork().getName(), vnet.getName())
                || !Objects.equals(previous.getSpec().getVirtualNetwork().getSubnet(), vnet.getSubnet());
        List<Violation> problems = new ArrayList<>();
        for (AppServiceEnvironment other : SubnetClaims.overlapping(ase, view.environmentsInVirtualNetwork(vnet.getName()))) {
            String message = SubnetClaims.describeOverlap(ase, other);
            problems.add(moved ? Violation.error(object, "spec.virtualNetwork.subnet", message)
                    : Violation.warning(object, "spec.virtualNetwork.subnet", message));
        }
        return problems;
    }

    static List<Violation> checkPlan(IsolatedPlan plan, IsolatedPlan previous, ClusterView view) {
        List<Violation> problems = new ArrayList<>(SpecValidation.validate(plan));
        if (problems.stream().anyMatch(v -> !v.warning())) {
            return problems;
        }
        String object = SpecValidation.describe(plan);
        String namespace = plan.getMetadata().getNamespace();
        String environmentName = plan.getSpec().getEnvironmentName();
        if (previous != null && previous.getSpec() != null && !Objects.equals(previous.getSpec().getEnvironmentName(), environmentName)) {
            problems.add(Violation.error(object, "spec.environmentName", "is immutable ('" + previous.getSpec().getEnvironmentName()
                    + "' → '" + environmentName + "'): create a new plan in the other environment"));
            return problems;
        }
        Optional<AppServiceEnvironment> found = view.environment(namespace, environmentName);
        if (found.isEmpty()) {
            problems.add(Violation.warning(object, "spec.environmentName", "AppServiceEnvironment " + namespace + "/" + environmentName
                    + " does not exist yet; the plan waits for it (EnvironmentNotFound)"));
            return problems;
        }
        AppServiceEnvironment ase = found.get();
        String environment = "AppServiceEnvironment " + namespace + "/" + environmentName;
        int instances = plan.getSpec().effectiveInstances();
        int before = previous == null || previous.getSpec() == null ? 0 : previous.getSpec().effectiveInstances();
        boolean growing = instances > before;
        List<IsolatedPlan> others = view.plans(namespace).stream()
                .filter(p -> p.getSpec() != null && environmentName.equals(p.getSpec().getEnvironmentName()))
                .filter(p -> !p.getMetadata().getName().equals(plan.getMetadata().getName()))
                .toList();
        if (ase.getSpec().effectiveVersion() == EnvironmentVersion.V1) {
            String poolName = plan.getSpec().getWorkerPool();
            if (poolName == null) {
                problems.add(Violation.error(object, "spec.workerPool", "is required: " + environment + " is V1, so the plan runs in one of its worker pools ("
                        + String.join(", ", ase.getSpec().effectiveWorkerPools().stream().map(WorkerPool::getName).toList()) + ")"));
                return problems;
            }
            Optional<WorkerPool> pool = ase.getSpec().effectiveWorkerPools().stream().filter(p -> p.getName().equals(poolName)).findFirst();
            if (pool.isEmpty()) {
                problems.add(Violation.error(object, "spec.workerPool", "'" + poolName + "' is not a worker pool of " + environment + " (pools: "
                        + String.join(", ", ase.getSpec().effectiveWorkerPools().stream().map(WorkerPool::getName).toList()) + ")"));
                return problems;
            }
            int count = pool.get().getCount() == null ? 0 : pool.get().getCount();
            int used = others.stream().filter(p -> poolName.equals(p.getSpec().getWorkerPool())).mapToInt(p -> p.getSpec().effectiveInstances()).sum();
            int free = Math.max(0, count - used);
            if (growing && instances > free) {
                problems.add(Violation.error(object, "spec.instances", instances + ": scale out worker pool '" + poolName + "' of " + environment
                        + " first: it has " + free + " free worker" + (free == 1 ? "" : "s") + ", the plan asks for " + instances));
            }
        } else {
            if (plan.getSpec().getWorkerPool() != null) {
                problems.add(Violation.error(object, "spec.workerPool", "is for V1 environments only: " + environment + " is V2"));
            }
            int limit = Math.min(ase.getSpec().effectiveMaxInstances(), 200);
            int used = others.stream().mapToInt(p -> p.getSpec().effectiveInstances()).sum();
            if (growing && used + instances > limit) {
                problems.add(Violation.error(object, "spec.instances", instances + " would bring " + environment + " to " + (used + instances)
                        + " instances (limit " + limit + "; " + used + " used by " + others.size() + " other plan" + (others.size() == 1 ? "" : "s") + ")"));
            }
        }
        return problems;
    }

    static List<Violation> checkApp(WebApp app, WebApp previous, ClusterView view) {
        List<Violation> problems = new ArrayList<>(SpecValidation.validate(app));
        if (problems.stream().anyMatch(v -> !v.warning())) {
            return problems;
        }
        String object = SpecValidation.describe(app);
        String namespace = app.getMetadata().getNamespace();
        String name = app.getMetadata().getName();
        String planName = app.getSpec().getPlanName();
        if (previous != null && previous.getSpec() != null && !Objects.equals(previous.getSpec().getPlanName(), planName)) {
            problems.add(Violation.error(object, "spec.planName", "is immutable ('" + previous.getSpec().getPlanName() + "' → '" + planName
                    + "'): create the app again on the other plan"));
            return problems;
        }
        List<WebApp> others = view.apps(namespace).stream().filter(a -> !a.getMetadata().getName().equals(name) && a.getSpec() != null).toList();
        for (WebApp other : others) {
            if (planName.equals(other.getSpec().getPlanName()) && other.getSpec().effectivePort() == app.getSpec().effectivePort()) {
                problems.add(Violation.error(object, "spec.port", app.getSpec().effectivePort() + " is already used by " + SpecValidation.describe(other)
                        + " on IsolatedPlan " + namespace + "/" + planName + "; the apps of a plan share its instances and need distinct ports"));
            }
        }
        Optional<IsolatedPlan> plan = view.plan(namespace, planName);
        if (plan.isEmpty()) {
            problems.add(Violation.warning(object, "spec.planName", "IsolatedPlan " + namespace + "/" + planName
                    + " does not exist yet; the app waits for it (PlanNotFound)"));
            return problems;
        }
        Optional<AppServiceEnvironment> environment = view.environment(namespace, plan.get().getSpec().getEnvironmentName());
        if (environment.isPresent()) {
            EnvironmentTopology topology = new EnvironmentTopology(environment.get(), view.plans(namespace), others);
            // A new app comes last in its plan's admission order: past the density, it is admitted but will not run.
            int density = AppDensity.appsPerInstance(topology.workerSize(plan.get()));
            // Each deployment slot counts as an app.
            int running = topology.planOf(app).map(p -> topology.apps(p).stream().filter(SpecValidation::acceptable)
                    .mapToInt(EnvironmentTopology::deploymentsOf).sum()).orElse(0);
            int asked = EnvironmentTopology.deploymentsOf(app);
            boolean grows = previous == null || asked > EnvironmentTopology.deploymentsOf(previous);
            if (grows && running + asked > density) {
                problems.add(Violation.warning(object, "spec.planName", "IsolatedPlan " + namespace + "/" + planName + " runs at most " + density
                        + " apps on its " + topology.workerSize(plan.get()) + " instances and already has " + running
                        + (asked > 1 ? " (each deployment slot counts as an app: this app and its slots are " + asked + ")" : "")
                        + "; this app will not run (PlanCapacityExceeded) until one goes or the plan is scaled up to a larger size"));
            }
            EnvironmentTopology own = new EnvironmentTopology(environment.get(), List.of(plan.get()), List.of(app));
            List<String> hosts = new java.util.ArrayList<>(own.hostNames(app));
            List<String> slotHosts = SlotRules.hostProblems(object, own, app, problems);
            hosts.addAll(slotHosts);
            for (WebApp other : topology.apps()) {
                List<String> served = new java.util.ArrayList<>(topology.hostNames(other));
                served.addAll(AppDeployments.slotHostNames(topology, other));
                for (String host : served) {
                    if (hosts.contains(host)) {
                        int slot = slotHosts.indexOf(host);
                        String field = slot >= 0 && !own.hostNames(app).contains(host) ? "spec.slots[" + slot + "].name" : "spec.hostNames";
                        problems.add(Violation.error(object, field, "'" + host + "' is already served for " + SpecValidation.describe(other)
                                + " by AppServiceEnvironment " + namespace + "/" + environment.get().getMetadata().getName()));
                    }
                }
            }
        }
        return problems;
    }
}
