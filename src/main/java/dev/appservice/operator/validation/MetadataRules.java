package dev.appservice.operator.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appservice.operator.model.Quoted;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The API server's rules for the metadata of a namespaced custom resource, as {@code kubectl
 * apply} meets them (k8s.io/apimachinery ValidateObjectMeta): the name a DNS subdomain, the
 * namespace a DNS label, label keys qualified names and values label values, annotation keys
 * qualified names with a lowercase prefix and all annotations together within their size. Read
 * from the object as written (before it is bound), so a value of the wrong type is named as well.
 */
public final class MetadataRules {
    public static final int DNS_SUBDOMAIN_LENGTH = 253;
    public static final int DNS_LABEL_LENGTH = 63;
    public static final int QUALIFIED_NAME_LENGTH = 63;
    public static final int LABEL_VALUE_LENGTH = 63;
    /** All annotations of an object together, keys and values (TotalAnnotationSizeLimitB). */
    public static final int ANNOTATIONS_SIZE_LIMIT = 256 * 1024;

    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    private MetadataRules() {}

    /** The problems of an object's metadata, each naming the field and the limit. */
    public static List<Violation> check(String object, JsonNode metadata) {
        List<Violation> problems = new ArrayList<>();
        if (metadata == null || !metadata.isObject()) {
            problems.add(Violation.error(object, "metadata", "is required (a mapping with at least a name)"));
            return problems;
        }
        JsonNode name = metadata.get("name");
        if (metadata.has("generateName") && (name == null || name.isNull())) {
            problems.add(Violation.error(
                    object, "metadata.generateName", "cannot be used with kubectl apply: set metadata.name"));
        }
        if (name == null || name.isNull() || name.asText().isEmpty()) {
            problems.add(Violation.error(object, "metadata.name", "is required"));
        } else if (!name.isTextual()) {
            problems.add(Violation.error(
                    object,
                    "metadata.name",
                    "must be a string, got " + name.getNodeType().name().toLowerCase()));
        } else {
            dnsSubdomain(object, "metadata.name", name.asText(), problems);
        }
        JsonNode namespace = metadata.get("namespace");
        if (namespace != null && !namespace.isNull()) {
            if (!namespace.isTextual()) {
                problems.add(Violation.error(
                        object,
                        "metadata.namespace",
                        "must be a string, got "
                                + namespace.getNodeType().name().toLowerCase()));
            } else if (!namespace.asText().isEmpty()) {
                dnsLabel(object, "metadata.namespace", namespace.asText(), problems);
            }
        }
        labels(object, metadata.get("labels"), problems);
        annotations(object, metadata.get("annotations"), problems);
        return problems;
    }

    public static void dnsSubdomain(String object, String field, String value, List<Violation> problems) {
        if (value.length() > DNS_SUBDOMAIN_LENGTH) {
            problems.add(Violation.error(
                    object,
                    field,
                    "must be no more than " + DNS_SUBDOMAIN_LENGTH + " characters, got " + value.length()));
        } else if (!DNS_SUBDOMAIN.matcher(value).matches()) {
            problems.add(Violation.error(
                    object,
                    field,
                    "must be a DNS subdomain (lowercase letters, digits, '-' and '.', starting and ending"
                            + " with a letter or digit), got " + Quoted.of(value)));
        }
    }

    public static void dnsLabel(String object, String field, String value, List<Violation> problems) {
        if (value.length() > DNS_LABEL_LENGTH) {
            problems.add(Violation.error(
                    object, field, "must be no more than " + DNS_LABEL_LENGTH + " characters, got " + value.length()));
        } else if (!DNS_LABEL.matcher(value).matches()) {
            problems.add(Violation.error(
                    object,
                    field,
                    "must be a DNS label (lowercase letters, digits and '-', starting and ending"
                            + " with a letter or digit), got " + Quoted.of(value)));
        }
    }

    private static void labels(String object, JsonNode labels, List<Violation> problems) {
        if (labels == null || labels.isNull()) {
            return;
        }
        if (!labels.isObject()) {
            problems.add(Violation.error(object, "metadata.labels", "must be a mapping of strings"));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> label = it.next();
            String field = "metadata.labels[" + Quoted.of(label.getKey()) + "]";
            qualifiedName(object, field, label.getKey(), false, problems);
            if (!label.getValue().isTextual()) {
                problems.add(Violation.error(
                        object,
                        field,
                        "must be a string, got "
                                + label.getValue().getNodeType().name().toLowerCase()));
                continue;
            }
            String value = label.getValue().asText();
            if (value.length() > LABEL_VALUE_LENGTH) {
                problems.add(Violation.error(
                        object,
                        field,
                        "value must be no more than " + LABEL_VALUE_LENGTH + " characters, got " + value.length()));
            } else if (!LABEL_VALUE.matcher(value).matches()) {
                problems.add(Violation.error(
                        object,
                        field,
                        "value must be empty or letters, digits, '-', '_' and '.', starting and ending"
                                + " with a letter or digit, got " + Quoted.of(value)));
            }
        }
    }

    private static void annotations(String object, JsonNode annotations, List<Violation> problems) {
        if (annotations == null || annotations.isNull()) {
            return;
        }
        if (!annotations.isObject()) {
            problems.add(Violation.error(object, "metadata.annotations", "must be a mapping of strings"));
            return;
        }
        long size = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = annotations.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> annotation = it.next();
            String field = "metadata.annotations[" + Quoted.of(annotation.getKey()) + "]";
            qualifiedName(object, field, annotation.getKey(), true, problems);
            if (!annotation.getValue().isTextual()) {
                problems.add(Violation.error(
                        object,
                        field,
                        "must be a string, got "
                                + annotation.getValue().getNodeType().name().toLowerCase()));
                continue;
            }
            size += annotation.getKey().getBytes(StandardCharsets.UTF_8).length
                    + annotation.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
        }
        if (size > ANNOTATIONS_SIZE_LIMIT) {
            problems.add(Violation.error(
                    object,
                    "metadata.annotations",
                    "may not be more than " + ANNOTATIONS_SIZE_LIMIT + " bytes in all, got " + size));
        }
    }

    /** A label or annotation key: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
    private static void qualifiedName(
            String object, String field, String key, boolean lowercasePrefix, List<Violation> problems) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty()
                    || prefix.length() > DNS_SUBDOMAIN_LENGTH
                    || !DNS_SUBDOMAIN
                            .matcher(lowercasePrefix ? prefix.toLowerCase() : prefix)
                            .matches()) {
                problems.add(Violation.error(
                        object,
                        field,
                        "key's prefix must be a DNS subdomain of at most " + DNS_SUBDOMAIN_LENGTH + " characters, got "
                                + Quoted.of(prefix)));
            }
        }
        if (name.isEmpty()
                || name.length() > QUALIFIED_NAME_LENGTH
                || !QUALIFIED_NAME.matcher(name).matches()) {
            problems.add(Violation.error(
                    object,
                    field,
                    "key must be a qualified name (letters, digits, '-', '_' and '.', starting and ending"
                            + " with a letter or digit, at most " + QUALIFIED_NAME_LENGTH + " characters), got "
                            + Quoted.of(name)));
        }
    }
}
