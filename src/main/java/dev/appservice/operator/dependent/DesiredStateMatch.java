package dev.appservice.operator.dependent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appservice.operator.informer.StoredPodTemplates;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import java.util.EnumSet;
import java.util.List;

/**
 * Whether a child as the API server returns it already is what the operator wants: every field the
 * operator sets has its value, and whatever else the server holds (defaults such as a
 * Deployment's {@code revisionHistoryLimit}, a Service's {@code clusterIP}, status, server-managed
 * metadata) is ignored. Labels and annotations others add are kept too.
 *
 * <p>The SDK's own matcher diffs with JSON-patch {@code copy} and {@code move} operations: a
 * default that happens to equal a value elsewhere in the object (the server's
 * {@code revisionHistoryLimit: 10} and a probe's {@code periodSeconds: 10}) becomes a "copy", which
 * it takes for a difference, so every reconcile rewrote every Deployment on a real API server.
 * Here the diff has only additions, removals and replacements, and only additions are allowed.
 */
public final class DesiredStateMatch {
    private static final EnumSet<DiffFlags> PLAIN_OPERATIONS =
            EnumSet.of(DiffFlags.OMIT_COPY_OPERATION, DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_VALUE_ON_REMOVE);
    /** Fields the operator never sets, or that the server owns. */
    private static final List<String> IGNORED = List.of("/apiVersion", "/kind", "/status");

    private static final List<String> COMPARED_METADATA = List.of("/metadata/labels", "/metadata/annotations");

    private DesiredStateMatch() {}

    /** True when {@code actual} holds every value of {@code desired}. */
    public static boolean matches(HasMetadata desired, HasMetadata actual, KubernetesSerialization serialization) {
        JsonNode diff = JsonDiff.asJson(
                serialization.convertValue(desired, JsonNode.class),
                serialization.convertValue(
                        actual instanceof Deployment deployment ? StoredPodTemplates.expanded(deployment) : actual,
                        JsonNode.class),
                PLAIN_OPERATIONS);
        for (JsonNode operation : diff) {
            String path = operation.path("path").asText();
            if (startsWithAny(path, IGNORED)) {
                continue;
            }
            if (path.startsWith("/metadata") && !startsWithAny(path, COMPARED_METADATA)) {
                continue;
            }
            if (!"add".equals(operation.path("op").asText())) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithAny(String path, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }
}
