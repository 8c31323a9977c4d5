package dev.appservice.operator.validation;

import dev.appservice.operator.model.Quoted;

/**
 * One problem with a custom resource: which object, which field, and what is wrong (with the
 * limit where there is one). {@code warning} problems are reported but do not reject the object.
 */
public record Violation(String object, String field, String message, boolean warning) {

    public static Violation error(String object, String field, String message) {
        return new Violation(object, field, message, false);
    }

    public static Violation warning(String object, String field, String message) {
        return new Violation(object, field, message, true);
    }

    /** {@code IsolatedPlan ns/name: spec.instances must be between 1 and 100, got 120}. */
    public String describe() {
        return Quoted.escaped(object + ": " + (field == null || field.isEmpty() ? "" : field + " ") + message);
    }
}
