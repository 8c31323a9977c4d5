package dev.appservice.operator.schema;

/**
 * One field a CRD's schema refuses, as the API server reports it in a 422 cause: the kind of
 * refusal, the field path ({@code spec.hostNames[0]}, {@code metadata.labels[app]}) and the detail,
 * which names the limit and shows the user's value only through {@code Quoted}.
 */
public record SchemaProblem(Kind kind, String field, String detail) {

    /** The cause reasons of k8s.io/apimachinery/pkg/util/validation/field that schemas produce. */
    public enum Kind {
        INVALID("Invalid value"),
        REQUIRED("Required value"),
        DUPLICATE("Duplicate value"),
        NOT_SUPPORTED("Unsupported value"),
        TOO_LONG("Too long"),
        TYPE_INVALID("Invalid value"),
        UNKNOWN_FIELD("Unknown field"),
        TOO_MANY("Too many");

        public final String summary;

        Kind(String summary) {
            this.summary = summary;
        }
    }

    /** {@code spec.instances: Invalid value: "12": expected integer, got string}. */
    public String message() {
        return field + ": " + kind.summary + (detail.isEmpty() ? "" : ": " + detail);
    }
}
