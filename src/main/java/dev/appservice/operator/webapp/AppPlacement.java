package dev.appservice.operator.webapp;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.dependent.ReconcileMemo;
import dev.appservice.operator.desired.AppChildren;
import dev.appservice.operator.informer.CacheIndexes;
import dev.appservice.operator.model.EnvironmentMembership;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.validation.SpecValidation;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;

/**
 * Where an app runs: its plan, placed in its environment's topology with the environment's plans
 * (which decide the plan's instances) and the plan's apps (which decide whether this one is within
 * the density). Built as the plan controller builds it: invalid plans and apps take no part.
 */
public record AppPlacement(EnvironmentTopology topology, IsolatedPlan plan) {
    private static final String KEY = "appservice.dev/app-placement";
    private static final String CHILDREN = "appservice.dev/app-children";

    /** Whether the plan runs the app (it is within the plan's density). */
    public boolean admitted(WebApp app) {
        return topology.isAdmitted(app);
    }

    /**
     * The app's desired children ({@link AppChildren}), built once per reconcile from its placement:
     * each of the app's dependents selects its part. Empty while the app is not placed or its plan
     * does not run it (past the plan's density): such an app has no children, and building the 21
     * Deployments of a maximal app for each reconcile of each waiting app was a fifth of what the
     * operator allocated while 500 of them converged (BENCHMARKS.md, "Bounded memory").
     */
    @SuppressWarnings("unchecked")
    static Optional<AppChildren> children(WebApp app, Context<WebApp> context) {
        return ReconcileMemo.computeIfAbsent(
                context,
                CHILDREN,
                Optional.class,
                () -> from(app, context)
                        .flatMap(p -> p.topology()
                                .runningVersion(app)
                                .map(running -> AppChildren.of(p.topology(), p.plan(), running))));
    }

    /** The children of an app its dependents' preconditions have found placed and run by its plan. */
    static AppChildren placedChildren(WebApp app, Context<WebApp> context) {
        return children(app, context)
                .orElseThrow(() -> new IllegalStateException("the precondition guarantees the app is placed"));
    }

    /** Built once per reconcile: the dependents, their conditions and the status read the same placement. */
    @SuppressWarnings("unchecked")
    static Optional<AppPlacement> from(WebApp app, Context<WebApp> context) {
        return ReconcileMemo.computeIfAbsent(context, KEY, Optional.class, () -> place(app, context));
    }

    private static Optional<AppPlacement> place(WebApp app, Context<WebApp> context) {
        Optional<IsolatedPlan> plan = context.getSecondaryResource(IsolatedPlan.class);
        Optional<AppServiceEnvironment> environment =
                plan.flatMap(p -> context.getSecondaryResource(AppServiceEnvironment.class)
                        .filter(e -> EnvironmentMembership.belongsTo(p, e)));
        if (plan.isEmpty() || environment.isEmpty()) {
            return Optional.empty();
        }
        String namespace = app.getMetadata().getNamespace();
        @SuppressWarnings("unchecked")
        var plans = (InformerEventSource<IsolatedPlan, WebApp>)
                context.eventSourceRetriever().getEventSourceFor(IsolatedPlan.class, WebAppReconciler.PLANS);
        var environmentPlans = plans
                .byIndex(
                        CacheIndexes.PLANS_BY_ENVIRONMENT, CacheIndexes.key(ResourceID.fromResource(environment.get())))
                .stream()
                .filter(SpecValidation::acceptable)
                .toList();
        // The apps of every plan of the environment: host names are claimed environment-wide (HostNameClaims).
        java.util.List<WebApp> apps = new java.util.ArrayList<>(appsOfPlan(app, plan.get(), context));
        environmentPlans.stream()
                .filter(p -> !p.getMetadata()
                        .getName()
                        .equals(plan.get().getMetadata().getName()))
                .forEach(p -> apps.addAll(siblings(context)
                        .byIndex(
                                CacheIndexes.APPS_BY_PLAN,
                                CacheIndexes.key(namespace, p.getMetadata().getName()))));
        EnvironmentTopology topology = new EnvironmentTopology(
                environment.get(),
                environmentPlans,
                apps.stream().filter(SpecValidation::acceptable).toList());
        return topology.planOf(app).map(p -> new AppPlacement(topology, p));
    }

    /**
     * The app being reconciled, as it is reconciled, and its siblings from the sibling watch: never
     * the app in one version and the topology in another (a newer, invalid version of the app
     * itself in the topology would count it out and delete its own objects).
     */
    private static java.util.List<WebApp> appsOfPlan(WebApp app, IsolatedPlan plan, Context<WebApp> context) {
        java.util.List<WebApp> apps = new java.util.ArrayList<>();
        apps.add(app);
        siblings(context)
                .byIndex(
                        CacheIndexes.APPS_BY_PLAN,
                        CacheIndexes.key(
                                app.getMetadata().getNamespace(),
                                plan.getMetadata().getName()))
                .stream()
                .filter(a -> !a.getMetadata().getName().equals(app.getMetadata().getName()))
                .forEach(apps::add);
        return apps;
    }

    /**
     * The apps of the plans, read from the sibling watch: the watch whose events wake an app when
     * a sibling comes or goes, so a reconcile it wakes sees that change (the primary cache may not
     * have it yet, and then nothing would wake the app again).
     */
    @SuppressWarnings("unchecked")
    private static InformerEventSource<WebApp, WebApp> siblings(Context<WebApp> context) {
        return (InformerEventSource<WebApp, WebApp>)
                context.eventSourceRetriever().getEventSourceFor(WebApp.class, WebAppReconciler.SIBLINGS);
    }
}
