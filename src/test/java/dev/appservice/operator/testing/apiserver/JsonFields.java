package dev.appservice.operator.testing.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Reading the fields of an object as the API server's Go types see them: absent and null alike. */
final class JsonFields {
    private JsonFields() {}

    static boolean has(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && !value.isNull();
    }

    /** The field's text, or "" when absent (Go's zero value). */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }

    static JsonNode object(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isObject() ? value : null;
    }

    static List<JsonNode> array(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        List<JsonNode> items = new ArrayList<>();
        if (value != null && value.isArray()) {
            value.forEach(items::add);
        }
        return items;
    }

    static List<Map.Entry<String, JsonNode>> entries(JsonNode node, String field) {
        JsonNode value = object(node, field);
        List<Map.Entry<String, JsonNode>> items = new ArrayList<>();
        if (value != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                items.add(it.next());
            }
        }
        return items;
    }

    static String child(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    static String index(String path, int i) {
        return path + "[" + i + "]";
    }

    static String key(String path, String key) {
        return path + "[" + key + "]";
    }
}
