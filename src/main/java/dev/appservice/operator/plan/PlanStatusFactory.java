package dev.appservice.operator.plan;

import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.IsolatedPlanStatus;
import dev.appservice.operator.model.EnvironmentMembership;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Computes a plan's status from its topology (if its environment exists) and its worker Deployment. */
public final class PlanStatusFactory {
    private PlanStatusFactory() {}

    public static IsolatedPlanStatus compute(
            IsolatedPlan plan, Optional<EnvironmentTopology> topology, Optional<Deployment> workers, Instant now) {
        long generation = plan.getMetadata().getGeneration() == null
                ? 0
                : plan.getMetadata().getGeneration();
        String environmentName = EnvironmentMembership.environmentOf(plan)
                .map(ResourceID::getName)
                .orElse(null);
        String environmentRef = EnvironmentMembership.describeEnvironmentOf(plan);
        IsolatedPlanStatus status = new IsolatedPlanStatus();
        status.setObservedGeneration(generation);
        status.setSelector(StandardLabels.selectorString(StandardLabels.workerSelector(
                environmentName, plan.getMetadata().getName())));

        int requested = plan.getSpec().effectiveInstances();
        int granted = topology.map(t -> t.grantedInstances(plan)).orElse(0);
        // The plan's own instances are its placeholder's pods (its apps report their own); when the apps take
        // every instance whole, the placeholder runs no pod and holds nothing that could be unready.
        boolean holdsNothing = workers.map(d -> d.getSpec() != null
                        && Integer.valueOf(0).equals(d.getSpec().getReplicas()))
                .orElse(false);
        int ready = holdsNothing
                ? granted
                : workers.map(d -> d.getStatus() == null || d.getStatus().getReadyReplicas() == null
                                ? 0
                                : d.getStatus().getReadyReplicas())
                        .orElse(0);
        status.setInstances(granted);
        status.setReadyInstances(Math.min(ready, granted));

        Conditions.Desired readyCondition;
        if (topology.isEmpty()) {
            readyCondition = new Conditions.Desired(
                    Conditions.READY,
                    false,
                    "EnvironmentNotFound",
                    environmentRef + " does not exist; the plan's workers are created once it does");
        } else if (topology.get().isV1()
                && topology.get().pool(plan.getSpec().getWorkerPool()).isEmpty()) {
            readyCondition = new Conditions.Desired(
                    Conditions.READY,
                    false,
                    "WorkerPoolNotFound",
                    "spec.workerPool "
                            + (plan.getSpec().getWorkerPool() == null
                                    ? "is not set"
                                    : "'" + plan.getSpec().getWorkerPool() + "' is not a worker pool")
                            + " of V1 " + environmentRef);
        } else if (granted < requested) {
            EnvironmentTopology t = topology.get();
            String where = t.isV1()
                    ? "worker pool '" + plan.getSpec().getWorkerPool() + "' of " + environmentRef + " has room for "
                            + granted
                    : environmentRef + " has room for " + granted + " (limit " + t.instanceLimit() + " instances, "
                            + (t.planInstances() - granted) + " used by plans admitted earlier)";
            readyCondition = new Conditions.Desired(
                    Conditions.READY,
                    false,
                    "EnvironmentCapacityExceeded",
                    "spec.instances " + requested + " does not fit: " + where + "; running " + granted);
        } else if (ready < granted || !rolledOut(workers)) {
            readyCondition = new Conditions.Desired(
                    Conditions.READY, false, "WorkersNotReady", ready + " of " + granted + " worker instances ready");
        } else {
            readyCondition = new Conditions.Desired(
                    Conditions.READY, true, "WorkersReady", "All " + granted + " worker instances are ready");
        }
        status.setConditions(Conditions.merge(
                plan.getStatus() == null ? null : plan.getStatus().getConditions(),
                List.of(readyCondition),
                generation,
                now));
        return status;
    }

    private static boolean rolledOut(Optional<Deployment> workers) {
        return workers.map(d -> d.getStatus() != null
                        && d.getStatus().getObservedGeneration() != null
                        && d.getStatus().getObservedGeneration()
                                >= d.getMetadata().getGeneration())
                .orElse(false);
    }
}
