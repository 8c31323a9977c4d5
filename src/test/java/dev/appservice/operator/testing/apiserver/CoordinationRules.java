package dev.appservice.operator.testing.apiserver;

import static dev.appservice.operator.testing.apiserver.JsonFields.has;
import static dev.appservice.operator.testing.apiserver.JsonFields.object;
import static dev.appservice.operator.testing.apiserver.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Events (core/v1 and events.k8s.io/v1) and coordination.k8s.io/v1 Leases, as their validation checks them. */
public final class CoordinationRules {
    private CoordinationRules() {}

    public static void validateLease(JsonNode lease, FieldErrors errors) {
        ObjectMetaRules.validate(lease.get("metadata"), true, NameFormats::dns1123Subdomain, errors);
        JsonNode spec = object(lease, "spec");
        if (has(spec, "leaseDurationSeconds")
                && spec.get("leaseDurationSeconds").asLong() <= 0) {
            errors.invalid(
                    "spec.leaseDurationSeconds",
                    spec.get("leaseDurationSeconds").asLong(),
                    "must be greater than 0");
        }
        PodSpecRules.nonNegative(spec, "leaseTransitions", "spec", errors);
        String strategy = text(spec, "strategy");
        if (!strategy.isEmpty() && !strategy.equals("OldestEmulationVersion")) {
            errors.notSupported("spec.strategy", strategy, List.of("OldestEmulationVersion"));
        }
    }

    /** A core/v1 Event as legacyValidateEvent checks it (the reporting fields only for events with eventTime set). */
    public static void validateEvent(JsonNode event, FieldErrors errors) {
        ObjectMetaRules.validate(event.get("metadata"), true, NameFormats::dns1123Subdomain, errors);
        JsonNode involved = object(event, "involvedObject");
        String namespace = text(object(event, "metadata"), "namespace");
        String involvedNamespace = text(involved, "namespace");
        if (!has(event, "eventTime")) {
            if (involvedNamespace.isEmpty()
                    ? !namespace.isEmpty() && !namespace.equals("default")
                    : !involvedNamespace.equals(namespace)) {
                errors.invalid("involvedObject.namespace", involvedNamespace, "does not match event.namespace");
            }
            return;
        }
        if (involvedNamespace.isEmpty() && !namespace.equals("default") && !namespace.equals("kube-system")) {
            errors.invalid("involvedObject.namespace", involvedNamespace, "does not match event.namespace");
        }
        String controller = text(event, "reportingComponent");
        if (controller.isEmpty()) {
            errors.required("reportingComponent", "");
        }
        errors.invalidEach("reportingComponent", controller, NameFormats.qualifiedName(controller));
        lengthBetween(text(event, "reportingInstance"), "reportingInstance", 128, errors);
        lengthBetween(text(event, "action"), "action", 128, errors);
        lengthBetween(text(event, "reason"), "reason", 128, errors);
        if (text(event, "message").length() > 1024) {
            errors.tooLong("message", 1024);
        }
    }

    private static void lengthBetween(String value, String path, int max, FieldErrors errors) {
        if (value.isEmpty()) {
            errors.required(path, "");
        } else if (value.length() > max) {
            errors.tooLong(path, max);
        }
    }
}
