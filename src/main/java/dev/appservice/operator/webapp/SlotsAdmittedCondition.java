package dev.appservice.operator.webapp;

import dev.appservice.operator.api.WebApp;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The app's slots run (the plan runs the app with its slots, within its density); otherwise their Services are deleted too. */
public class SlotsAdmittedCondition implements Condition<Service, WebApp> {
    @Override
    public boolean isMet(DependentResource<Service, WebApp> dependent, WebApp app, Context<WebApp> context) {
        return AppPlacement.from(app, context).map(p -> p.admitted(app)).orElse(false);
    }
}
