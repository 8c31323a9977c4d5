package dev.appservice.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events for what a user must know, raised when a condition changes (never on a
 * reconcile that changes nothing): a Warning when a resource cannot run as asked, a Normal event
 * when it becomes Ready. {@code kubectl describe} and {@code kubectl get events} show them.
 */
public final class ConditionEvents {
    /** Reasons worth a Warning: the user has to act (or wait for something they applied out of order). */
    static final Set<String> WARNINGS = Set.of("EnvironmentNotFound", "EnvironmentCapacityExceeded", "WorkerPoolNotFound",
            "PlanNotFound", "ReconcileError", "AdoptionRefused", "ManagementPortsBlocked", "DnsBlocked", "InvalidSpec", "EnvironmentInvalid");
    public static final String COMPONENT = "ase-operator";
    private static final Logger LOG = Logger.getLogger(ConditionEvents.class);

    private ConditionEvents() {
    }

    /** The events for the conditions that changed between two statuses. */
    public static List<Event> between(HasMetadata resource, List<Condition> before, List<Condition> after, Instant now) {
        List<Event> events = new ArrayList<>();
        for (Condition c : after == null ? List.<Condition>of() : after) {
            Condition old = Conditions.find(before, c.getType());
            if (old != null && Objects.equals(old.getStatus(), c.getStatus()) && Objects.equals(old.getReason(), c.getReason())) {
                continue;
            }
            boolean warning = Conditions.FALSE.equals(c.getStatus()) && WARNINGS.contains(c.getReason());
            boolean becameReady = Conditions.READY.equals(c.getType()) && Conditions.TRUE.equals(c.getStatus());
            if (warning || becameReady) {
                events.add(event(resource, warning ? "Warning" : "Normal", c.getReason(), c.getMessage(), now));
            }
        }
        return events;
    }

    /** Posts the events; a failure is logged, never fails the reconcile (events are best effort). */
    public static void post(Context<?> context, List<Event> events) {
        KubernetesClient client = context.getClient();
        for (Event event : events) {
            try {
                client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
            } catch (RuntimeException e) {
                LOG.debugf("could not record event %s: %s", event.getReason(), e.getMessage());
            }
        }
    }

    private static Event event(HasMetadata resource, String type, String reason, String message, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        return new EventBuilder()
                .withNewMetadata()
                .withName(resource.getMetadata().getName() + "." + Long.toHexString(now.toEpochMilli()) + Integer.toHexString(reason.hashCode() & 0xfff))
                .withNamespace(resource.getMetadata().getNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(resource.getApiVersion())
                .withKind(resource.getKind())
                .withName(resource.getMetadata().getName())
                .withNamespace(resource.getMetadata().getNamespace())
                .withUid(resource.getMetadata().getUid())
                .withResourceVersion(resource.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(type)
                .withReason(reason)
                .withMessage(message == null || message.length() <= 1024 ? message : message.substring(0, 1024))
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(time)
                .withLastTimestamp(time)
                .withCount(1)
                .build();
    }
}
