package dev.appservice.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Status conditions the Kubernetes way: one entry per type, {@code observedGeneration} on each, and
 * {@code lastTransitionTime} that moves only when the condition's status changes. Conditions are
 * kept sorted by type, so a status computed twice from the same facts is equal and needs no write.
 */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private Conditions() {}

    /** A desired condition, before it is merged with the previous ones. */
    public record Desired(String type, boolean status, String reason, String message) {
        public Desired {
            Objects.requireNonNull(type);
            Objects.requireNonNull(reason);
        }
    }

    /**
     * Merges the desired conditions with the previous ones: a condition whose status is unchanged
     * keeps its lastTransitionTime; types not desired any more are dropped.
     */
    public static List<Condition> merge(List<Condition> previous, List<Desired> desired, long generation, Instant now) {
        List<Condition> result = new ArrayList<>();
        for (Desired d : desired) {
            String status = d.status() ? TRUE : FALSE;
            Condition old = find(previous, d.type());
            String transition = old != null && status.equals(old.getStatus()) && old.getLastTransitionTime() != null
                    ? old.getLastTransitionTime()
                    : now.truncatedTo(ChronoUnit.SECONDS).toString();
            result.add(new ConditionBuilder()
                    .withType(d.type())
                    .withStatus(status)
                    .withReason(d.reason())
                    .withMessage(d.message() == null ? "" : dev.appservice.operator.model.Quoted.escaped(d.message()))
                    .withObservedGeneration(generation)
                    .withLastTransitionTime(transition)
                    .build());
        }
        result.sort(Comparator.comparing(Condition::getType));
        return result;
    }

    public static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElse(null);
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        Condition c = find(conditions, type);
        return c != null && TRUE.equals(c.getStatus());
    }

    /**
     * The Ready condition for a failed reconcile. A child that exists but is not ours (created by
     * someone else under the name we use) is never adopted: that is reported as AdoptionRefused.
     */
    public static Desired failure(Throwable e) {
        for (Throwable t : causes(e)) {
            if (t instanceof io.fabric8.kubernetes.client.KubernetesClientException k
                    && k.getCode() == 409
                    && k.getStatus() != null
                    && ("AlreadyExists".equals(k.getStatus().getReason())
                            || (k.getStatus().getMessage() != null
                                    && k.getStatus().getMessage().contains("already exists")))) {
                var details = k.getStatus().getDetails();
                String what = details != null && details.getName() != null
                        ? details.getKind() + " '" + details.getName() + "' already exists"
                        : k.getStatus().getMessage();
                return new Desired(
                        READY,
                        false,
                        "AdoptionRefused",
                        what + " and is not controlled by this resource (someone else"
                                + " created it, or another resource's child has the same name); it is left untouched: delete or rename it"
                                + " to let the operator create this resource's own");
            }
        }
        return new Desired(READY, false, "ReconcileError", rootMessage(e));
    }

    /** The exception, its causes, and those of every exception a workflow aggregated. */
    private static List<Throwable> causes(Throwable e) {
        List<Throwable> all = new ArrayList<>();
        for (Throwable t = e; t != null && !all.contains(t); t = t.getCause()) {
            all.add(t);
            if (t instanceof io.javaoperatorsdk.operator.AggregatedOperatorException aggregated) {
                aggregated.getAggregatedExceptions().values().forEach(inner -> all.addAll(causes(inner)));
            }
        }
        return all;
    }

    /** The innermost cause's message, bounded, for a condition message. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.length() > 1000 ? message.substring(0, 1000) + "..." : message;
    }
}
