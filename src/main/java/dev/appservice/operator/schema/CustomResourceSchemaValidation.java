package dev.appservice.operator.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appservice.operator.model.Quoted;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * The custom resources' OpenAPI v3 schemas, read from the CRDs the project installs ({@code crds/},
 * also on the classpath), applied as the API server applies them on create: defaults first, then
 * structural validation (types, with integer apart from number and string; required; enum;
 * pattern; lengths; bounds; item and property counts; sets; int-or-string; maps), fields the
 * schema does not declare (refused, as {@code kubectl apply}'s default strict field validation
 * refuses them), then the {@code x-kubernetes-validations} CEL rules. One implementation for the
 * offline {@code validate} and {@code render} and for the tests' validating API server.
 */
public final class CustomResourceSchemaValidation {
    /** The CRD files the project installs, by name, in {@code crds/} and on the classpath. */
    public static final List<String> CRD_FILES = List.of(
            "appserviceenvironments.appservice.dev.yaml",
            "isolatedplans.appservice.dev.yaml",
            "webapps.appservice.dev.yaml");
    /** Top-level fields of every object that its schema does not describe. */
    public static final List<String> OBJECT_FIELDS = List.of("apiVersion", "kind", "metadata");

    private final Map<String, JsonNode> schemas = new HashMap<>();
    private final Map<String, Boolean> namespaced = new HashMap<>();
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();
    private final CelRules rules = new CelRules();

    public CustomResourceSchemaValidation(List<CustomResourceDefinition> definitions) {
        for (CustomResourceDefinition crd : definitions) {
            for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
                String key = crd.getSpec().getGroup() + "/" + version.getName() + "/"
                        + crd.getSpec().getNames().getKind();
                schemas.put(
                        key,
                        Serialization.jsonMapper()
                                .valueToTree(version.getSchema().getOpenAPIV3Schema()));
                namespaced.put(key, "Namespaced".equals(crd.getSpec().getScope()));
            }
        }
    }

    /** The project's CRDs as packaged in the jar ({@code crds/} on the classpath). */
    public static CustomResourceSchemaValidation fromClasspath() {
        List<CustomResourceDefinition> definitions = new ArrayList<>();
        for (String file : CRD_FILES) {
            try (InputStream in = CustomResourceSchemaValidation.class.getResourceAsStream("/crds/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("crds/" + file + " is not on the classpath");
                }
                definitions.add(Serialization.unmarshal(in, CustomResourceDefinition.class));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new CustomResourceSchemaValidation(definitions);
    }

    public boolean knows(String apiVersion, String kind) {
        return schemas.containsKey(apiVersion + "/" + kind);
    }

    public boolean namespaced(String apiVersion, String kind) {
        return namespaced.getOrDefault(apiVersion + "/" + kind, true);
    }

    /** Fills in the schema's defaults where the object leaves a field out, as the API server does on decode. */
    public void applyDefaults(ObjectNode object, String apiVersion, String kind) {
        JsonNode schema = schemas.get(apiVersion + "/" + kind);
        if (schema != null) {
            defaults(object, schema);
        }
    }

    /** Every problem of the object but its metadata (apiVersion, kind and metadata skipped). */
    public List<SchemaProblem> validate(JsonNode object, String apiVersion, String kind) {
        return validate(object, apiVersion, kind, OBJECT_FIELDS);
    }

    /** Every problem of the object's top-level fields other than the skipped ones. */
    public List<SchemaProblem> validate(JsonNode object, String apiVersion, String kind, List<String> skipped) {
        JsonNode schema = schemas.get(apiVersion + "/" + kind);
        List<SchemaProblem> problems = new ArrayList<>();
        if (schema == null) {
            return problems;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!skipped.contains(field.getKey())) {
                JsonNode property = schema.path("properties").get(field.getKey());
                if (property == null) {
                    problems.add(new SchemaProblem(
                            SchemaProblem.Kind.UNKNOWN_FIELD, field.getKey(), "field not declared in schema"));
                } else {
                    check(field.getValue(), property, field.getKey(), problems);
                }
            }
        }
        return problems;
    }

    private void defaults(JsonNode node, JsonNode schema) {
        if (node instanceof ObjectNode object) {
            JsonNode properties = schema.get("properties");
            if (properties != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> property = it.next();
                    JsonNode value = object.get(property.getKey());
                    if (value == null && property.getValue().has("default")) {
                        object.set(
                                property.getKey(),
                                property.getValue().get("default").deepCopy());
                    } else if (value != null) {
                        defaults(value, property.getValue());
                    }
                }
            }
            JsonNode additional = schema.get("additionalProperties");
            if (additional != null && additional.isObject()) {
                object.forEach(value -> defaults(value, additional));
            }
        } else if (node != null && node.isArray() && schema.has("items")) {
            node.forEach(item -> defaults(item, schema.get("items")));
        }
    }

    private void check(JsonNode node, JsonNode schema, String path, List<SchemaProblem> problems) {
        if (node == null || node.isNull()) {
            // The API server drops a null of a non-nullable field: it reads as absent.
            return;
        }
        int before = problems.size();
        if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
            if (!node.isTextual() && !node.isIntegralNumber()) {
                problems.add(new SchemaProblem(
                        SchemaProblem.Kind.TYPE_INVALID,
                        path,
                        shown(node) + ": expected integer or string, got " + typeOf(node)));
            }
            return;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> object(node, schema, path, problems);
            case "array" -> array(node, schema, path, problems);
            case "string" -> {
                if (!node.isTextual()) {
                    problems.add(new SchemaProblem(
                            SchemaProblem.Kind.TYPE_INVALID,
                            path,
                            shown(node) + ": expected string, got " + typeOf(node)));
                    return;
                }
                string(node.asText(), schema, path, problems);
            }
            case "integer", "number" -> {
                if (type.equals("integer") ? !node.isIntegralNumber() : !node.isNumber()) {
                    problems.add(new SchemaProblem(
                            SchemaProblem.Kind.TYPE_INVALID,
                            path,
                            shown(node) + ": expected " + type + ", got " + typeOf(node)));
                    return;
                }
                number(node.decimalValue(), schema, path, problems);
            }
            case "boolean" -> {
                if (!node.isBoolean()) {
                    problems.add(new SchemaProblem(
                            SchemaProblem.Kind.TYPE_INVALID,
                            path,
                            shown(node) + ": expected boolean, got " + typeOf(node)));
                    return;
                }
            }
            default -> {
                // No type: x-kubernetes-preserve-unknown-fields or free-form.
            }
        }
        enumeration(node, schema, path, problems);
        alternatives(node, schema, path, problems);
        // As the API server: CEL rules run only on a value its structural validation accepted.
        if (problems.size() == before) {
            for (JsonNode validation : schema.path("x-kubernetes-validations")) {
                String field = validation.has("fieldPath")
                        ? path + validation.get("fieldPath").asText()
                        : path;
                rules.check(
                                validation.path("rule").asText(),
                                validation.path("message").asText(""),
                                node)
                        .ifPresent(
                                message -> problems.add(new SchemaProblem(SchemaProblem.Kind.INVALID, field, message)));
            }
        }
    }

    /**
     * {@code anyOf} (at least one alternative holds) and {@code oneOf} (exactly one): in a
     * structural schema the alternatives only add value checks (required fields, formats,
     * lengths), as the providers' CRDs use them (Antrea's Egress: an address or a pool).
     */
    private void alternatives(JsonNode node, JsonNode schema, String path, List<SchemaProblem> problems) {
        if (schema.has("anyOf") && count(node, schema.get("anyOf"), path) == 0) {
            problems.add(new SchemaProblem(
                    SchemaProblem.Kind.INVALID, path, shown(node) + ": must validate at least one schema (anyOf)"));
        }
        if (schema.has("oneOf")) {
            int holding = count(node, schema.get("oneOf"), path);
            if (holding != 1) {
                problems.add(new SchemaProblem(
                        SchemaProblem.Kind.INVALID,
                        path,
                        shown(node) + ": must validate one and only one schema (oneOf), " + holding + " validate"));
            }
        }
    }

    private int count(JsonNode node, JsonNode alternatives, String path) {
        int holding = 0;
        for (JsonNode alternative : alternatives) {
            List<SchemaProblem> found = new ArrayList<>();
            if (alternative.has("type")) {
                check(node, alternative, path, found);
            } else {
                if (node.isObject()) {
                    for (JsonNode required : alternative.path("required")) {
                        if (!node.has(required.asText())
                                || node.get(required.asText()).isNull()) {
                            found.add(new SchemaProblem(SchemaProblem.Kind.REQUIRED, path, ""));
                        }
                    }
                }
                if (node.isTextual()) {
                    string(node.asText(), alternative, path, found);
                }
                alternatives(node, alternative, path, found);
            }
            if (found.isEmpty()) {
                holding++;
            }
        }
        return holding;
    }

    private void object(JsonNode node, JsonNode schema, String path, List<SchemaProblem> problems) {
        if (!node.isObject()) {
            problems.add(new SchemaProblem(
                    SchemaProblem.Kind.TYPE_INVALID, path, shown(node) + ": expected object, got " + typeOf(node)));
            return;
        }
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode property = properties == null ? null : properties.get(field.getKey());
            if (property != null) {
                check(field.getValue(), property, child(path, field.getKey()), problems);
            } else if (additional != null && additional.isObject()) {
                check(field.getValue(), additional, path + "[" + Quoted.of(field.getKey()) + "]", problems);
            } else if (!preserve && !(additional != null && additional.asBoolean())) {
                problems.add(new SchemaProblem(
                        SchemaProblem.Kind.UNKNOWN_FIELD, child(path, field.getKey()), "field not declared in schema"));
            }
        }
        for (JsonNode required : schema.path("required")) {
            if (!node.has(required.asText()) || node.get(required.asText()).isNull()) {
                problems.add(new SchemaProblem(SchemaProblem.Kind.REQUIRED, child(path, required.asText()), ""));
            }
        }
        if (schema.has("maxProperties")
                && node.size() > schema.get("maxProperties").asInt()) {
            problems.add(new SchemaProblem(
                    SchemaProblem.Kind.TOO_MANY,
                    path,
                    node.size() + ": must have at most "
                            + schema.get("maxProperties").asInt() + " items"));
        }
    }

    private void array(JsonNode node, JsonNode schema, String path, List<SchemaProblem> problems) {
        if (!node.isArray()) {
            problems.add(new SchemaProblem(
                    SchemaProblem.Kind.TYPE_INVALID, path, shown(node) + ": expected array, got " + typeOf(node)));
            return;
        }
        if (schema.has("maxItems") && node.size() > schema.get("maxItems").asInt()) {
            problems.add(new SchemaProblem(
                    SchemaProblem.Kind.TOO_MANY,
                    path,
                    node.size() + ": must have at most "
                            + schema.get("maxItems").asInt() + " items"));
            // As the API server: items past the limit are not validated one by one.
            return;
        }
        if (schema.has("minItems") && node.size() < schema.get("minItems").asInt()) {
            problems.add(new SchemaProblem(
                    SchemaProblem.Kind.INVALID,
                    path,
                    node.size() + ": should have at least "
                            + schema.get("minItems").asInt() + " items"));
        }
        boolean set = schema.path("uniqueItems").asBoolean()
                || "set".equals(schema.path("x-kubernetes-list-type").asText());
        Set<JsonNode> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            if (schema.has("items")) {
                check(node.get(i), schema.get("items"), path + "[" + i + "]", problems);
            }
            if (set && !seen.add(node.get(i))) {
                problems.add(new SchemaProblem(SchemaProblem.Kind.DUPLICATE, path + "[" + i + "]", shown(node.get(i))));
            }
        }
    }

    private void string(String value, JsonNode schema, String path, List<SchemaProblem> problems) {
        int length = value.codePointCount(0, value.length());
        if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
            problems.add(new SchemaProblem(
                    SchemaProblem.Kind.TOO_LONG,
                    path,
                    "may not be more than " + schema.get("maxLength").asInt() + " characters, got " + length));
            // A value past its length limit is not matched against the pattern (no regex over a huge string).
            return;
        }
        if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
            problems.add(new SchemaProblem(
                    SchemaProblem.Kind.INVALID,
                    path,
                    Quoted.of(value) + ": should be at least "
                            + schema.get("minLength").asInt() + " chars long"));
        }
        if (schema.has("pattern")) {
            String pattern = schema.get("pattern").asText();
            if (!patterns.computeIfAbsent(pattern, CustomResourceSchemaValidation::goRegexp)
                    .matcher(value)
                    .find()) {
                problems.add(new SchemaProblem(
                        SchemaProblem.Kind.INVALID, path, Quoted.of(value) + ": should match '" + pattern + "'"));
            }
        }
        String format = schema.path("format").asText("");
        if ((format.equals("ipv4") && !IpAddresses.isIpv4(value))
                || (format.equals("ipv6") && !IpAddresses.isIpv6(value))) {
            problems.add(new SchemaProblem(
                    SchemaProblem.Kind.INVALID, path, Quoted.of(value) + ": must be an " + format + " address"));
        }
        if (format.equals("date-time")
                && !value.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})")) {
            problems.add(new SchemaProblem(
                    SchemaProblem.Kind.INVALID, path, Quoted.of(value) + ": must be a date-time (RFC 3339)"));
        }
    }

    private void number(BigDecimal value, JsonNode schema, String path, List<SchemaProblem> problems) {
        if (schema.has("minimum")) {
            BigDecimal minimum = schema.get("minimum").decimalValue();
            boolean exclusive = schema.path("exclusiveMinimum").asBoolean();
            if (exclusive ? value.compareTo(minimum) <= 0 : value.compareTo(minimum) < 0) {
                problems.add(new SchemaProblem(
                        SchemaProblem.Kind.INVALID,
                        path,
                        value.toPlainString() + ": should be greater than or equal to " + minimum.toPlainString()));
            }
        }
        if (schema.has("maximum")) {
            BigDecimal maximum = schema.get("maximum").decimalValue();
            boolean exclusive = schema.path("exclusiveMaximum").asBoolean();
            if (exclusive ? value.compareTo(maximum) >= 0 : value.compareTo(maximum) > 0) {
                problems.add(new SchemaProblem(
                        SchemaProblem.Kind.INVALID,
                        path,
                        value.toPlainString() + ": should be less than or equal to " + maximum.toPlainString()));
            }
        }
        String format = schema.path("format").asText("");
        if (format.equals("int32")
                && (value.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) < 0
                        || value.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0)) {
            problems.add(new SchemaProblem(
                    SchemaProblem.Kind.INVALID, path, value.toPlainString() + ": must be of type int32"));
        }
    }

    private void enumeration(JsonNode node, JsonNode schema, String path, List<SchemaProblem> problems) {
        JsonNode values = schema.get("enum");
        if (values == null || !values.isArray()) {
            return;
        }
        for (JsonNode allowed : values) {
            if (allowed.equals(node)
                    || allowed.isTextual()
                            && node.isTextual()
                            && allowed.asText().equals(node.asText())) {
                return;
            }
        }
        problems.add(new SchemaProblem(
                SchemaProblem.Kind.NOT_SUPPORTED,
                path,
                shown(node) + ": supported values: "
                        + String.join(
                                ", ",
                                StreamSupport.stream(values.spliterator(), false)
                                        .map(v -> "\"" + v.asText() + "\"")
                                        .toList())));
    }

    /**
     * A schema pattern as the API server's Go (RE2) engine reads it: {@code $} is the end of the
     * text, where Java's also matches before a final line break (so {@code "a.com\n"} would pass
     * {@code ^[a-z.]+$}).
     */
    static Pattern goRegexp(String pattern) {
        StringBuilder java = new StringBuilder();
        boolean escaped = false;
        boolean inClass = false;
        for (char c : pattern.toCharArray()) {
            if (escaped) {
                java.append(c);
                escaped = false;
            } else if (c == '\\') {
                java.append(c);
                escaped = true;
            } else if (c == '[') {
                inClass = true;
                java.append(c);
            } else if (c == ']') {
                inClass = false;
                java.append(c);
            } else if (c == '$' && !inClass) {
                java.append("\\z");
            } else {
                java.append(c);
            }
        }
        return Pattern.compile(java.toString());
    }

    private static String child(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String typeOf(JsonNode node) {
        if (node.isIntegralNumber()) {
            return "integer";
        }
        if (node.isNumber()) {
            return "number";
        }
        return node.getNodeType().name().toLowerCase();
    }

    /** A value as shown in a message: text quoted (control characters escaped, long text cut), anything else as JSON, cut. */
    static String shown(JsonNode node) {
        if (node.isTextual()) {
            return Quoted.of(node.asText());
        }
        if (node.isContainerNode()) {
            return node.isObject() ? "{...}" : "[...]";
        }
        return Quoted.of(node.toString());
    }
}
