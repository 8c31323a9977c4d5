package dev.appservice.operator.webapp;

import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.dependent.ControlledDependentResource;
import dev.appservice.operator.desired.AppChildren;
import dev.appservice.operator.desired.AppPeers;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The NetworkPolicy through which an app's instances (its own and its slots') reach each other,
 * as {@link AppChildren#peers()} has it; owned by the app.
 */
@KubernetesDependent(
        informer =
                @Informer(
                        itemStore = SharingItemStore.class,
                        labelSelector = StandardLabels.APP_OWN_WORKLOADS_SELECTOR))
public class AppPeersPolicyDependent extends ControlledDependentResource<NetworkPolicy, WebApp> {

    public AppPeersPolicyDependent() {
        super(NetworkPolicy.class);
    }

    @Override
    protected NetworkPolicy desired(WebApp app, Context<WebApp> context) {
        return AppPlacement.children(app, context)
                .map(AppChildren::peers)
                .orElseThrow(() -> new IllegalStateException("the precondition guarantees the app is placed"));
    }

    @Override
    protected ResourceID targetSecondaryResourceID(WebApp app, Context<WebApp> context) {
        return new ResourceID(
                AppPeers.name(app.getMetadata().getName()), app.getMetadata().getNamespace());
    }
}
