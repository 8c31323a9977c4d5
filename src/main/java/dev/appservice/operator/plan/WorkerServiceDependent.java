package dev.appservice.operator.plan;

import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.dependent.ControlledDependentResource;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** The Service in front of a plan's workers, one port per app; present while the plan has apps. */
@KubernetesDependent(informer = @Informer(labelSelector = StandardLabels.MANAGED_SELECTOR + "," + StandardLabels.ROLE + "="
        + StandardLabels.ROLE_WORKER))
public class WorkerServiceDependent extends ControlledDependentResource<Service, IsolatedPlan> {

    public WorkerServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(IsolatedPlan plan, Context<IsolatedPlan> context) {
        return PlanTopologies.from(plan, context)
                .map(topology -> Workers.service(topology, plan))
                .orElseThrow(() -> new IllegalStateException("the precondition guarantees the environment exists"));
    }

    @Override
    protected ResourceID targetSecondaryResourceID(IsolatedPlan plan, Context<IsolatedPlan> context) {
        return new ResourceID(ResourceNames.workerService(plan.getMetadata().getName()), plan.getMetadata().getNamespace());
    }
}
