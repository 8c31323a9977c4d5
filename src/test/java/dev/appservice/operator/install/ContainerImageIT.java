package dev.appservice.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.bench.ImageJvmOptions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile cannot be built here (no container engine), so its contract with the build and
 * the chart is checked after {@code package}: what it copies exists, its user is the numeric
 * uid the chart runs the pod as, and its JVM options start the jar.
 */
class ContainerImageIT {
    static final Path DOCKERFILE = Path.of("src", "main", "docker", "Dockerfile.jvm");

    @Test
    void everyCopiedPathIsProducedByThePackage() throws IOException {
        List<String> sources = Files.readAllLines(DOCKERFILE).stream()
                .filter(l -> l.startsWith("COPY "))
                .map(l -> l.split("\\s+")[l.contains("--chown") ? 2 : 1])
                .toList();
        assertThat(sources).contains("target/quarkus-app/lib/", "target/quarkus-app/app/", "target/quarkus-app/quarkus/");
        for (String source : sources) {
            if (source.endsWith("*.jar")) {
                try (var jars = Files.list(Path.of(source.substring(0, source.lastIndexOf('/'))))) {
                    assertThat(jars.map(p -> p.getFileName().toString())).contains("quarkus-run.jar");
                }
            } else {
                assertThat(Path.of(source)).isDirectory();
            }
        }
        assertThat(Files.readString(DOCKERFILE)).contains("JAVA_APP_JAR=\"/deployments/quarkus-run.jar\"");
    }

    @Test
    void theImageUserIsTheNumericUidTheChartRunsAs() throws IOException {
        Matcher user = Pattern.compile("(?m)^USER (\\S+)$").matcher(Files.readString(DOCKERFILE));
        assertThat(user.find()).isTrue();
        assertThat(user.group(1)).as("runAsNonRoot can only check a numeric user").matches("[0-9]+");
        Deployment operator = HelmChart.render().one("Deployment", Deployment.class);
        assertThat(operator.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser()).isEqualTo(Long.parseLong(user.group(1)));
    }

    /**
     * The image's JVM options (what the benchmark measures) start a JVM that runs the operator's
     * jar: a typo or a second collector would stop the container at start-up.
     */
    @Test
    void theImageJvmOptionsStartTheJar() throws Exception {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(ImageJvmOptions.read());
        command.addAll(List.of("-XX:MaxRAM=512m", "-jar", System.getProperty("operator.jar", "target/quarkus-app/quarkus-run.jar"), "help"));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes());
        assertThat(java.waitFor()).as(output).isZero();
        assertThat(output).contains("Usage: ase-operator");
        assertThat(ImageJvmOptions.read()).contains("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75");
    }
}
