package dev.appservice.operator.testing.apiserver;

import static dev.appservice.operator.testing.apiserver.JsonFields.child;
import static dev.appservice.operator.testing.apiserver.JsonFields.entries;
import static dev.appservice.operator.testing.apiserver.JsonFields.has;
import static dev.appservice.operator.testing.apiserver.JsonFields.index;
import static dev.appservice.operator.testing.apiserver.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * metadata, labels, annotations and label selectors as k8s.io/apimachinery/pkg/api/validation and
 * pkg/apis/meta/v1/validation check them.
 */
public final class ObjectMetaRules {
    /** TotalAnnotationSizeLimitB: keys and values together. */
    public static final long TOTAL_ANNOTATION_SIZE = 256 * 1024;

    private ObjectMetaRules() {}

    /**
     * metadata of a namespaced or cluster-scoped object; {@code nameFormat} is the kind's name rule
     * (DNS-1123 subdomain for most, DNS-1035 label for Services).
     */
    public static void validate(
            JsonNode metadata, boolean namespaced, Function<String, List<String>> nameFormat, FieldErrors errors) {
        String path = "metadata";
        String name = text(metadata, "name");
        if (name.isEmpty()) {
            if (text(metadata, "generateName").isEmpty()) {
                errors.required(child(path, "name"), "name or generateName is required");
            }
        } else {
            errors.invalidEach(child(path, "name"), name, nameFormat.apply(name));
        }
        String namespace = text(metadata, "namespace");
        if (namespaced) {
            if (namespace.isEmpty()) {
                errors.required(child(path, "namespace"), "");
            } else {
                errors.invalidEach(child(path, "namespace"), namespace, NameFormats.dns1123Label(namespace));
            }
        } else if (!namespace.isEmpty()) {
            errors.forbidden(child(path, "namespace"), "not allowed on this type");
        }
        labels(metadata == null ? null : metadata.get("labels"), child(path, "labels"), errors);
        annotations(metadata == null ? null : metadata.get("annotations"), child(path, "annotations"), errors);
        ownerReferences(metadata, child(path, "ownerReferences"), errors);
        List<JsonNode> finalizers = JsonFields.array(metadata, "finalizers");
        for (int i = 0; i < finalizers.size(); i++) {
            String finalizer = finalizers.get(i).asText();
            errors.invalidEach(index(child(path, "finalizers"), i), finalizer, NameFormats.qualifiedName(finalizer));
            if (!finalizer.contains("/")
                    && !finalizer.equals("kubernetes")
                    && !finalizer.equals("orphan")
                    && !finalizer.equals("foregroundDeletion")) {
                errors.invalid(
                        index(child(path, "finalizers"), i),
                        finalizer,
                        "name is neither a standard finalizer name nor is it fully qualified");
            }
        }
    }

    public static void labels(JsonNode labels, String path, FieldErrors errors) {
        if (labels == null || labels.isNull()) {
            return;
        }
        labels.fields().forEachRemaining(e -> {
            errors.invalidEach(path, e.getKey(), NameFormats.qualifiedName(e.getKey()));
            String value = e.getValue().isNull() ? "" : e.getValue().asText();
            errors.invalidEach(path, value, NameFormats.labelValue(value));
        });
    }

    public static void annotations(JsonNode annotations, String path, FieldErrors errors) {
        if (annotations == null || annotations.isNull()) {
            return;
        }
        long[] total = {0};
        annotations.fields().forEachRemaining(e -> {
            errors.invalidEach(path, e.getKey(), lowercaseQualifiedName(e.getKey()));
            total[0] += e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + (e.getValue().isNull() ? 0 : e.getValue().asText().getBytes(StandardCharsets.UTF_8).length);
        });
        if (total[0] > TOTAL_ANNOTATION_SIZE) {
            errors.tooLong(path, TOTAL_ANNOTATION_SIZE);
        }
    }

    /** Annotation keys: a qualified name, compared lower-cased (ValidateAnnotations lower-cases the key). */
    private static List<String> lowercaseQualifiedName(String key) {
        return NameFormats.qualifiedName(key.toLowerCase(java.util.Locale.ROOT));
    }

    static void ownerReferences(JsonNode metadata, String path, FieldErrors errors) {
        List<JsonNode> owners = JsonFields.array(metadata, "ownerReferences");
        int controllers = 0;
        for (int i = 0; i < owners.size(); i++) {
            JsonNode owner = owners.get(i);
            String at = index(path, i);
            String apiVersion = text(owner, "apiVersion");
            if (apiVersion.isEmpty()
                    || apiVersion.split("/").length > 2
                    || apiVersion.startsWith("/")
                    || apiVersion.endsWith("/")) {
                errors.invalid(child(at, "apiVersion"), apiVersion, "version must not be empty");
            }
            if (text(owner, "kind").isEmpty()) {
                errors.invalid(child(at, "kind"), "", "kind must not be empty");
            }
            if (text(owner, "name").isEmpty()) {
                errors.invalid(child(at, "name"), "", "name must not be empty");
            } else {
                errors.invalidEach(
                        child(at, "name"),
                        text(owner, "name"),
                        NameFormats.dns1123Subdomain(text(owner, "name")).isEmpty()
                                ? List.of()
                                : List.of("must be a valid object name"));
            }
            if (text(owner, "uid").isEmpty()) {
                errors.invalid(child(at, "uid"), "", "uid must not be empty");
            }
            if (has(owner, "controller") && owner.get("controller").asBoolean()) {
                controllers++;
            }
        }
        if (controllers > 1) {
            errors.invalid(path, controllers, "Only one reference can have Controller set to true");
        }
    }

    /** A metav1.LabelSelector: matchLabels as labels, matchExpressions with known operators and values. */
    public static void labelSelector(JsonNode selector, String path, FieldErrors errors) {
        if (selector == null || selector.isNull()) {
            return;
        }
        labels(selector.get("matchLabels"), child(path, "matchLabels"), errors);
        List<JsonNode> expressions = JsonFields.array(selector, "matchExpressions");
        for (int i = 0; i < expressions.size(); i++) {
            JsonNode expression = expressions.get(i);
            String at = index(child(path, "matchExpressions"), i);
            String operator = text(expression, "operator");
            int values = JsonFields.array(expression, "values").size();
            switch (operator) {
                case "In", "NotIn" -> {
                    if (values == 0) {
                        errors.required(child(at, "values"), "must be specified when `operator` is 'In' or 'NotIn'");
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (values > 0) {
                        errors.forbidden(
                                child(at, "values"),
                                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                    }
                }
                default -> errors.invalid(child(at, "operator"), operator, "not a valid selector operator");
            }
            errors.invalidEach(
                    child(at, "key"), text(expression, "key"), NameFormats.qualifiedName(text(expression, "key")));
        }
    }

    /** The selector's matchLabels (and In expressions of one value) hold for the given labels. */
    public static boolean selects(JsonNode selector, JsonNode labels) {
        for (Map.Entry<String, JsonNode> e : entries(selector, "matchLabels")) {
            if (labels == null || !e.getValue().asText().equals(text(labels, e.getKey()))) {
                return false;
            }
        }
        for (JsonNode expression : JsonFields.array(selector, "matchExpressions")) {
            String key = text(expression, "key");
            boolean present = has(labels, key);
            List<String> values = JsonFields.array(expression, "values").stream()
                    .map(JsonNode::asText)
                    .toList();
            boolean holds = switch (text(expression, "operator")) {
                case "In" -> present && values.contains(text(labels, key));
                case "NotIn" -> !present || !values.contains(text(labels, key));
                case "Exists" -> present;
                case "DoesNotExist" -> !present;
                default -> false;
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }
}
