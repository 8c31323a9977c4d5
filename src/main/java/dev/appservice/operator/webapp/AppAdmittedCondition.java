package dev.appservice.operator.webapp;

import dev.appservice.operator.api.WebApp;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The app's plan and environment exist and the plan runs the app (within its density); otherwise
 * the object this guards (its Deployment, Service, disruption budget or peers policy) is deleted.
 */
public class AppAdmittedCondition implements Condition<Deployment, WebApp> {
    @Override
    public boolean isMet(DependentResource<Deployment, WebApp> dependent, WebApp app, Context<WebApp> context) {
        return AppPlacement.from(app, context).map(p -> p.admitted(app)).orElse(false);
    }
}
