package dev.appservice.operator.plan;

import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.dependent.ControlledDependentResource;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The {@code <plan>-workers} Service of the layout before per-app workers (one port per app). It is
 * never created any more: while a plan is moved (see {@link LegacyWorkers}) it is left exactly as it
 * is ({@link LegacyServiceServes}), then deleted.
 */
@KubernetesDependent(
        informer = @Informer(itemStore = SharingItemStore.class, labelSelector = StandardLabels.PLAN_WORKERS_SELECTOR))
public class WorkerServiceDependent extends ControlledDependentResource<Service, IsolatedPlan> {

    public WorkerServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(IsolatedPlan plan, Context<IsolatedPlan> context) {
        return getSecondaryResource(plan, context)
                .map(actual -> new ServiceBuilder(actual).build())
                .orElseThrow(() -> new IllegalStateException("the precondition guarantees the old Service exists"));
    }

    @Override
    protected ResourceID targetSecondaryResourceID(IsolatedPlan plan, Context<IsolatedPlan> context) {
        return new ResourceID(
                ResourceNames.workerService(plan.getMetadata().getName()),
                plan.getMetadata().getNamespace());
    }
}
