package dev.appservice.operator.testing.apiserver;

import static dev.appservice.operator.testing.apiserver.JsonFields.entries;
import static dev.appservice.operator.testing.apiserver.JsonFields.has;
import static dev.appservice.operator.testing.apiserver.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** core/v1 ConfigMap and Secret data as ValidateConfigMap and ValidateSecret check it. */
public final class ConfigDataRules {
    /** MaxSecretSize, and the ConfigMap's total-size limit (1 MiB). */
    public static final long MAX_SIZE = 1024 * 1024;

    private ConfigDataRules() {}

    public static void validateConfigMap(JsonNode configMap, JsonNode previous, FieldErrors errors) {
        ObjectMetaRules.validate(configMap.get("metadata"), true, NameFormats::dns1123Subdomain, errors);
        long size = 0;
        Set<String> keys = new HashSet<>();
        for (Map.Entry<String, JsonNode> e : entries(configMap, "data")) {
            errors.invalidEach("data[" + e.getKey() + "]", e.getKey(), NameFormats.configMapKey(e.getKey()));
            keys.add(e.getKey());
            size += e.getKey().length() + e.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
        }
        for (Map.Entry<String, JsonNode> e : entries(configMap, "binaryData")) {
            errors.invalidEach("binaryData[" + e.getKey() + "]", e.getKey(), NameFormats.configMapKey(e.getKey()));
            if (!keys.add(e.getKey())) {
                errors.invalid("data[" + e.getKey() + "]", e.getKey(), "duplicate of key present in binaryData");
            }
            size += e.getKey().length()
                    + decodedLength(e.getValue().asText(), "binaryData[" + e.getKey() + "]", errors);
        }
        if (size > MAX_SIZE) {
            errors.tooLong("", MAX_SIZE);
        }
        immutable(configMap, previous, errors);
    }

    public static void validateSecret(JsonNode secret, JsonNode previous, FieldErrors errors) {
        ObjectMetaRules.validate(secret.get("metadata"), true, NameFormats::dns1123Subdomain, errors);
        long size = 0;
        for (Map.Entry<String, JsonNode> e : entries(secret, "data")) {
            errors.invalidEach("data[" + e.getKey() + "]", e.getKey(), NameFormats.configMapKey(e.getKey()));
            size += decodedLength(e.getValue().asText(), "data[" + e.getKey() + "]", errors);
        }
        for (Map.Entry<String, JsonNode> e : entries(secret, "stringData")) {
            errors.invalidEach("stringData[" + e.getKey() + "]", e.getKey(), NameFormats.configMapKey(e.getKey()));
            size += e.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
        }
        if (size > MAX_SIZE) {
            errors.tooLong("data", MAX_SIZE);
        }
        String type = text(secret, "type");
        if (type.equals("kubernetes.io/tls")) {
            for (String key : new String[] {"tls.crt", "tls.key"}) {
                if (!has(secret.get("data"), key) && !has(secret.get("stringData"), key)) {
                    errors.required("data[" + key + "]", "");
                }
            }
        }
        if (previous != null
                && !text(previous, "type").isEmpty()
                && !text(previous, "type").equals(type.isEmpty() ? "Opaque" : type)) {
            errors.invalid("type", type, "field is immutable");
        }
        immutable(secret, previous, errors);
    }

    private static void immutable(JsonNode object, JsonNode previous, FieldErrors errors) {
        if (previous == null
                || !has(previous, "immutable")
                || !previous.get("immutable").asBoolean()) {
            return;
        }
        if (!has(object, "immutable") || !object.get("immutable").asBoolean()) {
            errors.forbidden("immutable", "field is immutable when `immutable` is set");
        }
        for (String field : new String[] {"data", "binaryData"}) {
            JsonNode before = previous.get(field);
            JsonNode after = object.get(field);
            if (before == null ? after != null && !after.isEmpty() : !before.equals(after)) {
                errors.forbidden(field, "field is immutable when `immutable` is set");
            }
        }
    }

    private static long decodedLength(String base64, String path, FieldErrors errors) {
        try {
            return Base64.getDecoder().decode(base64).length;
        } catch (IllegalArgumentException e) {
            errors.invalid(path, "<binary>", "illegal base64 data");
            return 0;
        }
    }
}
