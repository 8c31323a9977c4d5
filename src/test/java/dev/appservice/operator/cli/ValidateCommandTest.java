package dev.appservice.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate} as a process against one file per category of what {@code kubectl apply} and the
 * webhook refuse: the CRD's structural schema (types, integer apart from string and number, enums,
 * patterns, lengths, item counts, required, unknown fields), its CEL rules, the API server's
 * metadata rules, YAML by kubectl's rules, duplicate objects, host names, control characters and
 * oversized input. Each file is refused with exactly one line naming the file, the object, the
 * field and the limit; the run exits 1 without a stack trace. One process checks them all (each
 * line names its file), so the test costs one JVM start.
 */
class ValidateCommandTest {
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
            metadata: {name: plan1, namespace: team}
            spec: {environmentName: ase1, instances: 2}
            ---
            apiVersion: appservice.dev/v1alpha1
            kind: WebApp
            metadata: {name: shop, namespace: team}
            spec: {planName: plan1, image: registry.example/shop:1, port: 8080, hostNames: [www.contoso.com]}
            """;

    /** A refused case: its file's content and what its one error line must say. */
    record Refused(String content, List<String> says) {}

    static String plan(String name, String spec) {
        return "apiVersion: appservice.dev/v1alpha1\nkind: IsolatedPlan\nmetadata: {name: " + name
                + ", namespace: team}\nspec:\n" + spec;
    }

    /** Ports handed out to the cases' apps: each its own, so only the case's own problem is reported. */
    static int nextPort = 9100;

    static String app(String name, String spec) {
        return "apiVersion: appservice.dev/v1alpha1\nkind: WebApp\nmetadata: {name: " + name
                + ", namespace: team}\nspec:\n" + spec + (spec.contains("port:") ? "" : "  port: " + nextPort++ + "\n");
    }

    static final String APP_SPEC = "  planName: plan1\n  image: registry.example/app:1\n";

    static final Map<String, Refused> CASES = new LinkedHashMap<>();

    static {
        CASES.put(
                "integer-as-string.yaml",
                new Refused(
                        plan("p-string", "  environmentName: ase1\n  instances: \"12\"\n"),
                        List.of("IsolatedPlan team/p-string", "spec.instances", "expected integer, got string")));
        CASES.put(
                "integer-as-float.yaml",
                new Refused(
                        plan("p-float", "  environmentName: ase1\n  instances: 1.9\n"),
                        List.of("IsolatedPlan team/p-float", "spec.instances", "expected integer, got number")));
        CASES.put(
                "over-maximum.yaml",
                new Refused(
                        plan("p-max", "  environmentName: ase1\n  instances: 101\n"),
                        List.of("IsolatedPlan team/p-max", "spec.instances", "less than or equal to 100")));
        CASES.put(
                "enum.yaml",
                new Refused(
                        plan("p-enum", "  environmentName: ase1\n  size: I9\n"),
                        List.of("IsolatedPlan team/p-enum", "spec.size", "supported values: \"I1\", \"I2\", \"I3\"")));
        CASES.put(
                "pattern-newline.yaml",
                new Refused(
                        """
                apiVersion: appservice.dev/v1alpha1
                kind: AppServiceEnvironment
                metadata: {name: ase-evil, namespace: evil}
                spec:
                  virtualNetwork: {name: vnet-evil, subnet: 10.9.0.0/24, addressPrefixes: [10.9.0.0/16]}
                  dnsSuffix: "evil.example.com\\n"
                """,
                        List.of(
                                "AppServiceEnvironment evil/ase-evil",
                                "spec.dnsSuffix",
                                "'evil.example.com\\n'",
                                "should match")));
        CASES.put(
                "max-length.yaml",
                new Refused(
                        app("long-image", "  planName: plan1\n  image: " + "a".repeat(513) + "\n"),
                        List.of(
                                "WebApp team/long-image",
                                "spec.image",
                                "may not be more than 512 characters, got 513")));
        CASES.put(
                "max-items.yaml",
                new Refused(
                        app(
                                "many-hosts",
                                APP_SPEC + "  hostNames: ["
                                        + String.join(
                                                ", ",
                                                java.util.stream.IntStream.range(0, 65)
                                                        .mapToObj(i -> "h" + i + ".contoso.com")
                                                        .toList())
                                        + "]\n"),
                        List.of("WebApp team/many-hosts", "spec.hostNames", "must have at most 64 items")));
        CASES.put(
                "required.yaml",
                new Refused(
                        app("no-image", "  planName: plan1\n"),
                        List.of("WebApp team/no-image", "spec.image", "Required value")));
        CASES.put(
                "unknown-field.yaml",
                new Refused(
                        app("unknown", APP_SPEC + "  replicas: 3\n"),
                        List.of("WebApp team/unknown", "spec.replicas", "Unknown field")));
        CASES.put(
                "cel-rule.yaml",
                new Refused(
                        """
                apiVersion: appservice.dev/v1alpha1
                kind: AppServiceEnvironment
                metadata: {name: ase-v1, namespace: v1}
                spec:
                  version: V1
                  virtualNetwork: {name: vnet-v1, subnet: 10.8.0.0/24, addressPrefixes: [10.8.0.0/16]}
                  workerPools: [{name: pool0, count: 2}]
                """,
                        List.of(
                                "AppServiceEnvironment v1/ase-v1",
                                "spec",
                                "spec.frontEnd.count is required for a V1 environment")));
        CASES.put(
                "metadata-name.yaml",
                new Refused(app("Shop_1", APP_SPEC), List.of("WebApp team/Shop_1", "metadata.name", "DNS subdomain")));
        CASES.put(
                "metadata-namespace.yaml",
                new Refused(
                        "apiVersion: appservice.dev/v1alpha1\nkind: WebApp\nmetadata: {name: nl, namespace: \"team\\nerror: forged\"}\nspec:\n"
                                + APP_SPEC,
                        List.of("WebApp 'team\\nerror: forged'/nl", "metadata.namespace", "DNS label")));
        CASES.put(
                "metadata-label.yaml",
                new Refused(
                        "apiVersion: appservice.dev/v1alpha1\nkind: WebApp\nmetadata: {name: lbl, namespace: team, labels: {tier: "
                                + "v".repeat(64) + "}}\nspec:\n" + APP_SPEC,
                        List.of("WebApp team/lbl", "metadata.labels['tier']", "no more than 63 characters, got 64")));
        CASES.put(
                "duplicate-key.yaml",
                new Refused(
                        app("dupkey", APP_SPEC + "  image: registry.example/other:2\n"),
                        List.of("duplicate-key.yaml", "line 7", "key 'image' already set on line 6")));
        CASES.put(
                "duplicate-object.yaml",
                new Refused(
                        app("shop", "  planName: plan1\n  image: registry.example/shop:2\n  port: 8081\n"),
                        List.of("WebApp team/shop", "Duplicate value", "already defined in")));
        CASES.put(
                "alias-expanded.yaml",
                new Refused(
                        """
                apiVersion: appservice.dev/v1alpha1
                kind: IsolatedPlan
                metadata: {name: p-alias, namespace: team, labels: {count: &count "12"}}
                spec:
                  environmentName: ase1
                  instances: *count
                """,
                        List.of("IsolatedPlan team/p-alias", "spec.instances", "'12': expected integer, got string")));
        CASES.put(
                "host-label.yaml",
                new Refused(
                        app("long-label", APP_SPEC + "  hostNames: [" + "l".repeat(64) + ".contoso.com]\n"),
                        List.of(
                                "WebApp team/long-label",
                                "spec.hostNames[0]",
                                "label of 64 characters (at most 63 each)")));
        CASES.put(
                "host-wildcard.yaml",
                new Refused(
                        app("catch-all", APP_SPEC + "  hostNames: [\"*.example.com\"]\n"),
                        List.of(
                                "WebApp team/catch-all",
                                "spec.hostNames[0]",
                                "covers the environment's dnsSuffix 'apps.example.com'")));
        CASES.put(
                "host-reserved.yaml",
                new Refused(
                        app("squatter", APP_SPEC + "  hostNames: [payments.apps.example.com]\n"),
                        List.of(
                                "WebApp team/squatter",
                                "spec.hostNames[0]",
                                "reserved for the default names of apps and their slots")));
        CASES.put(
                "host-taken.yaml",
                new Refused(
                        app("thief", APP_SPEC + "  port: 9090\n  hostNames: [www.contoso.com]\n"),
                        List.of("WebApp team/thief", "spec.hostNames[0]", "already served for WebApp team/shop")));
        CASES.put(
                "run-as-root.yaml",
                new Refused(
                        app("as-root", APP_SPEC + "  runAsUser: 0\n"),
                        List.of(
                                "WebApp team/as-root",
                                "spec.runAsUser",
                                "Restricted Pod Security level",
                                "forbids runAsUser 0")));
        CASES.put(
                "control-characters.yaml",
                new Refused(
                        app("esc", APP_SPEC + "  healthCheckPath: \"\\e[31mred\\e[0m\"\n"),
                        List.of("WebApp team/esc", "spec.healthCheckPath", "\\u001b[31mred")));
    }

    @TempDir
    static Path directory;

    static OfflineCommand.Run run;

    @BeforeAll
    static void validateEveryCaseInOneRun() throws Exception {
        Files.writeString(directory.resolve("0-base.yaml"), BASE);
        for (var c : CASES.entrySet()) {
            Files.writeString(directory.resolve(c.getKey()), c.getValue().content());
        }
        run = OfflineCommand.run("validate", "-f", directory.toString());
    }

    @Test
    void everyCategoryIsRefusedWithOneLineNamingFileObjectFieldAndLimit() {
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(CommandLine.INVALID_INPUT);
        assertThat(run.stderr()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(run.stderr().chars().filter(c -> c < 0x20 && c != '\n').count())
                .as("no raw control characters")
                .isZero();
        for (var c : CASES.entrySet()) {
            List<String> lines = run.errorLines().stream()
                    .filter(l -> l.contains(directory.resolve(c.getKey()).toString()))
                    .toList();
            assertThat(lines).as(c.getKey() + " in\n" + run.stderr()).hasSize(1);
            assertThat(lines.get(0)).as(c.getKey()).contains(c.getValue().says());
        }
        assertThat(run.errorLines())
                .as("the base file is valid")
                .noneMatch(l -> l.startsWith("error: " + directory.resolve("0-base.yaml")));
        assertThat(run.errorLines()).as("one line per case").hasSize(CASES.size());
        assertThat(run.stderr().lines().filter(l -> !l.isEmpty()))
                .allMatch(l -> l.startsWith("error: ") || l.startsWith("warning: ") || l.startsWith("validate: "));
    }

    @Test
    void theBaseAloneIsValidAndAliasesAndMergeKeysAreExpanded(@TempDir Path alone) throws Exception {
        Files.writeString(alone.resolve("base.yaml"), BASE + """
                ---
                apiVersion: appservice.dev/v1alpha1
                kind: WebApp
                metadata: {name: merged, namespace: team}
                spec:
                  <<: &defaults {planName: plan1, image: registry.example/merged:1}
                  port: 8082
                """);
        OfflineCommand.Run rendered = OfflineCommand.run("render", "-f", alone.toString());
        assertThat(rendered.exitCode()).as(rendered.stderr()).isZero();
        assertThat(rendered.stdout())
                .contains("image: registry.example/merged:1")
                .contains("server_name shop.apps.example.com www.contoso.com;");
    }

    @Test
    void aFiftyMegabyteStringIsRefusedFastWithoutReadingItAll(@TempDir Path big) throws Exception {
        Path file = big.resolve("huge.yaml");
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writer.write(app("huge", "  planName: plan1\n  port: 9999\n  image: \""));
            char[] chunk = "x".repeat(1 << 20).toCharArray();
            for (int i = 0; i < 50; i++) {
                writer.write(chunk);
            }
            writer.write("\"\n");
        }
        OfflineCommand.Run refused = OfflineCommand.run("validate", "-f", file.toString());
        assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(CommandLine.INVALID_INPUT);
        assertThat(refused.errorLines())
                .singleElement()
                .asString()
                .contains("huge.yaml")
                .contains("line 7: more than 1048576 characters without a space or line break");
        assertThat(refused.stderr()).doesNotContain("\tat ");
        Path spaced = big.resolve("spaced.yaml");
        try (Writer writer = Files.newBufferedWriter(spaced, StandardCharsets.UTF_8)) {
            writer.write(app("spaced", "  planName: plan1\n  port: 9998\n  image: \""));
            char[] chunk = "xxxxxxx ".repeat(1 << 17).toCharArray();
            for (int i = 0; i < 50; i++) {
                writer.write(chunk);
            }
            writer.write("\"\n");
        }
        OfflineCommand.Run document = OfflineCommand.run("validate", "-f", spaced.toString());
        assertThat(document.errorLines())
                .singleElement()
                .asString()
                .contains("spaced.yaml")
                .contains("a document is longer than 3145728 characters");
    }

    @Test
    void renderRefusesWhatValidateRefusesAndWritesNothing() throws Exception {
        OfflineCommand.Run rendered = OfflineCommand.run("render", "-f", directory.toString());
        assertThat(rendered.exitCode()).isEqualTo(CommandLine.INVALID_INPUT);
        assertThat(rendered.stdout()).isEmpty();
        assertThat(rendered.errorLines()).hasSize(CASES.size());
    }
}
