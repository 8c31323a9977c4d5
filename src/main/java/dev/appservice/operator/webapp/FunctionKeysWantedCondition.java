package dev.appservice.operator.webapp;

import dev.appservice.operator.api.WebApp;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** A function app its plan runs has its keys Secret; an app that is not a function app has none. */
public class FunctionKeysWantedCondition implements Condition<Secret, WebApp> {
    @Override
    public boolean isMet(DependentResource<Secret, WebApp> dependent, WebApp app, Context<WebApp> context) {
        return AppPlacement.children(app, context)
                .map(children -> children.functionKeys().isPresent())
                .orElse(false);
    }
}
