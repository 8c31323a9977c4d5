package dev.appservice.operator.plan;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The plan's environment exists and the plan has apps: its workers need a Service. */
public class HasApps implements Condition<Service, IsolatedPlan> {
    @Override
    public boolean isMet(DependentResource<Service, IsolatedPlan> dependent, IsolatedPlan plan, Context<IsolatedPlan> context) {
        return context.getSecondaryResource(AppServiceEnvironment.class).isPresent()
                && !context.getSecondaryResources(WebApp.class).isEmpty();
    }
}
