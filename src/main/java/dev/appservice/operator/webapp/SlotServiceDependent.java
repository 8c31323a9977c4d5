package dev.appservice.operator.webapp;

import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.dependent.ControlledChildrenDependent;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The Services through which the front ends reach the app's deployment slots: one per slot of the spec, owned by the app, as
 * {@link dev.appservice.operator.desired.AppChildren} has them; a slot removed from the spec loses
 * its own. Built from the spec alone ({@link dev.appservice.operator.desired.SlotWorkloads}), so a
 * swap writes none of them.
 */
@KubernetesDependent(
        informer =
                @Informer(
                        itemStore = SharingItemStore.class,
                        name = WebAppReconciler.SLOT_SERVICES,
                        labelSelector = StandardLabels.SLOT_WORKLOADS_SELECTOR))
public class SlotServiceDependent extends ControlledChildrenDependent<Service, WebApp> {

    public SlotServiceDependent() {
        super(
                Service.class,
                (app, context) -> AppPlacement.placedChildren(app, context).slotServices());
    }
}
