package dev.appservice.operator.plan;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** A plan's workers exist only while its environment does. */
public class EnvironmentExists implements Condition<Deployment, IsolatedPlan> {
    @Override
    public boolean isMet(DependentResource<Deployment, IsolatedPlan> dependentResource, IsolatedPlan plan, Context<IsolatedPlan> context) {
        return context.getSecondaryResource(AppServiceEnvironment.class).isPresent();
    }
}
