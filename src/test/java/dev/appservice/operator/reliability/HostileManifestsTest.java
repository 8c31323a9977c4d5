package dev.appservice.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.cli.OfflineCommand;
import dev.appservice.operator.testing.HostileResources;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile cases of {@link HostileResources} (among them issue 18's host names), written as
 * manifests and each given one more of the ways a file goes wrong that only text can carry:
 * duplicate keys, integers as strings and as fractions, unknown fields, a namespace or a dnsSuffix
 * with a newline, control characters, an alias bomb, a recursive alias, a 4 MB scalar, an object
 * twice. Run through {@code validate} and {@code render} as processes: nothing crashes, every line
 * is one error or warning naming its file with no raw control character, every file given a text
 * mutation is refused, {@code render} refuses exactly when {@code validate} does, and what the
 * valid cases render is what Kubernetes accepts.
 */
@org.junit.jupiter.api.Tag(dev.appservice.operator.testing.TestGroups.SLOW)
class HostileManifestsTest {
    static final int CASES = 120;
    static final long SEED = HostileInputTest.SEED + 18;
    static final KubernetesSerialization YAML = new KubernetesSerialization();

    enum Mutation {
        NONE,
        DUPLICATE_KEY,
        INTEGER_AS_STRING,
        INTEGER_AS_FRACTION,
        UNKNOWN_FIELD,
        NAMESPACE_NEWLINE,
        DNS_SUFFIX_NEWLINE,
        CONTROL_CHARACTERS,
        ALIAS_BOMB,
        RECURSIVE_ALIAS,
        OVERSIZED_SCALAR,
        DUPLICATE_OBJECT
    }

    static String yaml(HostileResources.Case c) {
        return YAML.asYaml(c.environment()) + YAML.asYaml(c.plan()) + YAML.asYaml(c.app());
    }

    static String mutate(HostileResources.Case c, Mutation mutation) {
        switch (mutation) {
            case NAMESPACE_NEWLINE ->
                c.app().getMetadata().setNamespace(c.app().getMetadata().getNamespace() + "\nerror: forged");
            case DNS_SUFFIX_NEWLINE -> c.environment().getSpec().setDnsSuffix("evil.example.com\n");
            case CONTROL_CHARACTERS -> c.app().getSpec().setHealthCheckPath("\u001b[2J\u001b[31mhealth\u0007");
            case OVERSIZED_SCALAR -> c.app().getSpec().setImage("x".repeat(4 * 1024 * 1024));
            default -> {}
        }
        String text = yaml(c);
        return switch (mutation) {
            case DUPLICATE_KEY -> text.replaceFirst("(?m)^kind: \"?WebApp\"?$", "kind: WebApp\nkind: WebApp");
            case INTEGER_AS_STRING ->
                text.replaceFirst("(?m)^  instances: (-?\\d+)$", "  instances: \"$1\"")
                                .replace("kind: \"IsolatedPlan\"", "kind: IsolatedPlan")
                        + (text.matches("(?s).*\\n  instances: -?\\d+\\n.*")
                                ? ""
                                : "---\n" + planWith(c, "instances: \"3\""));
            case INTEGER_AS_FRACTION -> text + "---\n" + planWith(c, "instances: 1.5");
            case UNKNOWN_FIELD -> text + "---\n" + planWith(c, "replicas: 3");
            case ALIAS_BOMB -> text + "---\n" + aliasBomb();
            case RECURSIVE_ALIAS -> text + "---\nloop: &loop [1, *loop]\n";
            case DUPLICATE_OBJECT -> text + YAML.asYaml(c.app());
            default -> text;
        };
    }

    static String planWith(HostileResources.Case c, String field) {
        return "apiVersion: appservice.dev/v1alpha1\nkind: IsolatedPlan\nmetadata: {name: extra-plan, namespace: ns-0}\nspec:\n  environmentName: x\n  "
                + field + "\n";
    }

    /** Nine levels of nine aliases: a billion values once expanded. */
    static String aliasBomb() {
        StringBuilder bomb = new StringBuilder("a0: &a0 [lol]\n");
        for (int level = 1; level <= 9; level++) {
            bomb.append("a").append(level).append(": &a").append(level).append(" [");
            for (int i = 0; i < 9; i++) {
                bomb.append(i == 0 ? "" : ", ").append("*a").append(level - 1);
            }
            bomb.append("]\n");
        }
        return bomb.toString();
    }

    @Test
    void validateAndRenderRefuseEachHostileFileInOneLineAndNeverCrash(@TempDir Path directory) throws Exception {
        HostileResources generator = new HostileResources(SEED);
        Map<Path, Mutation> files = new LinkedHashMap<>();
        for (int i = 0; i < CASES; i++) {
            HostileResources.Case c = generator.next(i);
            Mutation mutation = Mutation.values()[i % Mutation.values().length];
            Path file = directory.resolve(
                    String.format("case-%03d-%s.yaml", i, mutation.name().toLowerCase()));
            Files.writeString(file, mutate(c, mutation));
            files.put(file, mutation);
        }
        OfflineCommand.Run validate = OfflineCommand.run("validate", "-f", directory.toString());
        assertWellFormed(validate, directory);
        assertThat(validate.exitCode()).isEqualTo(1);
        for (var file : files.entrySet()) {
            if (file.getValue() != Mutation.NONE) {
                assertThat(validate.errorLines())
                        .as(file.getKey() + " is refused")
                        .anyMatch(l -> l.startsWith("error: " + file.getKey()));
            }
        }
        OfflineCommand.Run render = OfflineCommand.run("render", "-f", directory.toString());
        assertWellFormed(render, directory);
        assertThat(render.exitCode()).isEqualTo(validate.exitCode());
        assertThat(render.stdout()).isEmpty();
        assertThat(render.errorLines()).containsExactlyInAnyOrderElementsOf(validate.errorLines());
    }

    @Test
    void theCasesValidateAcceptsRenderIntoObjectsKubernetesAccepts(@TempDir Path directory) throws Exception {
        HostileResources generator = new HostileResources(SEED);
        int written = 0;
        for (int i = 0; i < CASES; i++) {
            HostileResources.Case c = generator.next(i);
            Path file = directory.resolve(String.format("case-%03d.yaml", i));
            Files.writeString(file, yaml(c));
            OfflineCommand.Run one = i % 12 == 0 ? OfflineCommand.run("validate", "-f", file.toString()) : null;
            if (one != null) {
                assertWellFormed(one, directory);
                if (one.exitCode() == 0) {
                    OfflineCommand.Run render = OfflineCommand.run("render", "-f", file.toString());
                    assertWellFormed(render, directory);
                    assertThat(render.exitCode()).as(render.stderr()).isZero();
                    for (HasMetadata object : parse(render.stdout())) {
                        HostileInputTest.assertValid(object, file.toString());
                    }
                    written++;
                }
            }
        }
        assertThat(written).as("some cases are valid and rendered").isPositive();
    }

    static void assertWellFormed(OfflineCommand.Run run, Path directory) {
        assertThat(run.exitCode()).as(run.stderr()).isIn(0, 1);
        assertThat(run.stderr()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception in");
        assertThat(run.stderr()
                        .chars()
                        .filter(ch ->
                                ch < 0x20 && ch != '\n' || ch == 0x7f || ch == 0x85 || ch == 0x2028 || ch == 0x2029)
                        .count())
                .as("no raw control characters in\n" + run.stderr())
                .isZero();
        assertThat(run.stderr().lines().filter(l -> !l.isEmpty()).toList())
                .as("one line per problem")
                .allMatch(l -> l.startsWith("error: " + directory)
                        || l.startsWith("warning: " + directory)
                        || l.startsWith("validate: ")
                        || l.startsWith("render: "));
        assertThat(run.millis()).as("refused or accepted fast").isLessThan(120_000);
    }

    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\n")) {
            if (!doc.isBlank()) {
                objects.add(YAML.unmarshal(new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8))));
            }
        }
        return objects;
    }
}
