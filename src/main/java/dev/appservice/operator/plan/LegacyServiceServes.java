package dev.appservice.operator.plan;

import dev.appservice.operator.api.IsolatedPlan;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The old layout's {@code <plan>-workers} Service exists and is not drained yet: it is kept; otherwise it is deleted. */
public class LegacyServiceServes implements Condition<Service, IsolatedPlan> {
    @Override
    public boolean isMet(
            DependentResource<Service, IsolatedPlan> dependent, IsolatedPlan plan, Context<IsolatedPlan> context) {
        return dependent.getSecondaryResource(plan, context).isPresent()
                && MemoisedPlanChildren.migration(context).keepsLegacy();
    }
}
