package dev.appservice.operator.testing.apiserver;

import static dev.appservice.operator.testing.apiserver.JsonFields.child;
import static dev.appservice.operator.testing.apiserver.JsonFields.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The custom resources' OpenAPI v3 schemas, read from the CRDs the project installs ({@code crds/}),
 * applied as the API server's structural schema validation applies them: types, required,
 * enum, pattern, lengths, bounds, item counts, int-or-string, maps, and fields the schema does
 * not declare. CEL rules (x-kubernetes-validations) are not evaluated: the project's rules are on
 * spec fields the operator never writes.
 */
public final class CustomResourceSchemas {
    private final Map<String, JsonNode> schemas = new HashMap<>();
    private final Map<String, Boolean> namespaced = new HashMap<>();
    private final Map<String, Pattern> patterns = new HashMap<>();

    public CustomResourceSchemas(List<CustomResourceDefinition> definitions) {
        for (CustomResourceDefinition crd : definitions) {
            for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
                String key = crd.getSpec().getGroup() + "/" + version.getName() + "/" + crd.getSpec().getNames().getKind();
                schemas.put(key, Serialization.jsonMapper().valueToTree(version.getSchema().getOpenAPIV3Schema()));
                namespaced.put(key, "Namespaced".equals(crd.getSpec().getScope()));
            }
        }
    }

    /** The project's CRDs, from the folder {@code crds/} of the working directory. */
    public static CustomResourceSchemas fromProject() {
        try (var files = Files.list(Path.of("crds"))) {
            return new CustomResourceSchemas(files.sorted().map(file -> {
                try {
                    return Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean knows(String apiVersion, String kind) {
        return schemas.containsKey(apiVersion + "/" + kind);
    }

    public boolean namespaced(String apiVersion, String kind) {
        return namespaced.getOrDefault(apiVersion + "/" + kind, true);
    }

    /** The whole object but its metadata against the schema. */
    public void validate(JsonNode object, String apiVersion, String kind, FieldErrors errors) {
        validate(object, apiVersion, kind, List.of("apiVersion", "kind", "metadata"), errors);
    }

    /**
     * What the operator writes of a custom resource against the schema: everything but the spec.
     * The spec is the user's input, refused at admission; tests store specs the schema refuses on
     * purpose (HostileReconcileTest, InvalidSpecTest: a bypassed webhook, an object stored under an
     * older schema) to see the reconcilers cope.
     */
    public void validateExceptSpec(JsonNode object, String apiVersion, String kind, FieldErrors errors) {
        validate(object, apiVersion, kind, List.of("apiVersion", "kind", "metadata", "spec"), errors);
    }

    private void validate(JsonNode object, String apiVersion, String kind, List<String> skipped, FieldErrors errors) {
        JsonNode schema = schemas.get(apiVersion + "/" + kind);
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!skipped.contains(field.getKey())) {
                JsonNode property = schema.path("properties").get(field.getKey());
                if (property == null) {
                    errors.add(FieldError.Type.UNKNOWN_FIELD, field.getKey(), "field not declared in schema");
                } else {
                    check(field.getValue(), property, field.getKey(), errors);
                }
            }
        }
    }

    private void check(JsonNode node, JsonNode schema, String path, FieldErrors errors) {
        if (node == null || node.isNull()) {
            return;
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
            if (!node.isTextual() && !node.isIntegralNumber()) {
                errors.add(FieldError.Type.TYPE_INVALID, path, "expected integer or string");
            }
            return;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> object(node, schema, path, errors);
            case "array" -> array(node, schema, path, errors);
            case "string" -> {
                if (!node.isTextual()) {
                    errors.add(FieldError.Type.TYPE_INVALID, path, "expected string, got " + node.getNodeType().name().toLowerCase());
                    return;
                }
                string(node.asText(), schema, path, errors);
            }
            case "integer", "number" -> {
                if (type.equals("integer") ? !node.isIntegralNumber() : !node.isNumber()) {
                    errors.add(FieldError.Type.TYPE_INVALID, path, "expected " + type + ", got " + node.getNodeType().name().toLowerCase());
                    return;
                }
                number(node.decimalValue(), schema, path, errors);
            }
            case "boolean" -> {
                if (!node.isBoolean()) {
                    errors.add(FieldError.Type.TYPE_INVALID, path, "expected boolean, got " + node.getNodeType().name().toLowerCase());
                }
            }
            default -> {
                // No type: x-kubernetes-preserve-unknown-fields or free-form.
            }
        }
        enumeration(node, schema, path, errors);
    }

    private void object(JsonNode node, JsonNode schema, String path, FieldErrors errors) {
        if (!node.isObject()) {
            errors.add(FieldError.Type.TYPE_INVALID, path, "expected object, got " + node.getNodeType().name().toLowerCase());
            return;
        }
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode property = properties == null ? null : properties.get(field.getKey());
            if (property != null) {
                check(field.getValue(), property, child(path, field.getKey()), errors);
            } else if (additional != null && additional.isObject()) {
                check(field.getValue(), additional, JsonFields.key(path, field.getKey()), errors);
            } else if (!preserve && !(additional != null && additional.asBoolean())) {
                errors.add(FieldError.Type.UNKNOWN_FIELD, child(path, field.getKey()), "field not declared in schema");
            }
        }
        for (JsonNode required : schema.path("required")) {
            if (!node.has(required.asText()) || node.get(required.asText()).isNull()) {
                errors.required(child(path, required.asText()), "");
            }
        }
        if (schema.has("maxProperties") && node.size() > schema.get("maxProperties").asInt()) {
            errors.add(FieldError.Type.TOO_MANY, path, "must have at most " + schema.get("maxProperties").asInt() + " items");
        }
    }

    private void array(JsonNode node, JsonNode schema, String path, FieldErrors errors) {
        if (!node.isArray()) {
            errors.add(FieldError.Type.TYPE_INVALID, path, "expected array, got " + node.getNodeType().name().toLowerCase());
            return;
        }
        if (schema.has("maxItems") && node.size() > schema.get("maxItems").asInt()) {
            errors.add(FieldError.Type.TOO_MANY, path, "must have at most " + schema.get("maxItems").asInt() + " items");
        }
        if (schema.has("minItems") && node.size() < schema.get("minItems").asInt()) {
            errors.invalid(path, node.size(), "should have at least " + schema.get("minItems").asInt() + " items");
        }
        Set<JsonNode> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            if (schema.has("items")) {
                check(node.get(i), schema.get("items"), index(path, i), errors);
            }
            if ((schema.path("uniqueItems").asBoolean() || "set".equals(schema.path("x-kubernetes-list-type").asText())) && !seen.add(node.get(i))) {
                errors.duplicate(index(path, i), node.get(i).toString());
            }
        }
    }

    private void string(String value, JsonNode schema, String path, FieldErrors errors) {
        int length = value.codePointCount(0, value.length());
        if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
            errors.add(FieldError.Type.TOO_LONG, path, "may not be more than " + schema.get("maxLength").asInt() + " bytes");
        }
        if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
            errors.invalid(path, value, "should be at least " + schema.get("minLength").asInt() + " chars long");
        }
        if (schema.has("pattern")) {
            String pattern = schema.get("pattern").asText();
            if (!patterns.computeIfAbsent(pattern, Pattern::compile).matcher(value).find()) {
                errors.invalid(path, value, "should match '" + pattern + "'");
            }
        }
        String format = schema.path("format").asText("");
        if (format.equals("date-time") && !value.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})")) {
            errors.invalid(path, value, "must be a date-time (RFC 3339)");
        }
    }

    private void number(BigDecimal value, JsonNode schema, String path, FieldErrors errors) {
        if (schema.has("minimum")) {
            BigDecimal minimum = schema.get("minimum").decimalValue();
            boolean exclusive = schema.path("exclusiveMinimum").asBoolean();
            if (exclusive ? value.compareTo(minimum) <= 0 : value.compareTo(minimum) < 0) {
                errors.invalid(path, value, "should be greater than or equal to " + minimum.toPlainString());
            }
        }
        if (schema.has("maximum")) {
            BigDecimal maximum = schema.get("maximum").decimalValue();
            boolean exclusive = schema.path("exclusiveMaximum").asBoolean();
            if (exclusive ? value.compareTo(maximum) >= 0 : value.compareTo(maximum) > 0) {
                errors.invalid(path, value, "should be less than or equal to " + maximum.toPlainString());
            }
        }
        String format = schema.path("format").asText("");
        if (format.equals("int32") && (value.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) < 0 || value.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0)) {
            errors.invalid(path, value, "must be of type int32");
        }
    }

    private void enumeration(JsonNode node, JsonNode schema, String path, FieldErrors errors) {
        JsonNode values = schema.get("enum");
        if (values == null || !values.isArray()) {
            return;
        }
        for (JsonNode allowed : values) {
            if (allowed.equals(node) || allowed.isTextual() && node.isTextual() && allowed.asText().equals(node.asText())) {
                return;
            }
        }
        errors.notSupported(path, node.isTextual() ? node.asText() : node.toString(), java.util.stream.StreamSupport.stream(values.spliterator(), false).map(JsonNode::asText).toList());
    }
}
