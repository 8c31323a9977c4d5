package dev.appservice.operator.webapp;

import dev.appservice.operator.desired.AppChildren;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The Deployments that run the app's deployment slots (see {@link SlotWorkloadDependent}). */
@KubernetesDependent(
        informer =
                @Informer(
                        itemStore = SharingItemStore.class,
                        name = WebAppReconciler.SLOT_DEPLOYMENTS,
                        labelSelector = StandardLabels.SLOT_WORKLOADS_SELECTOR))
public class SlotDeploymentDependent extends SlotWorkloadDependent<Deployment> {

    public SlotDeploymentDependent() {
        super(Deployment.class, AppChildren::slotDeployments);
    }
}
