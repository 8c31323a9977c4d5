package dev.appservice.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile cannot be built here (no container engine), so its contract with the build and
 * the chart is checked after {@code package}: what it copies exists, and its user is the numeric
 * uid the chart runs the pod as.
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
}
