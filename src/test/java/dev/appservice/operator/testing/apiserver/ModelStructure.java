package dev.appservice.operator.testing.apiserver;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The structure and types of a built-in object, from the Kubernetes OpenAPI schemas as Fabric8's
 * model carries them (its classes are generated from the Kubernetes 1.34 OpenAPI document: one
 * class per definition, one typed property per schema property). A field no definition has is
 * refused as {@code fieldValidation=Strict} (kubectl's default) refuses it; a value of the wrong
 * JSON type is refused as the API server's decoder refuses it.
 */
public final class ModelStructure {
    private static final ObjectMapper MAPPER = Serialization.jsonMapper();
    private static final Map<JavaType, Map<String, JavaType>> PROPERTIES = new ConcurrentHashMap<>();

    private ModelStructure() {}

    public static void validate(JsonNode object, Class<?> modelClass, FieldErrors errors) {
        check(object, MAPPER.constructType(modelClass), "", errors);
    }

    private static void check(JsonNode node, JavaType type, String path, FieldErrors errors) {
        if (node == null || node.isNull()) {
            return;
        }
        Class<?> raw = type.getRawClass();
        if (raw == String.class) {
            expect(node.isTextual(), node, "string", path, errors);
        } else if (raw == Integer.class || raw == int.class) {
            expect(node.isIntegralNumber() && node.canConvertToInt(), node, "integer (int32)", path, errors);
        } else if (raw == Long.class || raw == long.class) {
            expect(node.isIntegralNumber() && node.canConvertToLong(), node, "integer (int64)", path, errors);
        } else if (raw == Boolean.class || raw == boolean.class) {
            expect(node.isBoolean(), node, "boolean", path, errors);
        } else if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class) {
            expect(node.isNumber(), node, "number", path, errors);
        } else if (raw == IntOrString.class) {
            expect(
                    node.isTextual() || node.isIntegralNumber() && node.canConvertToInt(),
                    node,
                    "integer or string",
                    path,
                    errors);
        } else if (raw == Quantity.class) {
            expect(node.isTextual() || node.isNumber(), node, "quantity (string or number)", path, errors);
        } else if (raw == MicroTime.class) {
            expect(node.isTextual(), node, "string (RFC 3339 time)", path, errors);
        } else if (Map.class.isAssignableFrom(raw)) {
            if (expect(node.isObject(), node, "object", path, errors)) {
                JavaType values = type.getContentType();
                node.fields()
                        .forEachRemaining(e -> check(e.getValue(), values, JsonFields.key(path, e.getKey()), errors));
            }
        } else if (Collection.class.isAssignableFrom(raw)) {
            if (expect(node.isArray(), node, "array", path, errors)) {
                for (int i = 0; i < node.size(); i++) {
                    check(node.get(i), type.getContentType(), JsonFields.index(path, i), errors);
                }
            }
        } else if (raw.getName().startsWith("io.fabric8.kubernetes.api.model")
                && !raw.isInterface()
                && !java.lang.reflect.Modifier.isAbstract(raw.getModifiers())) {
            if (expect(node.isObject(), node, "object", path, errors)) {
                Map<String, JavaType> properties = properties(type);
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    JavaType fieldType = properties.get(field.getKey());
                    if (fieldType == null) {
                        errors.add(
                                FieldError.Type.UNKNOWN_FIELD,
                                JsonFields.child(path, field.getKey()),
                                "field not declared in schema (" + raw.getSimpleName() + ")");
                    } else {
                        check(field.getValue(), fieldType, JsonFields.child(path, field.getKey()), errors);
                    }
                }
            }
        }
        // Anything else (Object, JsonNode, raw extensions) is free-form in the schema too.
    }

    private static Map<String, JavaType> properties(JavaType type) {
        return PROPERTIES.computeIfAbsent(type, t -> {
            Map<String, JavaType> properties = new HashMap<>();
            for (BeanPropertyDefinition property :
                    MAPPER.getDeserializationConfig().introspect(t).findProperties()) {
                if (property.hasSetter() || property.hasField() || property.hasConstructorParameter()) {
                    properties.put(property.getName(), property.getPrimaryType());
                }
            }
            return properties;
        });
    }

    private static boolean expect(boolean holds, JsonNode node, String expected, String path, FieldErrors errors) {
        if (!holds) {
            errors.add(
                    FieldError.Type.TYPE_INVALID,
                    path,
                    "expected " + expected + ", got "
                            + node.getNodeType().name().toLowerCase());
        }
        return holds;
    }
}
