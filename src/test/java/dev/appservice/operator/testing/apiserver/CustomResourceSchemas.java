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
    /**
     * Other projects' CRDs whose objects the operator writes whole (the egress gateway providers':
     * Cilium, Antrea, OVN-Kubernetes), as fetched by {@code e2e/providers/fetch-crds}: their specs
     * are the operator's, so they are validated too.
     */
    public static final Path PROVIDER_CRDS = Path.of("src/test/resources/provider-crds");

    private final CustomResourceSchemaValidation validation;
    /** apiVersion/kind of the kinds validated whole, spec included. */
    private final java.util.Set<String> whole;

    public CustomResourceSchemas(List<CustomResourceDefinition> definitions) {
        this(definitions, List.of());
    }

    public CustomResourceSchemas(List<CustomResourceDefinition> definitions, List<CustomResourceDefinition> written) {
        List<CustomResourceDefinition> all = new java.util.ArrayList<>(definitions);
        all.addAll(written);
        this.validation = new CustomResourceSchemaValidation(all);
        this.whole = new java.util.HashSet<>();
        for (CustomResourceDefinition crd : written) {
            crd.getSpec()
                    .getVersions()
                    .forEach(version -> whole.add(crd.getSpec().getGroup() + "/" + version.getName() + "/"
                            + crd.getSpec().getNames().getKind()));
        }
    }

    /** The project's CRDs, from the folder {@code crds/} of the working directory, and the providers' CRDs. */
    public static CustomResourceSchemas fromProject() {
        return new CustomResourceSchemas(read(Path.of("crds")), read(PROVIDER_CRDS));
    }

    /** The CRDs of a folder, one per file. */
    public static List<CustomResourceDefinition> read(Path folder) {
        try (var files = Files.list(folder)) {
            return files.filter(file -> file.toString().endsWith(".yaml"))
                    .sorted()
                    .map(file -> {
                        try {
                            return Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether objects of this kind are the operator's whole, spec included. */
    public boolean writtenWhole(String apiVersion, String kind) {
        return whole.contains(apiVersion + "/" + kind);
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
     * The spec is the user's input: a real API server refuses a spec its schema does not accept,
     * webhook or not, and the operator's own rules check only what the schema cannot say (issue 32).
     * Tests that store specs to see the reconcilers cope (HostileReconcileTest, InvalidSpecTest: a
     * bypassed webhook) store only what the schema accepts ({@code testing/BeforeAdmission}).
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
