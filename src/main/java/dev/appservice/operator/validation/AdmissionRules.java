package dev.appservice.operator.validation;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.CapacityLimits;
import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WorkerPool;
import dev.appservice.operator.config.NetworkSettings;
import dev.appservice.operator.model.AppDensity;
import dev.appservice.operator.model.AppDeployments;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.Quoted;
import dev.appservice.operator.network.NsgCompiler;
import dev.appservice.operator.network.SubnetClaims;
import dev.appservice.operator.presence.CertManagerPresence;
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
    private AdmissionRules() {}

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

    static List<Violation> checkEnvironment(
            AppServiceEnvironment ase,
            AppServiceEnvironment previous,
            ClusterView view,
            NetworkSettings networkSettings) {
        List<Violation> problems = new ArrayList<>(SpecValidation.validate(ase));
        if (problems.stream().anyMatch(v -> !v.warning())) {
            return problems;
        }
        String object = SpecValidation.describe(ase);
        // Before the expensive work (the NSG's compilation): a review's cost is bounded.
        List<Violation> overBudget =
                NetworkSecurityGroupBudget.check(object, ase.getSpec().getNetworkSecurityGroup());
        if (!overBudget.isEmpty()) {
            problems.addAll(overBudget);
            return problems;
        }
        String namespace = ase.getMetadata().getNamespace();
        if (previous != null
                && previous.getSpec() != null
                && previous.getSpec().effectiveVersion() != ase.getSpec().effectiveVersion()) {
            problems.add(Violation.error(
                    object,
                    "spec.version",
                    "is immutable (" + previous.getSpec().effectiveVersion() + " → "
                            + ase.getSpec().effectiveVersion() + "): create a new environment and move the plans"));
        }
        List<IsolatedPlan> plans = view.plansOf(ase);
        EnvironmentTopology topology = new EnvironmentTopology(ase, plans);
        if (topology.isV1()) {
            int hosts = topology.instancesUsed();
            if (hosts > CapacityLimits.V1_HOSTS) {
                problems.add(Violation.error(
                        object,
                        "spec",
                        topology.frontEndCount() + " front ends + "
                                + (hosts - topology.frontEndCount()) + " workers in pools = " + hosts + " hosts (limit "
                                + CapacityLimits.V1_HOSTS + " for a V1 environment)"));
            }
            List<WorkerPool> pools = ase.getSpec().effectiveWorkerPools();
            for (int i = 0; i < pools.size(); i++) {
                WorkerPool pool = pools.get(i);
                int used = topology.plans().stream()
                        .filter(p -> pool.getName().equals(p.getSpec().getWorkerPool()))
                        .mapToInt(p -> p.getSpec().effectiveInstances())
                        .sum();
                int count = pool.effectiveCount();
                if (count < used) {
                    problems.add(Violation.error(
                            object,
                            "spec.workerPools[" + i + "].count",
                            count + " is below the " + used + " workers plans use in pool '" + pool.getName()
                                    + "': scale those plans in first"));
                }
            }
            for (IsolatedPlan plan : plans) {
                if (plan.getSpec().getWorkerPool() != null
                        && topology.pool(plan.getSpec().getWorkerPool()).isEmpty()) {
                    problems.add(Violation.error(
                            object,
                            "spec.workerPools",
                            "no longer has pool '" + plan.getSpec().getWorkerPool() + "', which "
                                    + SpecValidation.describe(plan) + " uses"));
                }
            }
        } else {
            int used = topology.requestedInstances();
            int limit = topology.instanceLimit();
            if (used > limit) {
                problems.add(Violation.error(
                        object,
                        "spec.maxInstances",
                        limit + " is below the " + used + " instances its " + plans.size() + " plan"
                                + (plans.size() == 1 ? "" : "s") + " use: scale them in first"));
            }
        }
        PublicExposure.warning(object, ase.getSpec()).ifPresent(problems::add);
        PodSecurityRules.checkEnvironment(object, ase, previous, view, plans, problems);
        problems.addAll(subnetOverlaps(ase, previous, view));
        OutboundRules.checkAgainst(object, ase, view.environments(), problems);
        // One pass of the compiler, building nothing: what the rules mean, and whether the policies fit the API server.
        NsgCompiler.Result network = NsgCompiler.assess(
                topology, networkSettings, dev.appservice.operator.network.FixedOutbound.of(view.environments(), ase));
        network.findings()
                .forEach(f -> problems.add(Violation.warning(object, "spec.networkSecurityGroup", f.message())));
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
        boolean moved = previous == null
                || previous.getSpec() == null
                || previous.getSpec().getVirtualNetwork() == null
                || !Objects.equals(previous.getSpec().getVirtualNetwork().getName(), vnet.getName())
                || !Objects.equals(previous.getSpec().getVirtualNetwork().getSubnet(), vnet.getSubnet());
        List<Violation> problems = new ArrayList<>();
        for (AppServiceEnvironment other :
                SubnetClaims.overlapping(ase, view.environmentsInVirtualNetwork(vnet.getName()))) {
            String message = SubnetClaims.describeOverlap(ase, other);
            problems.add(
                    moved
                            ? Violation.error(object, "spec.virtualNetwork.subnet", message)
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
        if (previous != null
                && previous.getSpec() != null
                && !Objects.equals(previous.getSpec().getEnvironmentName(), environmentName)) {
            problems.add(Violation.error(
                    object,
                    "spec.environmentName",
                    "is immutable ('" + previous.getSpec().getEnvironmentName() + "' → '" + environmentName
                            + "'): create a new plan in the other environment"));
            return problems;
        }
        HostingKindRules.checkPlanChange(object, plan, previous, problems);
        if (problems.stream().anyMatch(v -> !v.warning())) {
            return problems;
        }
        Optional<AppServiceEnvironment> found = view.environmentOf(plan);
        if (found.isEmpty()) {
            problems.add(Violation.warning(
                    object,
                    "spec.environmentName",
                    "AppServiceEnvironment " + namespace + "/" + environmentName
                            + " does not exist yet; the plan waits for it (EnvironmentNotFound)"));
            return problems;
        }
        AppServiceEnvironment ase = found.get();
        String environment = "AppServiceEnvironment " + namespace + "/" + environmentName;
        int instances = plan.getSpec().effectiveInstances();
        int before = previous == null || previous.getSpec() == null
                ? 0
                : previous.getSpec().effectiveInstances();
        boolean growing = instances > before;
        List<IsolatedPlan> others = view.plansOf(ase).stream()
                .filter(p ->
                        !p.getMetadata().getName().equals(plan.getMetadata().getName()))
                .toList();
        // A smaller size would leave running apps or slots without room (capacity given is kept).
        CapacityRules.planShrink(
                object,
                plan,
                previous,
                ase,
                view.appsOfPlan(namespace, plan.getMetadata().getName()).stream()
                        .filter(a -> a.getMetadata().getDeletionTimestamp() == null)
                        .filter(SpecValidation::acceptable)
                        .toList(),
                problems);
        // The other plans of the environment as the reconcilers see them (plans being deleted take nothing).
        EnvironmentTopology beside = new EnvironmentTopology(ase, others);
        if (beside.isV1()) {
            String poolName = plan.getSpec().getWorkerPool();
            if (poolName == null) {
                problems.add(Violation.error(
                        object,
                        "spec.workerPool",
                        "is required: " + environment + " is V1, so the plan runs in one of its worker pools ("
                                + String.join(
                                        ", ",
                                        ase.getSpec().effectiveWorkerPools().stream()
                                                .map(WorkerPool::getName)
                                                .toList())
                                + ")"));
                return problems;
            }
            Optional<WorkerPool> pool = ase.getSpec().effectiveWorkerPools().stream()
                    .filter(p -> p.getName().equals(poolName))
                    .findFirst();
            if (pool.isEmpty()) {
                problems.add(Violation.error(
                        object,
                        "spec.workerPool",
                        "'" + poolName + "' is not a worker pool of " + environment + " (pools: "
                                + String.join(
                                        ", ",
                                        ase.getSpec().effectiveWorkerPools().stream()
                                                .map(WorkerPool::getName)
                                                .toList())
                                + ")"));
                return problems;
            }
            int free = beside.unrequestedInstances(poolName);
            if (growing && instances > free) {
                problems.add(Violation.error(
                        object,
                        "spec.instances",
                        instances + ": scale out worker pool '" + poolName + "' of " + environment + " first: it has "
                                + free + " free worker" + (free == 1 ? "" : "s") + ", the plan asks for " + instances));
            }
        } else {
            if (plan.getSpec().getWorkerPool() != null) {
                problems.add(Violation.error(
                        object, "spec.workerPool", "is for V1 environments only: " + environment + " is V2"));
            }
            int limit = beside.instanceLimit();
            int used = beside.requestedInstances();
            if (growing && used + instances > limit) {
                int count = beside.plans().size();
                problems.add(Violation.error(
                        object,
                        "spec.instances",
                        instances + " would bring " + environment + " to " + (used + instances) + " instances (limit "
                                + limit + "; " + used + " used by " + count + " other plan" + (count == 1 ? "" : "s")
                                + ")"));
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
        if (previous != null
                && previous.getSpec() != null
                && !Objects.equals(previous.getSpec().getPlanName(), planName)) {
            problems.add(Violation.error(
                    object,
                    "spec.planName",
                    "is immutable ('" + previous.getSpec().getPlanName() + "' → '" + planName
                            + "'): create the app again on the other plan"));
            return problems;
        }
        HostingKindRules.checkAppChange(object, app, previous, problems);
        if (app.getSpec().issuerRef() != null
                && view.certManagerInstalled().filter(installed -> !installed).isPresent()) {
            problems.add(Violation.error(object, "spec.tls.issuerRef", CertManagerPresence.NOT_INSTALLED));
        }
        // Only what this app's plan and host names touch is read (indexed in validate), so admitting n apps costs O(n).
        List<WebApp> siblings = view.appsOfPlan(namespace, planName).stream()
                .filter(a -> !a.getMetadata().getName().equals(name) && a.getSpec() != null)
                .toList();
        Optional<IsolatedPlan> plan = view.plan(namespace, planName);
        if (plan.isEmpty()) {
            problems.add(Violation.warning(
                    object,
                    "spec.planName",
                    "IsolatedPlan " + namespace + "/" + planName
                            + " does not exist yet; the app waits for it (PlanNotFound)"));
            return problems;
        }
        // A Linux-only setting on a Windows plan: the API server would refuse the app's pods.
        PodSecurityRules.checkOnWindows(object, app, plan.get(), problems);
        Optional<AppServiceEnvironment> environment = view.environmentOf(plan.get());
        if (environment.isPresent()) {
            EnvironmentTopology topology = new EnvironmentTopology(environment.get(), List.of(plan.get()));
            List<WebApp> runningSiblings = siblings.stream()
                    .filter(a -> a.getMetadata().getDeletionTimestamp() == null)
                    .filter(SpecValidation::acceptable)
                    .toList();
            // A uid 0 at the Restricted level: the kubelet would not start the container.
            if (plan.get().getSpec().effectiveOs() == dev.appservice.operator.api.OperatingSystem.Linux) {
                PodSecurityRules.checkApp(object, app, environment.get(), problems);
            }
            // An update that would take room a running app or slot holds is refused (capacity given is kept).
            CapacityRules.appGrowth(object, app, previous, environment.get(), plan.get(), runningSiblings, problems);
            // A new app is placed as the operator and render place it (EnvironmentTopology, one decision): the plan's
            // room goes in admission order, what running apps hold kept. With no room, it is admitted but will not run.
            int density = AppDensity.appsPerInstance(topology.workerSize(plan.get()));
            int asked = EnvironmentTopology.deploymentsOf(app);
            boolean grows = previous == null;
            List<WebApp> withApp = new ArrayList<>(runningSiblings);
            withApp.add(app);
            EnvironmentTopology placed = new EnvironmentTopology(environment.get(), List.of(plan.get()), withApp);
            int running = placed.admittedDeployments(plan.get());
            if (grows && !placed.isAdmitted(app)) {
                problems.add(
                        Violation.warning(
                                object,
                                "spec.planName",
                                "IsolatedPlan " + namespace + "/" + planName + " runs at most " + density
                                        + " apps on its " + topology.workerSize(plan.get())
                                        + " instances and already has " + running
                                        + (asked > 1
                                                ? " (each deployment slot counts as an app: this app and its slots are "
                                                        + asked + ")"
                                                : "")
                                        + "; this app will not run (PlanCapacityExceeded) until one goes or the plan is scaled up to a larger size"));
            }
            String environmentName = environment.get().getMetadata().getName();
            String dnsSuffix = environment.get().getSpec().effectiveDnsSuffix(environmentName);
            List<String> hosts = app.getSpec().effectiveHostNames();
            for (int i = 0; i < hosts.size(); i++) {
                String host = hosts.get(i);
                HostNameRules.checkInEnvironment(object, "spec.hostNames[" + i + "]", host, dnsSuffix, problems);
                for (WebApp other : view.appsWithHostName(namespace, environmentName, host)) {
                    if (!other.getMetadata().getName().equals(name)) {
                        problems.add(
                                Violation.error(
                                        object,
                                        "spec.hostNames[" + i + "]",
                                        Quoted.of(host) + " is already served for "
                                                + SpecValidation.describe(other) + " by AppServiceEnvironment "
                                                + namespace + "/" + environmentName
                                                + " (host names are unique in an environment; the app created first keeps one)"));
                    }
                }
            }
            // A slot's host name <app>-<slot>.<dnsSuffix> is another app's default name when that app is called
            // <app>-<slot>,
            // and this app's default name is the slot host of an app <a> with a slot <s> when it is called <a>-<s>.
            EnvironmentTopology own = new EnvironmentTopology(environment.get(), List.of(plan.get()), List.of(app));
            List<DeploymentSlot> slots = app.getSpec().effectiveSlots();
            SlotRules.hostProblems(object, own, app, problems);
            // One app cannot jam its environment: its share of the front ends' configuration, by the operator's
            // generator.
            FrontEndShareRules.check(object, own, plan.get(), app, problems);
            for (int i = 0; i < slots.size(); i++) {
                String taken = name + "-" + slots.get(i).getName();
                Optional<WebApp> other = view.app(namespace, taken);
                if (other.isPresent() && view.inEnvironment(other.get(), environmentName)) {
                    problems.add(Violation.error(
                            object,
                            "spec.slots[" + i + "].name",
                            Quoted.of(AppDeployments.slotHost(name, slots.get(i).getName(), dnsSuffix))
                                    + " is the default host name of " + SpecValidation.describe(other.get())
                                    + " in AppServiceEnvironment " + namespace + "/" + environmentName));
                }
            }
            for (int dash = name.indexOf('-'); dash > 0; dash = name.indexOf('-', dash + 1)) {
                String slot = name.substring(dash + 1);
                Optional<WebApp> owner = view.app(namespace, name.substring(0, dash));
                if (owner.isPresent()
                        && owner.get().getSpec() != null
                        && AppDeployments.slot(owner.get(), slot).isPresent()
                        && view.inEnvironment(owner.get(), environmentName)) {
                    problems.add(Violation.error(
                            object,
                            "metadata.name",
                            "makes the default host name " + Quoted.of(name + "." + dnsSuffix)
                                    + ", which is the host name of slot '" + slot + "' of "
                                    + SpecValidation.describe(owner.get())));
                }
            }
        }
        return problems;
    }
}
