package dev.appservice.operator.testing.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * One example of a rule as data: an edit of a valid object (a JSON pointer set to a YAML value, or
 * removed with {@code null}) and the field the API server names when it refuses the result, or
 * null when it accepts it.
 */
record RuleCase(String name, String pointer, String yamlValue, String refusedField) {

    static RuleCase valid(String name, String pointer, String yamlValue) {
        return new RuleCase(name, pointer, yamlValue, null);
    }

    static RuleCase refused(String name, String pointer, String yamlValue, String field) {
        return new RuleCase(name, pointer, yamlValue, field);
    }

    static Stream<Arguments> arguments(RuleCase... cases) {
        return Stream.of(cases).map(c -> Arguments.of(c.name(), c));
    }

    /** The base object with this case's edit applied. */
    JsonNode applyTo(String baseYaml) {
        JsonNode root = Serialization.unmarshal(baseYaml, JsonNode.class).deepCopy();
        String parentPointer = pointer.substring(0, pointer.lastIndexOf('/'));
        String last = pointer.substring(pointer.lastIndexOf('/') + 1)
                .replace("~1", "/")
                .replace("~0", "~");
        JsonNode parent = root.at(parentPointer.isEmpty() ? "" : parentPointer);
        JsonNode value = yamlValue == null ? null : parse(yamlValue);
        if (parent instanceof ObjectNode object) {
            if (value == null) {
                object.remove(last);
            } else {
                object.set(last, value);
            }
        } else if (parent instanceof ArrayNode array) {
            int index = last.equals("-") ? array.size() : Integer.parseInt(last);
            if (value == null) {
                array.remove(index);
            } else if (index == array.size()) {
                array.add(value);
            } else {
                array.set(index, value);
            }
        } else {
            throw new IllegalArgumentException("no parent at " + parentPointer);
        }
        return root;
    }

    /**
     * The YAML value. A plain single-quoted string (no quote or line break inside) is taken as it
     * is, as YAML reads it: the parser takes seconds over the megabyte-long ones.
     */
    private static JsonNode parse(String yamlValue) {
        if (yamlValue.length() >= 2
                && yamlValue.startsWith("'")
                && yamlValue.endsWith("'")
                && yamlValue.indexOf('\'', 1) == yamlValue.length() - 1
                && yamlValue.indexOf('\n') < 0) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(yamlValue.substring(1, yamlValue.length() - 1));
        }
        return Serialization.unmarshal("v: " + yamlValue, JsonNode.class).get("v");
    }

    /** The validation, read from the project's CRDs once for every case. */
    private static final class Validation {
        static final KubernetesApiValidation OF_PROJECT =
                new KubernetesApiValidation(CustomResourceSchemas.fromProject());
    }

    /** Applies the case to a base object and checks the validation's answer: no error, or one naming the field. */
    void check(String base) {
        var errors = Validation.OF_PROJECT.validate(applyTo(base), null);
        if (refusedField() == null) {
            org.assertj.core.api.Assertions.assertThat(errors).isEmpty();
        } else {
            org.assertj.core.api.Assertions.assertThat(refusedFields(errors)).contains(refusedField());
        }
    }

    static List<String> refusedFields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }
}
