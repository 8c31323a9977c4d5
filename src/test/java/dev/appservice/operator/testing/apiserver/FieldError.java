package dev.appservice.operator.testing.apiserver;

/**
 * One field an API server refuses, as it reports it in a 422 Status cause: the reason type
 * ({@code FieldValueInvalid}, {@code FieldValueRequired}, ...), the field path and the detail.
 */
public record FieldError(Type type, String field, String detail) {

    /** The cause reasons of k8s.io/apimachinery/pkg/util/validation/field. */
    public enum Type {
        INVALID("FieldValueInvalid", "Invalid value"),
        REQUIRED("FieldValueRequired", "Required value"),
        DUPLICATE("FieldValueDuplicate", "Duplicate value"),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
        FORBIDDEN("FieldValueForbidden", "Forbidden"),
        TOO_LONG("FieldValueTooLong", "Too long"),
        TYPE_INVALID("FieldValueTypeInvalid", "Invalid value"),
        UNKNOWN_FIELD("FieldValueInvalid", "Unknown field"),
        NOT_FOUND("FieldValueNotFound", "Not found"),
        TOO_MANY("FieldValueTooMany", "Too many");

        public final String reason;
        public final String summary;

        Type(String reason, String summary) {
            this.reason = reason;
            this.summary = summary;
        }
    }

    public String message() {
        return field + ": " + type.summary + (detail.isEmpty() ? "" : ": " + detail);
    }
}
