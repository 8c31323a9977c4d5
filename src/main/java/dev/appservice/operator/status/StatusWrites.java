package dev.appservice.operator.status;

import dev.appservice.operator.api.ObservedStatus;
import dev.appservice.operator.informer.SharingItemStore;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * How every controller writes its status: only when it differs by value (a reconcile that changes
 * nothing writes nothing), with an Event for each condition change a user must know about.
 *
 * <p>The status is patched here rather than by returning {@code UpdateControl.patchStatus}, so the
 * events are posted only once the patch succeeded (the Kubernetes convention: an event reports a
 * state the status shows). A failed patch posts nothing; the retry that writes the status posts the
 * events once. The patch is the one the SDK would send (a JSON patch of the status, without
 * optimistic locking) and the written resource goes to the SDK's cache, so the next reconcile sees it.
 */
public final class StatusWrites {
    private static final Logger LOG = Logger.getLogger(StatusWrites.class);
    /** The shortest reschedule: reconcile again as soon as this reconcile ends. */
    private static final java.time.Duration AT_ONCE = java.time.Duration.ofMillis(1);

    private StatusWrites() {}

    /** Patches the computed status when it differs from the stored one. */
    public static <S extends ObservedStatus, P extends CustomResource<?, S>> UpdateControl<P> patchIfChanged(
            P resource, S status, Context<P> context, Instant now) {
        if (!StatusComparison.same(resource.getStatus(), status)) {
            return write(
                    resource,
                    resource.getStatus() == null ? null : resource.getStatus().getConditions(),
                    status,
                    context,
                    now);
        }
        return UpdateControl.noUpdate();
    }

    /**
     * Ready=False for a resource the operator does not act on as it stands (its spec is invalid, or
     * what it depends on is): the status says why, at the current generation, and the rest of it
     * is kept; children are left as they are. No write when the status already says so.
     */
    public static <S extends ObservedStatus, P extends CustomResource<?, S>> UpdateControl<P> notActedOn(
            P resource, Supplier<S> emptyStatus, String reason, String message, Context<P> context, Instant now) {
        return withReady(
                resource,
                emptyStatus,
                new Conditions.Desired(Conditions.READY, false, reason, message),
                true,
                context,
                now);
    }

    /**
     * After a failed reconcile: Ready=False with the reason ({@link Conditions#failure}), keeping the
     * rest of the status; no write when that is already what the status says.
     */
    public static <S extends ObservedStatus, P extends CustomResource<?, S>> ErrorStatusUpdateControl<P> failed(
            P resource, Supplier<S> emptyStatus, Context<P> context, Exception e, Instant now) {
        LOG.warnf(
                "Reconciling %s %s/%s failed: %s",
                resource.getKind(),
                resource.getMetadata().getNamespace(),
                resource.getMetadata().getName(),
                Conditions.rootMessage(e));
        try {
            withReady(resource, emptyStatus, Conditions.failure(e), false, context, now);
        } catch (RuntimeException statusFailed) {
            // The reconcile is retried either way; the status says so once a write gets through.
            LOG.warnf(
                    "Writing the status of %s %s/%s failed: %s",
                    resource.getKind(),
                    resource.getMetadata().getNamespace(),
                    resource.getMetadata().getName(),
                    Conditions.rootMessage(statusFailed));
        }
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    /**
     * Writes the resource's status with its Ready condition set as desired and the rest kept (the
     * observed generation moved to the current one if asked), then the Events for the change;
     * nothing when the status already says so.
     */
    private static <S extends ObservedStatus, P extends CustomResource<?, S>> UpdateControl<P> withReady(
            P resource,
            Supplier<S> emptyStatus,
            Conditions.Desired ready,
            boolean observed,
            Context<P> context,
            Instant now) {
        S status = resource.getStatus() == null ? emptyStatus.get() : resource.getStatus();
        List<Condition> before = status.getConditions();
        long generation = resource.getMetadata().getGeneration() == null
                ? 0
                : resource.getMetadata().getGeneration();
        var conditions = Conditions.merge(before, List.of(ready), generation, now);
        boolean generationSaid = !observed || Long.valueOf(generation).equals(status.getObservedGeneration());
        if (resource.getStatus() != null && StatusComparison.same(before, conditions) && generationSaid) {
            return UpdateControl.noUpdate();
        }
        S written = context.getControllerConfiguration()
                .getConfigurationService()
                .getResourceCloner()
                .clone(resource)
                .getStatus();
        if (written == null) {
            written = emptyStatus.get();
        }
        written.setConditions(conditions);
        if (observed) {
            written.setObservedGeneration(generation);
        }
        return write(resource, before, written, context, now);
    }

    /**
     * Patches the status, then posts the events for the conditions that changed from
     * {@code before}. A failed patch throws before any event is posted.
     *
     * <p>The SDK caches the patched resource and drops the events older than it, so a spec edit that
     * arrived while this reconcile ran (its event older than the patch) would never be reconciled:
     * when the patched resource is of a newer generation than the one reconciled, the resource is
     * reconciled again at once.
     */
    private static <S extends ObservedStatus, P extends CustomResource<?, S>> UpdateControl<P> write(
            P resource, List<Condition> before, S status, Context<P> context, Instant now) {
        var events = ConditionEvents.between(resource, before, status.getConditions(), now);
        P base = context.getControllerConfiguration()
                .getConfigurationService()
                .getResourceCloner()
                .clone(resource);
        // As the SDK patches a status: a JSON patch from the resource as read, without optimistic locking.
        base.getMetadata().setResourceVersion(null);
        // The SDK's jsonPatchPrimaryStatus, but what the SDK caches as the recent write is the answer
        // as the informers keep it (SharingItemStore.cached): the same object the watch brings
        // later, without the server's managedFields (for the largest WebApps, more than the spec).
        P patched = context.resourceOperations()
                .resourcePatch(
                        base,
                        r -> SharingItemStore.cached(
                                context.getClient().resource(r).editStatus(edited -> {
                                    edited.setStatus(status);
                                    return edited;
                                })),
                        context.eventSourceRetriever().getControllerEventSource());
        resource.setStatus(status);
        ConditionEvents.post(context, events);
        return newerGeneration(resource, patched)
                ? UpdateControl.<P>noUpdate().rescheduleAfter(AT_ONCE)
                : UpdateControl.noUpdate();
    }

    private static boolean newerGeneration(HasMetadata reconciled, HasMetadata patched) {
        Long before = reconciled.getMetadata().getGeneration();
        Long after = patched == null ? null : patched.getMetadata().getGeneration();
        return after != null && (before == null || after > before);
    }
}
