package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.dependent.ControlledDependentResource;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/** V1: one placeholder Deployment per worker pool, holding the pool's free workers. None for V2. */
@KubernetesDependent(
        informer =
                @Informer(
                        itemStore = SharingItemStore.class,
                        labelSelector = StandardLabels.MANAGED_SELECTOR + "," + StandardLabels.ROLE + "="
                                + StandardLabels.ROLE_WORKER_POOL))
public class WorkerPoolDependent extends ControlledDependentResource<Deployment, AppServiceEnvironment>
        implements CRUDKubernetesBulkDependentResource<Deployment, AppServiceEnvironment>,
                KubernetesBulkDependentResource<Deployment, AppServiceEnvironment> {

    public WorkerPoolDependent() {
        super(Deployment.class);
    }

    /**
     * Only the pools' Deployments are this dependent's: JOSDK's default reads every Deployment
     * related to the environment (the front ends too) and would delete what is not desired here.
     */
    @Override
    public Predicate<Deployment> secondaryResourceFilter(
            AppServiceEnvironment primary, Context<AppServiceEnvironment> context) {
        return d -> d.getMetadata().getLabels() != null
                && StandardLabels.ROLE_WORKER_POOL.equals(
                        d.getMetadata().getLabels().get(StandardLabels.ROLE));
    }

    @Override
    public Map<ResourceID, Deployment> desiredResources(
            AppServiceEnvironment primary, Context<AppServiceEnvironment> context) {
        Map<ResourceID, Deployment> desired = new LinkedHashMap<>();
        for (Deployment d : MemoisedChildren.of(context).workerPools()) {
            desired.put(ResourceID.fromResource(d), d);
        }
        return desired;
    }
}
