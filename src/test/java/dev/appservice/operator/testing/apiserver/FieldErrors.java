package dev.appservice.operator.testing.apiserver;

import dev.appservice.operator.testing.apiserver.FieldError.Type;
import java.util.ArrayList;
import java.util.List;

/** The field errors found in one object, collected as the rules walk it. */
public final class FieldErrors {
    private final List<FieldError> errors = new ArrayList<>();

    public void add(Type type, String field, String detail) {
        errors.add(new FieldError(type, field, detail));
    }

    public void invalid(String field, Object value, String detail) {
        add(Type.INVALID, field, quote(value) + ": " + detail);
    }

    public void required(String field, String detail) {
        add(Type.REQUIRED, field, detail);
    }

    public void duplicate(String field, Object value) {
        add(Type.DUPLICATE, field, quote(value));
    }

    public void notSupported(String field, Object value, List<String> supported) {
        add(
                Type.NOT_SUPPORTED,
                field,
                quote(value) + ": supported values: "
                        + String.join(
                                ", ",
                                supported.stream().map(s -> "\"" + s + "\"").toList()));
    }

    public void forbidden(String field, String detail) {
        add(Type.FORBIDDEN, field, detail);
    }

    public void tooLong(String field, long max) {
        add(Type.TOO_LONG, field, "may not be more than " + max + " bytes");
    }

    /** Adds one invalid-value error per message a format check returned. */
    public void invalidEach(String field, Object value, List<String> messages) {
        for (String message : messages) {
            invalid(field, value, message);
        }
    }

    public List<FieldError> list() {
        return List.copyOf(errors);
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    private static String quote(Object value) {
        if (value instanceof String s) {
            String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
            return "\"" + shown.replace("\n", "\\n") + "\"";
        }
        return String.valueOf(value);
    }
}
