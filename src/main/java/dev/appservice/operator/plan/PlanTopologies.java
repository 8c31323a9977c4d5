package dev.appservice.operator.plan;

import dev.appservice.operator.validation.SpecValidation;
import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.informer.CacheIndexes;
import dev.appservice.operator.model.EnvironmentTopology;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Optional;

/**
 * Builds the topology a plan lives in: its environment (from the environment informer) and every
 * plan of that environment (from the plan controller's own cache, by index), since a plan's share of the
 * environment depends on the plans admitted before it, and the plan's own apps.
 */
final class PlanTopologies {
    private PlanTopologies() {
    }

    private static final String TOPOLOGY = "appservice.dev/plan-topology";
    private static final String MIGRATION = "appservice.dev/legacy-migration";

    /** The step of the move from the old layout, decided once per reconcile (before the dependents run). */
    static void rememberMigration(Context<IsolatedPlan> context, LegacyWorkers.Migration migration) {
        context.managedWorkflowAndDependentResourceContext().put(MIGRATION, migration);
    }

    static LegacyWorkers.Migration migration(Context<IsolatedPlan> context) {
        return context.managedWorkflowAndDependentResourceContext().get(MIGRATION, LegacyWorkers.Migration.class)
                .orElse(LegacyWorkers.Migration.NONE);
    }

    /** Built once per reconcile: the two dependents and the status read the same topology. */
    static Optional<EnvironmentTopology> from(IsolatedPlan plan, Context<IsolatedPlan> context) {
        var memo = context.managedWorkflowAndDependentResourceContext();
        Optional<EnvironmentTopology> known = memo.get(TOPOLOGY, EnvironmentTopology.class);
        if (known.isPresent()) {
            return known;
        }
        Optional<EnvironmentTopology> topology = context.getSecondaryResource(AppServiceEnvironment.class)
                .map(environment -> new EnvironmentTopology(environment,
                        // Plans and apps with invalid specs (past a bypassed webhook) take no part: they report it themselves.
                        context.getPrimaryCache().byIndex(CacheIndexes.PLANS_BY_ENVIRONMENT,
                                CacheIndexes.key(plan.getMetadata().getNamespace(), environment.getMetadata().getName()))
                                .stream().filter(SpecValidation::acceptable).toList(),
                        context.getSecondaryResources(WebApp.class).stream().filter(SpecValidation::acceptable).toList()));
        topology.ifPresent(t -> memo.put(TOPOLOGY, t));
        return topology;
    }
}
