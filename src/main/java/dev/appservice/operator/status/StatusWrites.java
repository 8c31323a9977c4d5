package dev.appservice.operator.status;

import dev.appservice.operator.api.ObservedStatus;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * How every controller writes its status: only when it differs by value (a reconcile that changes
 * nothing writes nothing), with an Event for each condition change a user must know about.
 */
public final class StatusWrites {
    private static final Logger LOG = Logger.getLogger(StatusWrites.class);

    private StatusWrites() {
    }

    /** Patches the computed status when it differs from the stored one. */
    public static <S extends ObservedStatus, P extends CustomResource<?, S>> UpdateControl<P> patchIfChanged(P resource, S status,
            Context<P> context, Instant now) {
        if (StatusComparison.same(resource.getStatus(), status)) {
            return UpdateControl.noUpdate();
        }
        ConditionEvents.post(context, ConditionEvents.between(resource,
                resource.getStatus() == null ? null : resource.getStatus().getConditions(), status.getConditions(), now));
        resource.setStatus(status);
        return UpdateControl.patchStatus(resource);
    }

    /**
     * Ready=False for a resource the operator does not act on as it stands (its spec is invalid, or
     * what it depends on is): the status says why, at the current generation, and the rest of it
     * is kept; children are left as they are. No write when the status already says so.
     */
    public static <S extends ObservedStatus, P extends CustomResource<?, S>> UpdateControl<P> notActedOn(P resource, Supplier<S> emptyStatus,
            String reason, String message, Context<P> context, Instant now) {
        return withReady(resource, emptyStatus, new Conditions.Desired(Conditions.READY, false, reason, message), true, context, now)
                .map(UpdateControl::patchStatus).orElseGet(UpdateControl::noUpdate);
    }

    /**
     * After a failed reconcile: Ready=False with the reason ({@link Conditions#failure}), keeping the
     * rest of the status; no write when that is already what the status says.
     */
    public static <S extends ObservedStatus, P extends CustomResource<?, S>> ErrorStatusUpdateControl<P> failed(P resource,
            Supplier<S> emptyStatus, Context<P> context, Exception e, Instant now) {
        LOG.warnf("Reconciling %s %s/%s failed: %s", resource.getKind(), resource.getMetadata().getNamespace(),
                resource.getMetadata().getName(), Conditions.rootMessage(e));
        return withReady(resource, emptyStatus, Conditions.failure(e), false, context, now)
                .map(ErrorStatusUpdateControl::patchStatus).orElseGet(ErrorStatusUpdateControl::noStatusUpdate);
    }

    /**
     * The resource with its Ready condition set as desired and the rest of its status kept (the
     * observed generation moved to the current one if asked), with Events for the change; empty
     * when the status already says so.
     */
    private static <S extends ObservedStatus, P extends CustomResource<?, S>> Optional<P> withReady(P resource, Supplier<S> emptyStatus,
            Conditions.Desired ready, boolean observed, Context<P> context, Instant now) {
        S status = resource.getStatus() == null ? emptyStatus.get() : resource.getStatus();
        long generation = resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration();
        var conditions = Conditions.merge(status.getConditions(), List.of(ready), generation, now);
        boolean generationSaid = !observed || Long.valueOf(generation).equals(status.getObservedGeneration());
        if (resource.getStatus() != null && StatusComparison.same(status.getConditions(), conditions) && generationSaid) {
            return Optional.empty();
        }
        ConditionEvents.post(context, ConditionEvents.between(resource, status.getConditions(), conditions, now));
        status.setConditions(conditions);
        if (observed) {
            status.setObservedGeneration(generation);
        }
        resource.setStatus(status);
        return Optional.of(resource);
    }
}
