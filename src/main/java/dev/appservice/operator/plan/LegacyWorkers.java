package dev.appservice.operator.plan;

import dev.appservice.operator.desired.CapacityPlaceholder;
import dev.appservice.operator.desired.InstanceDeployment;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The move from the layout before per-app workers (one {@code <plan>-workers} Deployment whose pods
 * ran a container per app, and a {@code <plan>-workers} Service with a port per app) to per-app
 * Deployments and Services, without a gap in any app's routing:
 * <ol>
 * <li>each app's own Deployment is created at once; its own Service only once that Deployment is
 * ready, so the front ends, which prefer the app's own Service, switch to it only when it serves;</li>
 * <li>the old Deployment and Service are left exactly as they are ({@link Step#SERVE});</li>
 * <li>once every app of the plan has its own ready Deployment and its Service, the start of a drain
 * is recorded on the old Deployment's metadata ({@link #DRAIN_STARTED_ANNOTATION}; not its pod
 * template, so nothing restarts) and the plan is reconciled again when it ends;</li>
 * <li>after the drain period ({@code ase.legacy-drain-period}, {@link dev.appservice.operator.config.OperatorSettings#legacyDrainPeriod()}) the old Service is deleted and {@code <plan>-workers}
 * becomes the plan's placeholder (a rolling update, one pod at a time).</li>
 * </ol>
 * Pure: the reconciler reads the objects, this decides.
 */
public final class LegacyWorkers {
    /** When the drain of the old layout began (an ISO-8601 instant), on the old Deployment's metadata. */
    public static final String DRAIN_STARTED_ANNOTATION = "appservice.dev/legacy-drain-started";

    private LegacyWorkers() {}

    /** What to do with the old layout now. */
    public enum Step {
        /** No old layout: {@code <plan>-workers} is the placeholder, there is no plan Service. */
        NONE,
        /** The old layout still serves (some app has no ready Deployment or Service of its own): leave it. */
        SERVE,
        /** Every app has moved: record the start of the drain on the old Deployment. */
        START_DRAIN,
        /** Draining: leave the old layout until the drain period has passed. */
        DRAIN,
        /** Drained: delete the old Service, turn the old Deployment into the placeholder. */
        RETIRE
    }

    /**
     * The step, the start of the drain to record on the old Deployment (none: no drain, the
     * annotation is removed), and when to look again (when a timer, not an event, decides).
     */
    public record Migration(Step step, Optional<Instant> drainStarted, Optional<Duration> recheckAfter) {
        static final Migration NONE = new Migration(Step.NONE, Optional.empty(), Optional.empty());

        /** Whether the old objects are left as they are. */
        public boolean keepsLegacy() {
            return step == Step.SERVE || step == Step.START_DRAIN || step == Step.DRAIN;
        }
    }

    /** Whether a {@code <plan>-workers} Deployment is of the old layout: its pods run apps, not only the placeholder. */
    public static boolean runsApps(Deployment workers) {
        return workers.getSpec() != null
                && workers.getSpec().getTemplate() != null
                && workers.getSpec().getTemplate().getSpec() != null
                && workers.getSpec().getTemplate().getSpec().getContainers().stream()
                        .anyMatch(c -> !CapacityPlaceholder.CONTAINER_NAME.equals(c.getName()));
    }

    public static Migration decide(
            Optional<Deployment> workers,
            Optional<Service> legacyService,
            boolean everyAppMoved,
            Duration drainPeriod,
            Instant now) {
        boolean legacy = workers.filter(LegacyWorkers::runsApps).isPresent() || legacyService.isPresent();
        if (!legacy) {
            return Migration.NONE;
        }
        Optional<Instant> started = workers.flatMap(LegacyWorkers::drainStarted);
        if (started.isEmpty()) {
            return everyAppMoved
                    ? new Migration(Step.START_DRAIN, Optional.of(now), Optional.of(drainPeriod))
                    : new Migration(Step.SERVE, Optional.empty(), Optional.empty());
        }
        if (!everyAppMoved) {
            // An app appeared, or lost its own Deployment's readiness or its Service, during the drain: the
            // old layout serves on and the drain starts again once every app has moved.
            return new Migration(Step.SERVE, Optional.empty(), Optional.empty());
        }
        Duration remaining = Duration.between(now, started.get().plus(drainPeriod));
        if (!remaining.isNegative() && !remaining.isZero()) {
            return new Migration(Step.DRAIN, started, Optional.of(remaining));
        }
        return new Migration(Step.RETIRE, started, Optional.empty());
    }

    static Optional<Instant> drainStarted(Deployment workers) {
        Map<String, String> annotations = workers.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(DRAIN_STARTED_ANNOTATION);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Whether an app's own Deployment is rolled out and ready at its generation. */
    public static boolean ready(Deployment deployment) {
        return InstanceDeployment.readyAtGeneration(deployment);
    }
}
