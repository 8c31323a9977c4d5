package dev.appservice.operator.plan;

import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.dependent.ControlledDependentResource;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * A plan's {@code <plan>-workers} Deployment: the placeholder holding the plan's capacity beside its
 * apps' own Deployments.
 */
@KubernetesDependent(
        informer = @Informer(itemStore = SharingItemStore.class, labelSelector = StandardLabels.PLAN_WORKERS_SELECTOR))
public class WorkerDeploymentDependent extends ControlledDependentResource<Deployment, IsolatedPlan> {

    public WorkerDeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(IsolatedPlan plan, Context<IsolatedPlan> context) {
        return MemoisedPlanChildren.of(context)
                .workers()
                .orElseThrow(() -> new IllegalStateException(
                        "WorkersWantedCondition holds: the plan's children have the Deployment"));
    }

    /** The Deployment's identity does not depend on the environment, so it can be found (and deleted) without it. */
    @Override
    protected ResourceID targetSecondaryResourceID(IsolatedPlan plan, Context<IsolatedPlan> context) {
        return new ResourceID(
                ResourceNames.workerDeployment(plan.getMetadata().getName()),
                plan.getMetadata().getNamespace());
    }
}
