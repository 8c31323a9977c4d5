package dev.appservice.operator.testing.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appservice.operator.schema.CustomResourceSchemaValidation;
import dev.appservice.operator.schema.SchemaProblem;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The custom resources' OpenAPI v3 schemas, read from the CRDs the project installs ({@code crds/}),
 * applied by the operator's own {@link CustomResourceSchemaValidation} (the one {@code validate}
 * and {@code render} use: structural validation and the CEL rules), its problems reported as the
 * API server's field errors.
 */
public final class CustomResourceSchemas {
    private final CustomResourceSchemaValidation validation;

    public CustomResourceSchemas(List<CustomResourceDefinition> definitions) {
        this.validation = new CustomResourceSchemaValidation(definitions);
    }

    /** The project's CRDs, from the folder {@code crds/} of the working directory. */
    public static CustomResourceSchemas fromProject() {
        try (var files = Files.list(Path.of("crds"))) {
            return new CustomResourceSchemas(files.sorted()
                    .map(file -> {
                        try {
                            return Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean knows(String apiVersion, String kind) {
        return validation.knows(apiVersion, kind);
    }

    public boolean namespaced(String apiVersion, String kind) {
        return validation.namespaced(apiVersion, kind);
    }

    /** The whole object but its metadata against the schema. */
    public void validate(JsonNode object, String apiVersion, String kind, FieldErrors errors) {
        report(validation.validate(object, apiVersion, kind), errors);
    }

    /**
     * What the operator writes of a custom resource against the schema: everything but the spec.
     * The spec is the user's input, refused at admission; tests store specs the schema refuses on
     * purpose (HostileReconcileTest, InvalidSpecTest: a bypassed webhook, an object stored under an
     * older schema) to see the reconcilers cope.
     */
    public void validateExceptSpec(JsonNode object, String apiVersion, String kind, FieldErrors errors) {
        report(
                validation.validate(object, apiVersion, kind, List.of("apiVersion", "kind", "metadata", "spec")),
                errors);
    }

    private static void report(List<SchemaProblem> problems, FieldErrors errors) {
        for (SchemaProblem problem : problems) {
            errors.add(
                    switch (problem.kind()) {
                        case INVALID -> FieldError.Type.INVALID;
                        case REQUIRED -> FieldError.Type.REQUIRED;
                        case DUPLICATE -> FieldError.Type.DUPLICATE;
                        case NOT_SUPPORTED -> FieldError.Type.NOT_SUPPORTED;
                        case TOO_LONG -> FieldError.Type.TOO_LONG;
                        case TYPE_INVALID -> FieldError.Type.TYPE_INVALID;
                        case UNKNOWN_FIELD -> FieldError.Type.UNKNOWN_FIELD;
                        case TOO_MANY -> FieldError.Type.TOO_MANY;
                    },
                    problem.field(),
                    problem.detail());
        }
    }
}
