package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.dependent.ControlledChildrenDependent;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** V1: one placeholder Deployment per worker pool, holding the pool's free workers. None for V2. */
@KubernetesDependent(
        informer =
                @Informer(
                        itemStore = SharingItemStore.class,
                        labelSelector = StandardLabels.MANAGED_SELECTOR + "," + StandardLabels.ROLE + "="
                                + StandardLabels.ROLE_WORKER_POOL))
public class WorkerPoolDependent extends ControlledChildrenDependent<Deployment, AppServiceEnvironment> {

    /** Read from its own informer, which holds only the pools' Deployments (not the front ends'). */
    public WorkerPoolDependent() {
        super(
                Deployment.class,
                (environment, context) -> MemoisedChildren.of(context).workerPools());
    }
}
