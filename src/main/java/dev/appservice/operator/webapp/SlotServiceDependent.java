package dev.appservice.operator.webapp;

import dev.appservice.operator.desired.AppChildren;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The Services through which the front ends reach the app's deployment slots (see {@link SlotWorkloadDependent}). */
@KubernetesDependent(
        informer =
                @Informer(
                        itemStore = SharingItemStore.class,
                        name = WebAppReconciler.SLOT_SERVICES,
                        labelSelector = StandardLabels.SLOT_WORKLOADS_SELECTOR))
public class SlotServiceDependent extends SlotWorkloadDependent<Service> {

    public SlotServiceDependent() {
        super(Service.class, AppChildren::slotServices);
    }
}
