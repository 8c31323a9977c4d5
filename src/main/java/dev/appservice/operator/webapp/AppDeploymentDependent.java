package dev.appservice.operator.webapp;

import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.dependent.ControlledDependentResource;
import dev.appservice.operator.desired.AppChildren;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** The Deployment that runs one app on every instance of its plan; owned by the app. */
@KubernetesDependent(
        informer =
                @Informer(
                        itemStore = SharingItemStore.class,
                        name = WebAppReconciler.APP_DEPLOYMENT,
                        labelSelector = StandardLabels.APP_OWN_WORKLOADS_SELECTOR))
public class AppDeploymentDependent extends ControlledDependentResource<Deployment, WebApp> {

    public AppDeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(WebApp app, Context<WebApp> context) {
        return AppPlacement.children(app, context)
                .map(AppChildren::deployment)
                .orElseThrow(() -> new IllegalStateException("the precondition guarantees the app is placed"));
    }

    @Override
    protected ResourceID targetSecondaryResourceID(WebApp app, Context<WebApp> context) {
        return new ResourceID(
                ResourceNames.appWorkload(app.getMetadata().getName()),
                app.getMetadata().getNamespace());
    }
}
