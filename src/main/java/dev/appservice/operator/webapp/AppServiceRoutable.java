package dev.appservice.operator.webapp;

import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.desired.InstanceDeployment;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The app's own Service exists while the app runs. While its plan still has the old layout's
 * {@code <plan>-workers} Service (which the front ends use when the app has no Service of its own),
 * it is created only once the app's own Deployment is ready, so the front ends switch to it only
 * when it can serve; without the old Service, at once.
 */
public class AppServiceRoutable implements Condition<Service, WebApp> {
    @Override
    public boolean isMet(DependentResource<Service, WebApp> dependent, WebApp app, Context<WebApp> context) {
        if (!AppPlacement.from(app, context).map(p -> p.admitted(app)).orElse(false)) {
            return false;
        }
        if (dependent.getSecondaryResource(app, context).isPresent()
                || context.getSecondaryResource(Service.class, WebAppReconciler.LEGACY_SERVICES)
                        .isEmpty()) {
            return true;
        }
        return context.getSecondaryResource(Deployment.class, WebAppReconciler.APP_DEPLOYMENT)
                .filter(InstanceDeployment::readyAtGeneration)
                .isPresent();
    }
}
