package dev.appservice.operator.webapp;

import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.dependent.ControlledDependentResource;
import dev.appservice.operator.desired.AppChildren;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** The Service through which the front ends reach one app (selecting only its pods); owned by the app. */
@KubernetesDependent(
        informer =
                @Informer(
                        itemStore = SharingItemStore.class,
                        labelSelector = StandardLabels.APP_OWN_WORKLOADS_SELECTOR))
public class AppServiceDependent extends ControlledDependentResource<Service, WebApp> {

    public AppServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(WebApp app, Context<WebApp> context) {
        return AppPlacement.children(app, context)
                .map(AppChildren::service)
                .orElseThrow(() -> new IllegalStateException("the precondition guarantees the app is placed"));
    }

    @Override
    protected ResourceID targetSecondaryResourceID(WebApp app, Context<WebApp> context) {
        return new ResourceID(
                ResourceNames.appWorkload(app.getMetadata().getName()),
                app.getMetadata().getNamespace());
    }
}
