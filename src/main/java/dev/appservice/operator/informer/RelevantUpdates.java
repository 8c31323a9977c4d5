package dev.appservice.operator.informer;

import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Which updates of a watched custom resource are worth a reconcile of the resources that depend
 * on it. Every status write is an update event; without these filters one plan's status patch
 * woke its nine siblings, its environment and its apps, each of which then patched its own status
 * and woke the rest again (issue 7: 7,500 plan reconciles for 1,000 plans).
 */
public final class RelevantUpdates {
    private RelevantUpdates() {}

    /**
     * Changes to what the user asked for (the generation moves only with the spec) or the start of
     * a deletion: for watchers that read the spec and never the status.
     */
    public static <R extends HasMetadata> OnUpdateFilter<R> spec() {
        return (updated, previous) -> !Objects.equals(
                        updated.getMetadata().getGeneration(),
                        previous.getMetadata().getGeneration())
                || !Objects.equals(
                        updated.getMetadata().getDeletionTimestamp(),
                        previous.getMetadata().getDeletionTimestamp());
    }

    /**
     * Spec changes, and changes of the instances a plan runs: capacity is shared out by what each
     * plan already runs ({@code status.instances}), so that is read too.
     */
    public static OnUpdateFilter<IsolatedPlan> specOrRunningInstances() {
        OnUpdateFilter<IsolatedPlan> spec = spec();
        return (updated, previous) -> spec.accept(updated, previous)
                || !Objects.equals(runningInstances(updated), runningInstances(previous));
    }

    private static Integer runningInstances(IsolatedPlan plan) {
        return plan.getStatus() == null ? null : plan.getStatus().getInstances();
    }

    /**
     * Spec changes, and changes of the deployment that serves an app's production host names
     * ({@code status.production}, decided by the app's controller when a swapped-in slot is ready):
     * the front ends route by it.
     */
    public static OnUpdateFilter<WebApp> specOrServingDeployment() {
        OnUpdateFilter<WebApp> spec = spec();
        return (updated, previous) -> spec.accept(updated, previous)
                || !Objects.equals(servingDeployment(updated), servingDeployment(previous))
                || !Objects.equals(admittedDeployments(updated), admittedDeployments(previous));
    }

    /** The room an app's plan has given it (EnvironmentTopology keeps it): routing and density follow it. */
    public static OnUpdateFilter<WebApp> specOrAdmittedDeployments() {
        OnUpdateFilter<WebApp> spec = spec();
        return (updated, previous) -> spec.accept(updated, previous)
                || !Objects.equals(admittedDeployments(updated), admittedDeployments(previous));
    }

    private static java.util.List<String> admittedDeployments(WebApp app) {
        return app.getStatus() == null ? null : app.getStatus().getAdmittedDeployments();
    }

    private static String servingDeployment(WebApp app) {
        return app.getStatus() == null ? null : app.getStatus().getProduction();
    }
}
