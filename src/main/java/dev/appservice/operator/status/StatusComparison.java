package dev.appservice.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Decides whether a freshly computed status differs from the stored one, by value (as JSON trees,
 * so field order does not matter). A reconcile whose status is unchanged writes nothing.
 */
public final class StatusComparison {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private StatusComparison() {}

    public static boolean same(Object stored, Object computed) {
        JsonNode a = SERIALIZATION.convertValue(stored, JsonNode.class);
        JsonNode b = SERIALIZATION.convertValue(computed, JsonNode.class);
        return a == null ? b == null || b.isNull() : a.equals(b);
    }
}
