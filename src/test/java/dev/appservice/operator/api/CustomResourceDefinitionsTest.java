package dev.appservice.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CRDs under {@code crds/} are generated from the api package and committed. This test
 * generates them again and fails when the committed files are stale. To refresh them after
 * changing the types: {@code ./mvnw test -Dtest=CustomResourceDefinitionsTest -Dcrds.update=true}.
 */
class CustomResourceDefinitionsTest {
    static final Path COMMITTED = Path.of("crds");
    static final List<Class<?>> TYPES = List.of(AppServiceEnvironment.class, IsolatedPlan.class, WebApp.class);
    static Map<String, String> generated;

    @BeforeAll
    static void generate() throws IOException {
        Path out = Files.createTempDirectory("crds");
        new CRDGenerator()
                .inOutputDir(out.toFile())
                .forCRDVersions("v1")
                .customResourceClasses(TYPES.stream()
                        .map(c -> c.asSubclass(io.fabric8.kubernetes.client.CustomResource.class))
                        .toArray(Class[]::new))
                .generate();
        generated = new java.util.TreeMap<>();
        try (var files = Files.list(out)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString().replace("-v1.yml", ".yaml");
                generated.put(name, withDeclaredColumnOrder(Files.readString(f)));
            }
        }
        if (Boolean.getBoolean("crds.update")) {
            Files.createDirectories(COMMITTED);
            for (var e : generated.entrySet()) {
                Files.writeString(COMMITTED.resolve(e.getKey()), e.getValue());
            }
        }
    }

    @Test
    void committedCrdsMatchTheTypes() throws IOException {
        assertThat(generated)
                .containsOnlyKeys(
                        "appserviceenvironments.appservice.dev.yaml",
                        "isolatedplans.appservice.dev.yaml",
                        "webapps.appservice.dev.yaml");
        for (var e : generated.entrySet()) {
            Path committed = COMMITTED.resolve(e.getKey());
            assertThat(committed)
                    .as("crds/%s is missing: run the update command in this test's comment", e.getKey())
                    .exists();
            assertThat(Files.readString(committed))
                    .as(
                            "crds/%s is stale: run ./mvnw test -Dtest=CustomResourceDefinitionsTest -Dcrds.update=true",
                            e.getKey())
                    .isEqualTo(e.getValue());
        }
        try (var files = Files.list(COMMITTED)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList())
                    .as("crds/ holds only generated CRDs")
                    .containsExactlyInAnyOrderElementsOf(generated.keySet());
        }
    }

    @Test
    void environmentCrdHasNamesColumnsSubresourcesAndDescriptions() {
        CustomResourceDefinition crd = load("appserviceenvironments.appservice.dev.yaml");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("ase");
        assertThat(crd.getSpec().getNames().getCategories()).containsExactly("appservice");
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
        assertThat(v.getName()).isEqualTo("v1alpha1");
        assertThat(v.getSubresources().getStatus()).isNotNull();
        assertThat(v.getAdditionalPrinterColumns())
                .extracting(c -> c.getName())
                .containsExactly("Version", "Load Balancer", "Front Ends", "Instances", "Ready", "Age");
        JSONSchemaProps spec =
                v.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        assertThat(spec.getRequired()).contains("virtualNetwork");
        assertThat(spec.getProperties().get("version").getEnum())
                .extracting(Object::toString)
                .containsExactly("\"V1\"", "\"V2\"");
        assertThat(spec.getProperties().get("maxInstances").getMaximum()).isEqualTo(200.0);
        // API.md: the Pod Security level of app containers defaults to Restricted, filled in by the API server.
        assertThat(spec.getProperties().get("podSecurity").getDefault().asText())
                .isEqualTo("Restricted");
        assertThat(spec.getProperties().get("podSecurity").getEnum())
                .extracting(Object::toString)
                .containsExactlyInAnyOrder("\"Baseline\"", "\"Restricted\"");
        assertThat(spec.getProperties()
                        .get("frontEnd")
                        .getProperties()
                        .get("scaleFactor")
                        .getMinimum())
                .isEqualTo(5.0);
        assertThat(spec.getProperties()
                        .get("frontEnd")
                        .getProperties()
                        .get("scaleFactor")
                        .getMaximum())
                .isEqualTo(15.0);
        assertThat(spec.getProperties().get("workerPools").getMaxItems()).isEqualTo(3L);
        assertThat(spec.getProperties()
                        .get("virtualNetwork")
                        .getProperties()
                        .get("subnet")
                        .getPattern())
                .isNotBlank();
        assertThat(spec.getProperties().get("virtualNetwork").getDescription()).isNotBlank();
        assertThat(spec.getProperties().get("version").getXKubernetesValidations())
                .anySatisfy(rule -> assertThat(rule.getRule()).isEqualTo("self == oldSelf"));
        // Per-object V1/V2 rules are CEL rules on the spec, checked by the API server itself.
        assertThat(spec.getXKubernetesValidations())
                .extracting(r -> r.getMessage())
                .contains(
                        "spec.frontEnd.count is required for a V1 environment",
                        "spec.workerPools needs at least one pool for a V1 environment",
                        "spec.workerPools is for V1 environments only");
    }

    @Test
    void planCrdHasScaleSubresourceForKubectlScaleAndHpa() {
        CustomResourceDefinition crd = load("isolatedplans.appservice.dev.yaml");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("iplan");
        assertThat(crd.getSpec().getNames().getCategories()).containsExactly("appservice");
        CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
        assertThat(v.getSubresources().getScale().getSpecReplicasPath()).isEqualTo(".spec.instances");
        assertThat(v.getSubresources().getScale().getStatusReplicasPath()).isEqualTo(".status.instances");
        assertThat(v.getSubresources().getScale().getLabelSelectorPath()).isEqualTo(".status.selector");
        assertThat(v.getAdditionalPrinterColumns())
                .extracting(c -> c.getName())
                .containsExactly("Environment", "OS", "Size", "Instances", "Ready Instances", "Ready", "Age");
        JSONSchemaProps spec =
                v.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        assertThat(spec.getProperties().get("instances").getMinimum()).isEqualTo(1.0);
        assertThat(spec.getProperties().get("instances").getMaximum()).isEqualTo(100.0);
        assertThat(spec.getRequired()).contains("environmentName");
        assertThat(spec.getProperties().get("environmentName").getXKubernetesValidations())
                .singleElement()
                .satisfies(rule -> {
                    assertThat(rule.getRule()).isEqualTo("self == oldSelf");
                    assertThat(rule.getMessage()).isEqualTo("spec.environmentName is immutable");
                });
        JSONSchemaProps os = spec.getProperties().get("os");
        assertThat(os.getEnum()).extracting(JsonNode::asText).containsExactly("Linux", "Windows");
        assertThat(os.getDefault().asText()).isEqualTo("Linux");
        assertThat(os.getDescription()).contains("Windows nodes", "Immutable");
        assertThat(os.getXKubernetesValidations()).singleElement().satisfies(rule -> {
            assertThat(rule.getRule()).isEqualTo("self == oldSelf");
            assertThat(rule.getMessage()).isEqualTo("spec.os is immutable");
        });
    }

    /**
     * The generator orders printer columns by JSON path, which puts Age first; kubectl shows them
     * in the order of the CRD, so they are put back in the order the type declares them.
     */
    private static String withDeclaredColumnOrder(String yaml) {
        CustomResourceDefinition crd = Serialization.unmarshal(yaml, CustomResourceDefinition.class);
        Class<?> type = TYPES.stream()
                .filter(t -> t.getSimpleName().equals(crd.getSpec().getNames().getKind()))
                .findFirst()
                .orElseThrow();
        List<String> declared = java.util.Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name)
                .toList();
        for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
            version.getAdditionalPrinterColumns()
                    .sort(java.util.Comparator.comparing(c -> declared.indexOf(c.getName())));
        }
        return Serialization.asYaml(crd);
    }

    @Test
    void webAppCrdUsesWappNotAppAndValidatesItsFields() {
        CustomResourceDefinition crd = load("webapps.appservice.dev.yaml");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("wapp");
        assertThat(crd.getSpec().getNames().getCategories()).containsExactly("appservice");
        CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
        assertThat(v.getSubresources().getStatus()).isNotNull();
        assertThat(v.getAdditionalPrinterColumns())
                .extracting(c -> c.getName())
                .containsExactly("Kind", "Plan", "Image", "URL", "Ready", "Reason", "Age");
        JSONSchemaProps spec =
                v.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        assertThat(spec.getRequired()).contains("planName", "image");
        assertThat(spec.getProperties().get("port").getMaximum()).isEqualTo(65535.0);
        assertThat(spec.getProperties().get("planName").getXKubernetesValidations())
                .singleElement()
                .satisfies(rule -> assertThat(rule.getMessage()).isEqualTo("spec.planName is immutable"));
        JSONSchemaProps kind = spec.getProperties().get("kind");
        assertThat(kind.getDefault().asText()).isEqualTo("app");
        assertThat(kind.getPattern()).isEqualTo("^(app|functionapp)$");
        assertThat(kind.getXKubernetesValidations())
                .singleElement()
                .satisfies(rule -> assertThat(rule.getMessage()).isEqualTo("spec.kind is immutable"));
        JSONSchemaProps functions = spec.getProperties().get("functions");
        assertThat(functions.getRequired()).containsExactlyInAnyOrder("runtime", "storage");
        assertThat(functions.getProperties().get("runtime").getDescription())
                .contains("FUNCTIONS_WORKER_RUNTIME", "dotnet-isolated", "powershell");
        assertThat(functions.getProperties().get("storage").getRequired()).containsExactlyInAnyOrder("name", "key");
        assertThat(functions.getDescription()).contains("keys", "Secret");
    }

    private static CustomResourceDefinition load(String name) {
        return Serialization.unmarshal(generated.get(name), CustomResourceDefinition.class);
    }
}
