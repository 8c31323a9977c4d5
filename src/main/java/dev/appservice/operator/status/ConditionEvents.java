package dev.appservice.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events for what a user must know, raised when a condition changes (never on a
 * reconcile that changes nothing): a Warning when a resource cannot run as asked, a Normal event
 * when it becomes Ready. {@code kubectl describe} and {@code kubectl get events} show them.
 *
 * <p>Events are posted only after the status that carries the change was written (see
 * {@link StatusWrites}), so an event never announces a state the status does not show. An event is
 * named after the transition it reports (the resource's uid and the resourceVersion the change was
 * computed from, the condition's type, status and reason), not after the clock: posting the same
 * transition twice, as a retry after a lost response may, is refused by the API server as
 * AlreadyExists instead of recording a duplicate. Names stay a valid DNS subdomain of at most 253
 * characters for the longest resource names ({@link #eventName}).
 */
public final class ConditionEvents {
    /** Reasons worth a Warning: the user has to act (or wait for something they applied out of order). */
    static final Set<String> WARNINGS = Set.of(
            "EnvironmentNotFound",
            "EnvironmentCapacityExceeded",
            "WorkerPoolNotFound",
            "PlanNotFound",
            "ReconcileError",
            "AdoptionRefused",
            "ManagementPortsBlocked",
            "DnsBlocked",
            "InvalidSpec",
            "EnvironmentInvalid",
            "CertificateNotFound",
            "CertificateInvalid",
            "EnvironmentServesHttpOnly",
            "CertManagerNotInstalled",
            "CertManagerNotEnabled",
            "CertificateNotOwned",
            "SlotNotReady",
            "ImageRunsAsRoot",
            "ImageUserNotNumeric",
            "ContainerConfigError",
            "ImagePullFailed",
            "OutOfMemory",
            "StartTimeLimitExceeded",
            "ContainerExited",
            "Unschedulable",
            "HealthCheckFailing");
    /** Reasons worth a Normal event when a condition moves to them from another state: a swap applied (see ProductionSwap). */
    static final Set<String> NOTICES = Set.of("ServingSlot", "ServingProduction");

    public static final String COMPONENT = "ase-operator";
    /** Longest name of an object (a DNS subdomain). */
    static final int MAX_NAME_LENGTH = 253;
    /** Hex digits of the transition's digest that end an event's name. */
    private static final int DIGEST_LENGTH = 16;

    private static final Logger LOG = Logger.getLogger(ConditionEvents.class);

    private ConditionEvents() {}

    /** The events for the conditions that changed between two statuses. */
    public static List<Event> between(
            HasMetadata resource, List<Condition> before, List<Condition> after, Instant now) {
        List<Event> events = new ArrayList<>();
        for (Condition c : after == null ? List.<Condition>of() : after) {
            Condition old = Conditions.find(before, c.getType());
            boolean noticed = old != null
                    && NOTICES.contains(c.getReason())
                    && Conditions.TRUE.equals(c.getStatus())
                    && !(Objects.equals(old.getReason(), c.getReason())
                            && Objects.equals(old.getMessage(), c.getMessage()));
            if (noticed) {
                events.add(event(resource, c, "Normal", now));
                continue;
            }
            if (old != null
                    && Objects.equals(old.getStatus(), c.getStatus())
                    && Objects.equals(old.getReason(), c.getReason())) {
                continue;
            }
            boolean warning = Conditions.FALSE.equals(c.getStatus()) && WARNINGS.contains(c.getReason());
            boolean becameReady = Conditions.READY.equals(c.getType()) && Conditions.TRUE.equals(c.getStatus());
            if (warning || becameReady) {
                events.add(event(resource, c, warning ? "Warning" : "Normal", now));
            }
        }
        return events;
    }

    /**
     * Posts the events, once the status they report was written. A failure is logged and never
     * fails the reconcile (events are best effort); an event that already exists was posted for
     * the same transition before, and is left as it is.
     */
    public static void post(Context<?> context, List<Event> events) {
        KubernetesClient client = context.getClient();
        for (Event event : events) {
            try {
                client.v1()
                        .events()
                        .inNamespace(event.getMetadata().getNamespace())
                        .resource(event)
                        .create();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    LOG.debugf(
                            "event %s was already recorded for this transition",
                            event.getMetadata().getName());
                } else {
                    LOG.debugf("could not record event %s: %s", event.getReason(), e.getMessage());
                }
            } catch (RuntimeException e) {
                LOG.debugf("could not record event %s: %s", event.getReason(), e.getMessage());
            }
        }
    }

    /**
     * The name of the event for a condition change of a resource: the resource's name (shortened
     * when needed, ending in a letter or digit), a dot, and a digest of the transition. The same
     * transition always gets the same name; the result is a DNS subdomain of at most 253
     * characters whatever the resource's name.
     */
    static String eventName(HasMetadata resource, Condition condition) {
        ObjectMeta meta = resource.getMetadata();
        String transition = String.join(
                "/",
                String.valueOf(meta.getNamespace()),
                meta.getName(),
                String.valueOf(meta.getUid()),
                String.valueOf(meta.getResourceVersion()),
                condition.getType(),
                condition.getStatus(),
                condition.getReason());
        String digest = HexFormat.of().formatHex(sha256(transition)).substring(0, DIGEST_LENGTH);
        String prefix = meta.getName();
        int room = MAX_NAME_LENGTH - 1 - DIGEST_LENGTH;
        if (prefix.length() > room) {
            prefix = prefix.substring(0, room);
        }
        // A DNS subdomain's labels end in a letter or digit: drop a '-' or '.' the cut left at the end.
        prefix = prefix.replaceAll("[^a-z0-9]+$", "");
        return prefix.isEmpty() ? digest : prefix + "." + digest;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static Event event(HasMetadata resource, Condition condition, String type, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        String reason = condition.getReason();
        String message = condition.getMessage();
        return new EventBuilder()
                .withNewMetadata()
                .withName(eventName(resource, condition))
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
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(time)
                .withLastTimestamp(time)
                .withCount(1)
                .build();
    }
}
