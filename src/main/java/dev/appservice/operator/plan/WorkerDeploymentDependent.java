package dev.appservice.operator.plan;

import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.dependent.ControlledDependentResource;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.TreeMap;

/**
 * A plan's {@code <plan>-workers} Deployment: the placeholder holding the plan's capacity beside its
 * apps' own Deployments. While a plan is moved from the old layout (see {@link LegacyWorkers}),
 * the old Deployment is left as it is, but for the start of its drain on its metadata.
 */
@KubernetesDependent(
        informer = @Informer(itemStore = SharingItemStore.class, labelSelector = StandardLabels.PLAN_WORKERS_SELECTOR))
public class WorkerDeploymentDependent extends ControlledDependentResource<Deployment, IsolatedPlan> {

    public WorkerDeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(IsolatedPlan plan, Context<IsolatedPlan> context) {
        LegacyWorkers.Migration migration = MemoisedPlanChildren.migration(context);
        if (migration.keepsLegacy()) {
            var actual = getSecondaryResource(plan, context);
            if (actual.isPresent()) {
                // The status is kept as read: the API server ignores it on an update, and so must the tests' mock
                // server.
                Deployment kept = new DeploymentBuilder(actual.get()).build();
                kept.getMetadata()
                        .setAnnotations(
                                kept.getMetadata().getAnnotations() == null
                                        ? new TreeMap<>()
                                        : new TreeMap<>(kept.getMetadata().getAnnotations()));
                // A drain that must start again is cleared to "" (an update that only drops an annotation is not
                // seen by the matcher, which ignores what the cluster adds).
                if (migration.drainStarted().isPresent()
                        || kept.getMetadata().getAnnotations().containsKey(LegacyWorkers.DRAIN_STARTED_ANNOTATION)) {
                    kept.getMetadata()
                            .getAnnotations()
                            .put(
                                    LegacyWorkers.DRAIN_STARTED_ANNOTATION,
                                    migration
                                            .drainStarted()
                                            .map(Object::toString)
                                            .orElse(""));
                }
                return kept;
            }
        }
        return MemoisedPlanChildren.of(context)
                .workers()
                .orElseThrow(() ->
                        new IllegalStateException("WorkersWanted holds: the plan's children have the Deployment"));
    }

    /** The Deployment's identity does not depend on the environment, so it can be found (and deleted) without it. */
    @Override
    protected ResourceID targetSecondaryResourceID(IsolatedPlan plan, Context<IsolatedPlan> context) {
        return new ResourceID(
                ResourceNames.workerDeployment(plan.getMetadata().getName()),
                plan.getMetadata().getNamespace());
    }
}
