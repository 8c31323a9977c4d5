package dev.appservice.operator.install;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** Kubernetes objects parsed from multi-document YAML, as plain maps (for exact comparison) or typed. */
record Manifest(List<Map<String, Object>> objects) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static Manifest parse(String yaml) {
        List<Map<String, Object>> objects = new ArrayList<>();
        try (MappingIterator<Map<String, Object>> documents =
                YAML.readerFor(new TypeReference<Map<String, Object>>() {}).readValues(yaml)) {
            while (documents.hasNext()) {
                Map<String, Object> document = documents.next();
                if (document != null && !document.isEmpty()) {
                    objects.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Manifest(List.copyOf(objects));
    }

    static String kind(Map<String, Object> object) {
        return (String) object.get("kind");
    }

    @SuppressWarnings("unchecked")
    static String name(Map<String, Object> object) {
        return (String) ((Map<String, Object>) object.get("metadata")).get("name");
    }

    @SuppressWarnings("unchecked")
    static String namespace(Map<String, Object> object) {
        return (String) ((Map<String, Object>) object.get("metadata")).get("namespace");
    }

    /** "Kind namespace/name" (or "Kind name" for cluster-scoped objects) of every object, in order. */
    List<String> identities() {
        return objects.stream().map(Manifest::identity).toList();
    }

    static String identity(Map<String, Object> object) {
        String namespace = namespace(object);
        return kind(object) + " " + (namespace == null ? "" : namespace + "/") + name(object);
    }

    List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(kind(o))).toList();
    }

    <T> List<T> ofKind(String kind, Class<T> type) {
        return ofKind(kind).stream()
                .map(o -> SERIALIZATION.convertValue(o, type))
                .toList();
    }

    <T> T one(String kind, Class<T> type) {
        List<T> all = ofKind(kind, type);
        if (all.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + all.size() + " in " + identities());
        }
        return all.get(0);
    }

    /** The one object of that kind and name (in any namespace). */
    <T> T named(String kind, String name, Class<T> type) {
        List<Map<String, Object>> all =
                ofKind(kind).stream().filter(o -> name.equals(name(o))).toList();
        if (all.size() != 1) {
            throw new AssertionError(
                    "expected one " + kind + " " + name + ", found " + all.size() + " in " + identities());
        }
        return SERIALIZATION.convertValue(all.get(0), type);
    }

    /** The objects keyed by identity; fails on duplicates. */
    Map<String, Map<String, Object>> byIdentity() {
        return objects.stream().collect(Collectors.toMap(Manifest::identity, o -> o, (a, b) -> {
            throw new AssertionError("duplicate object " + identity(a));
        }));
    }

    /**
     * The value with numbers compared as JSON compares them: 55 and 55.0 are one number
     * (kustomize writes the CRD generator's 55.0 as 55).
     */
    @SuppressWarnings("unchecked")
    static Object normalized(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> copy.put(k, normalized(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Manifest::normalized).toList();
        }
        if (value instanceof Number number) {
            java.math.BigDecimal decimal = new java.math.BigDecimal(number.toString()).stripTrailingZeros();
            return decimal.scale() <= 0 ? (Object) decimal.toBigIntegerExact() : decimal;
        }
        return value;
    }

    static <T> T convert(Object value, Class<T> type) {
        return SERIALIZATION.convertValue(Objects.requireNonNull(value), type);
    }
}
