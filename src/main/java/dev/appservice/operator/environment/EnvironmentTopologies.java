package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.model.EnvironmentTopology;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** Builds an environment's topology from the reconcile context (its plans come from an informer). */
final class EnvironmentTopologies {
    private EnvironmentTopologies() {
    }

    static EnvironmentTopology from(AppServiceEnvironment environment, Context<AppServiceEnvironment> context) {
        return new EnvironmentTopology(environment, context.getSecondaryResources(IsolatedPlan.class));
    }
}
