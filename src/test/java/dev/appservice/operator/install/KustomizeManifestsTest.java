package dev.appservice.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code k8s/} holds plain manifests for {@code kubectl apply -k k8s/}: the Namespace, the CRDs
 * (byte-identical copies of {@code crds/}) and the chart's default rendering, without the two
 * labels that only mean something to Helm ({@code helm.sh/chart}, {@code app.kubernetes.io/managed-by}).
 * This test runs {@code kubectl kustomize k8s/} and fails when its objects differ from the chart's.
 *
 * <p>To regenerate {@code k8s/} and the chart's CRDs after changing the chart or the CRDs:
 * {@code ./mvnw test -Dtest=KustomizeManifestsTest -Dinstall.update=true}.
 */
class KustomizeManifestsTest {
    static final Path K8S = Path.of("k8s");
    static final Path RENDERED = K8S.resolve("ase-operator.yaml");
    static final List<String> HELM_ONLY_LABELS = List.of("helm.sh/chart", "app.kubernetes.io/managed-by");

    @BeforeAll
    static void updateWhenAsked() throws IOException {
        if (!Boolean.getBoolean("install.update")) {
            return;
        }
        for (Path target : List.of(HelmChartTest.CHART_CRDS, K8S.resolve("crds"))) {
            Files.createDirectories(target);
            try (var old = Files.list(target)) {
                for (Path f : old.toList()) {
                    Files.delete(f);
                }
            }
            try (var crds = Files.list(CustomResourceDefinitionFiles.GENERATED)) {
                for (Path crd : crds.sorted().toList()) {
                    Files.copy(crd, target.resolve(crd.getFileName()));
                }
            }
        }
        StringWriter out = new StringWriter();
        out.write("# Generated from helm/ase-operator with its default values (release and namespace ase-operator),\n"
                + "# without Helm's own labels. Do not edit: change the chart, then run\n"
                + "#   ./mvnw test -Dtest=KustomizeManifestsTest -Dinstall.update=true\n");
        ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder()
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .build());
        for (Map<String, Object> object : withoutHelmLabels(HelmChart.render()).objects()) {
            out.write(yaml.writeValueAsString(object));
        }
        Files.writeString(RENDERED, out.toString());
    }

    @Test
    void kustomizeYieldsTheChartsDefaultRenderingPlusNamespaceAndCrds() throws Exception {
        Manifest kustomized = Manifest.parse(kubectl("kustomize", K8S.toString()));

        Map<String, Map<String, Object>> expected =
                new LinkedHashMap<>(withoutHelmLabels(HelmChart.render()).byIdentity());
        for (Path crd : crdFiles(HelmChartTest.CHART_CRDS)) {
            expected.putAll(Manifest.parse(Files.readString(crd)).byIdentity());
        }
        Map<String, Map<String, Object>> actual = new LinkedHashMap<>(kustomized.byIdentity());
        Map<String, Object> namespace = actual.remove("Namespace ase-operator");
        assertThat(namespace).as("k8s/ creates the operator's namespace").isNotNull();
        assertThat(namespace)
                .extractingByKey("metadata")
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .extractingByKey("labels")
                .isEqualTo(Map.of(
                        "pod-security.kubernetes.io/enforce",
                        "restricted",
                        "app.kubernetes.io/part-of",
                        "ase-operator"));

        assertThat(actual.keySet())
                .as("the objects of k8s/: " + CustomResourceDefinitionFiles.UPDATE_COMMAND)
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (String identity : expected.keySet()) {
            assertThat(Manifest.normalized(actual.get(identity)))
                    .as(
                            "%s in k8s/ differs from the chart's: %s",
                            identity, CustomResourceDefinitionFiles.UPDATE_COMMAND)
                    .isEqualTo(Manifest.normalized(expected.get(identity)));
        }
    }

    @Test
    void k8sCrdsAreByteIdenticalToTheGeneratedOnes() throws IOException {
        Map<String, byte[]> generated = HelmChartTest.files(CustomResourceDefinitionFiles.GENERATED);
        Map<String, byte[]> copies = HelmChartTest.files(K8S.resolve("crds"));
        assertThat(copies.keySet()).isEqualTo(generated.keySet());
        for (String name : generated.keySet()) {
            assertThat(copies.get(name))
                    .as("k8s/crds/%s: %s", name, CustomResourceDefinitionFiles.UPDATE_COMMAND)
                    .isEqualTo(generated.get(name));
        }
    }

    @Test
    void theComparisonSeesADifference() throws Exception {
        // The check above compares parsed objects: a changed value in the chart's output shows.
        Map<String, Object> deployment = withoutHelmLabels(HelmChart.render("replicaCount: 3"))
                .byIdentity()
                .get("Deployment ase-operator/ase-operator");
        Map<String, Object> kustomized = Manifest.parse(kubectl("kustomize", K8S.toString()))
                .byIdentity()
                .get("Deployment ase-operator/ase-operator");
        assertThat(kustomized).isNotNull();
        assertThat(Manifest.normalized(kustomized)).isNotEqualTo(Manifest.normalized(deployment));
        Map<String, Object> defaults =
                withoutHelmLabels(HelmChart.render()).byIdentity().get("Deployment ase-operator/ase-operator");
        assertThat(Manifest.normalized(kustomized)).isEqualTo(Manifest.normalized(defaults));
    }

    private static List<Path> crdFiles(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    /** The manifest without the labels only Helm sets, on objects and pod templates. */
    @SuppressWarnings("unchecked")
    static Manifest withoutHelmLabels(Manifest manifest) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Map<String, Object> object : manifest.objects()) {
            Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
            Map<String, Object> labels = (Map<String, Object>) metadata.get("labels");
            if (labels != null) {
                HELM_ONLY_LABELS.forEach(labels::remove);
            }
            objects.add(object);
        }
        return new Manifest(objects);
    }

    static String kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("kubectl");
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new AssertionError("kubectl is needed for this test (.ci/run installs it): " + e.getMessage(), e);
        }
        byte[] stdout = process.getInputStream().readAllBytes();
        byte[] stderr = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as("%s: %s", command, new String(stderr, StandardCharsets.UTF_8))
                .isZero();
        return new String(stdout, StandardCharsets.UTF_8);
    }
}
