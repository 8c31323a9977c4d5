package dev.appservice.operator.plan;

import dev.appservice.operator.api.IsolatedPlan;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** A plan's placeholder Deployment exists only while its {@link dev.appservice.operator.desired.PlanChildren} has one (while its environment exists). */
public class WorkersWantedCondition implements Condition<Deployment, IsolatedPlan> {
    @Override
    public boolean isMet(
            DependentResource<Deployment, IsolatedPlan> dependentResource,
            IsolatedPlan plan,
            Context<IsolatedPlan> context) {
        return MemoisedPlanChildren.of(context).workers().isPresent();
    }
}
