package dev.appservice.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.desired.FunctionKeys;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hosting kinds through {@code validate} and {@code render} as processes: what cannot be a
 * function app or cannot run on a Windows plan is refused with one line naming the object and the
 * field; a Windows plan's function app renders as Windows pods with the host's settings, and its
 * keys Secret without data (the keys are generated in the cluster only).
 */
class HostingKindsCommandTest {
    static final String BASE = """
            apiVersion: appservice.dev/v1alpha1
            kind: AppServiceEnvironment
            metadata: {name: ase1, namespace: team}
            spec:
              virtualNetwork: {name: vnet, subnet: 10.1.0.0/24, addressPrefixes: [10.1.0.0/16]}
              dnsSuffix: apps.example.com
            ---
            apiVersion: appservice.dev/v1alpha1
            kind: IsolatedPlan
            metadata: {name: linux, namespace: team}
            spec: {environmentName: ase1, size: I3, instances: 1}
            ---
            apiVersion: appservice.dev/v1alpha1
            kind: IsolatedPlan
            metadata: {name: windows, namespace: team}
            spec: {environmentName: ase1, size: I3, instances: 2, os: Windows}
            ---
            apiVersion: appservice.dev/v1alpha1
            kind: WebApp
            metadata: {name: orders, namespace: team}
            spec:
              planName: windows
              kind: functionapp
              image: registry.example/orders:1
              port: 8080
              functions:
                runtime: dotnet-isolated
                storage: {name: orders-storage, key: connection}
              slots:
              - {name: staging, image: registry.example/orders:2}
            """;

    static String app(String name, String spec) {
        return "apiVersion: appservice.dev/v1alpha1\nkind: WebApp\nmetadata: {name: " + name
                + ", namespace: team}\nspec:\n  image: registry.example/" + name + ":1\n" + spec;
    }

    static final String FUNCTIONS = "  kind: functionapp\n  functions:\n";
    static final Map<String, List<String>> CASES = new LinkedHashMap<>();

    static {
        CASES.put(
                app(
                        "unknown-runtime",
                        "  planName: linux\n  port: 9001\n" + FUNCTIONS
                                + "    runtime: cobol\n    storage: {name: s, key: k}\n"),
                List.of("WebApp team/unknown-runtime", "spec.functions.runtime", "cobol"));
        CASES.put(
                app("no-storage", "  planName: linux\n  port: 9002\n" + FUNCTIONS + "    runtime: node\n"),
                List.of("WebApp team/no-storage", "spec.functions.storage"));
        CASES.put(
                app("no-functions", "  planName: linux\n  port: 9003\n  kind: functionapp\n"),
                List.of("WebApp team/no-functions", "spec.functions", "required for a function app"));
        CASES.put(
                app(
                        "functions-on-app",
                        "  planName: linux\n  port: 9004\n  functions:\n    runtime: node\n"
                                + "    storage: {name: s, key: k}\n"),
                List.of("WebApp team/functions-on-app", "spec.functions", "only for function apps"));
        CASES.put(
                app("uid-on-windows", "  planName: windows\n  port: 9005\n  runAsUser: 1000\n"),
                List.of("WebApp team/uid-on-windows", "spec.runAsUser", "Linux-only", "IsolatedPlan team/windows"));
        CASES.put(
                app(
                        "slot-gid-on-windows",
                        "  planName: windows\n  port: 9006\n  slots:\n"
                                + "  - {name: blue, image: registry.example/blue:1, runAsGroup: 1000}\n"),
                List.of("WebApp team/slot-gid-on-windows", "spec.slots[0].runAsGroup", "Linux-only"));
        CASES.put(
                app(
                        "host-setting-in-env",
                        "  planName: linux\n  port: 9007\n" + FUNCTIONS
                                + "    runtime: python\n    storage: {name: s, key: k}\n"
                                + "  env: [{name: FUNCTIONS_WORKER_RUNTIME, value: node}]\n"),
                List.of("WebApp team/host-setting-in-env", "spec.env[0].name", "FUNCTIONS_WORKER_RUNTIME"));
    }

    @Test
    void validateRefusesWhatCannotMixNamingTheField(@TempDir Path directory) throws Exception {
        Files.writeString(directory.resolve("0-base.yaml"), BASE);
        int i = 1;
        Map<Path, List<String>> files = new LinkedHashMap<>();
        for (var c : CASES.entrySet()) {
            Path file = directory.resolve(i++ + "-case.yaml");
            Files.writeString(file, c.getKey());
            files.put(file, c.getValue());
        }
        OfflineCommand.Run run = OfflineCommand.run("validate", "-f", directory.toString());
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(CommandLine.INVALID_INPUT);
        assertThat(run.stderr()).doesNotContain("\tat ");
        assertThat(run.errorLines())
                .as("the base is valid")
                .noneMatch(l -> l.contains(directory.resolve("0-base.yaml").toString()));
        for (var f : files.entrySet()) {
            List<String> lines = run.errorLines().stream()
                    .filter(l -> l.contains(f.getKey().toString()))
                    .toList();
            assertThat(lines).as(f.getKey() + " in\n" + run.stderr()).isNotEmpty();
            assertThat(lines)
                    .as(f.getKey() + " in\n" + run.stderr())
                    .anySatisfy(l -> assertThat(l).contains(f.getValue()));
        }
    }

    @Test
    void renderPrintsWindowsPodsAndTheKeysSecretWithoutData(@TempDir Path directory) throws Exception {
        Files.writeString(directory.resolve("hosting.yaml"), BASE);
        OfflineCommand.Run run = OfflineCommand.run("render", "-f", directory.toString());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<HasMetadata> objects = YamlDocumentsOf.parse(run.stdout());
        Secret keys = objects.stream()
                .filter(Secret.class::isInstance)
                .map(Secret.class::cast)
                .filter(s -> s.getMetadata().getName().equals(FunctionKeys.secretName("orders")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no keys Secret in\n" + run.stdout()));
        assertThat(keys.getData()).as("render prints no key").isNullOrEmpty();
        assertThat(keys.getStringData()).isNullOrEmpty();
        String document = java.util.Arrays.stream(run.stdout().split("(?m)^---\\s*$"))
                .filter(d -> d.contains("name: " + FunctionKeys.secretName("orders")) && d.contains("kind: Secret"))
                .findFirst()
                .orElseThrow();
        assertThat(document).as("the Secret's document").doesNotContainPattern("(?m)^(data|stringData):");
        assertThat(keys.getMetadata().getAnnotations())
                .containsEntry(FunctionKeys.DATA_ANNOTATION, FunctionKeys.DATA_NOTE);
        assertThat(run.stdout()).doesNotContain("masterKey").doesNotContain("host.json\":");
        List<Deployment> windows = objects.stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .filter(d -> d.getSpec().getTemplate().getSpec().getOs() != null)
                .toList();
        assertThat(windows)
                .extracting(d -> d.getMetadata().getName())
                .contains("windows-workers")
                .hasSize(3);
        for (Deployment d : windows) {
            assertThat(d.getSpec().getTemplate().getSpec().getNodeSelector())
                    .containsEntry("kubernetes.io/os", "windows");
        }
        // The same input renders the same output: nothing random is printed.
        OfflineCommand.Run again = OfflineCommand.run("render", "-f", directory.toString());
        assertThat(again.stdout()).isEqualTo(run.stdout());
    }

    /** The documents of a multi-document YAML stream, as Kubernetes objects. */
    static final class YamlDocumentsOf {
        static List<HasMetadata> parse(String yaml) {
            return java.util.Arrays.stream(yaml.split("(?m)^---\\s*$"))
                    .filter(d -> !d.isBlank())
                    .map(d -> (HasMetadata) Serialization.unmarshal(d))
                    .toList();
        }
    }
}
