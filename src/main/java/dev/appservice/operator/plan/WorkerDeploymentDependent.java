package dev.appservice.operator.plan;

import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import dev.appservice.operator.dependent.ControlledDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** A plan's worker Deployment: one pod per instance the plan is granted. */
@KubernetesDependent(informer = @Informer(labelSelector = StandardLabels.MANAGED_SELECTOR + "," + StandardLabels.ROLE + "="
        + StandardLabels.ROLE_WORKER))
public class WorkerDeploymentDependent extends ControlledDependentResource<Deployment, IsolatedPlan> {
    private final OperatorSettings settings = OperatorSettings.fromConfig();

    public WorkerDeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(IsolatedPlan plan, Context<IsolatedPlan> context) {
        return PlanTopologies.from(plan, context)
                .map(topology -> Workers.deployment(topology, plan, settings))
                .orElseThrow(() -> new IllegalStateException("the precondition guarantees the environment exists"));
    }

    /** The Deployment's identity does not depend on the environment, so it can be found (and deleted) without it. */
    @Override
    protected ResourceID targetSecondaryResourceID(IsolatedPlan plan, Context<IsolatedPlan> context) {
        return new ResourceID(ResourceNames.workerDeployment(plan.getMetadata().getName()), plan.getMetadata().getNamespace());
    }
}
