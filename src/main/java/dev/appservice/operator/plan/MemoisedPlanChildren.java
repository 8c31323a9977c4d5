package dev.appservice.operator.plan;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.dependent.ReconcileMemo;
import dev.appservice.operator.desired.PlanChildren;
import dev.appservice.operator.informer.CacheIndexes;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.validation.SpecValidation;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;

/**
 * A plan's {@link PlanChildren}, built once per reconcile and kept in the reconcile context, from
 * the topology the plan lives in: its environment (from the environment informer) and every plan
 * of that environment (from the plan controller's own cache, by index), since a plan's share of
 * the environment depends on the plans admitted before it, and the plan's own apps.
 */
final class MemoisedPlanChildren {
    private MemoisedPlanChildren() {}

    private static final String CHILDREN = "appservice.dev/plan-children";

    /** Builds the plan's children of this reconcile (or returns those already built). */
    static PlanChildren build(IsolatedPlan plan, Context<IsolatedPlan> context, OperatorSettings settings) {
        return ReconcileMemo.computeIfAbsent(
                context, CHILDREN, PlanChildren.class, () -> PlanChildren.of(plan, topology(context), settings));
    }

    /** The children the reconciler built for this reconcile: a dependent runs only after it did. */
    static PlanChildren of(Context<IsolatedPlan> context) {
        return ReconcileMemo.required(context, CHILDREN, PlanChildren.class);
    }

    private static Optional<EnvironmentTopology> topology(Context<IsolatedPlan> context) {
        return context.getSecondaryResource(AppServiceEnvironment.class)
                .map(environment -> new EnvironmentTopology(
                        environment,
                        // Plans and apps with invalid specs (past a bypassed webhook) take no part: they report it
                        // themselves.
                        context
                                .getPrimaryCache()
                                .byIndex(
                                        CacheIndexes.PLANS_BY_ENVIRONMENT,
                                        CacheIndexes.key(ResourceID.fromResource(environment)))
                                .stream()
                                .filter(SpecValidation::acceptable)
                                .toList(),
                        context.getSecondaryResources(WebApp.class).stream()
                                .filter(SpecValidation::acceptable)
                                .toList()));
    }
}
