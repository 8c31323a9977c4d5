package dev.appservice.operator.install;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.bench.ImageJvmOptions;
import dev.appservice.operator.testing.ProcessRun;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The container image: the Dockerfile's contract with the build and the chart (what it copies
 * exists, its user is the numeric uid the chart runs the pod as, its JVM options start the jar),
 * and the image {@code image/build} made, started with podman as the chart starts the pod:
 * read-only root file system with a writable /tmp, the chart's non-root uid and gid, no
 * capabilities, no privilege escalation, and the chart's memory limit as the JVM sees it in a pod.
 * <p>
 * The image tests need the image (and podman, run with runc and explicit ulimits, which CI
 * sandboxes without cgroups need). In CI ({@code CI=true}) a missing image fails them; elsewhere
 * they are skipped, saying how to build it.
 */
class ContainerImageIT {
    static final Path DOCKERFILE = Path.of("src", "main", "docker", "Dockerfile.jvm");
    static final String OPERATOR_JAR = System.getProperty("operator.jar", "target/quarkus-app/quarkus-run.jar");

    @Test
    void everyCopiedPathIsProducedByThePackage() throws IOException {
        List<String> sources = Files.readAllLines(DOCKERFILE).stream()
                .filter(l -> l.startsWith("COPY "))
                // what the image takes from its own build stage (the Java runtime, the Debian files)
                .filter(l -> !l.contains("--from="))
                .map(l -> l.split("\\s+")[l.contains("--chown") ? 2 : 1])
                .toList();
        assertThat(sources)
                .contains("target/quarkus-app/lib/", "target/quarkus-app/app/", "target/quarkus-app/quarkus/");
        for (String source : sources) {
            if (source.endsWith("*.jar")) {
                try (var jars = Files.list(Path.of(source.substring(0, source.lastIndexOf('/'))))) {
                    assertThat(jars.map(p -> p.getFileName().toString())).contains("quarkus-run.jar");
                }
            } else if (source.endsWith("/")) {
                assertThat(Path.of(source)).isDirectory();
            } else {
                // what the build stage alone uses (the class-data sharing archive's training run)
                assertThat(Path.of(source)).isRegularFile();
            }
        }
        assertThat(Files.readString(DOCKERFILE)).contains("JAVA_APP_JAR=\"/deployments/quarkus-run.jar\"");
    }

    @Test
    void theImageUserIsTheNumericUidTheChartRunsAs() throws IOException {
        Matcher user = Pattern.compile("(?m)^USER (\\S+)$").matcher(Files.readString(DOCKERFILE));
        assertThat(user.find()).isTrue();
        assertThat(user.group(1))
                .as("runAsNonRoot can only check a numeric user")
                .matches("[0-9]+");
        Deployment operator = HelmChart.render().one("Deployment", Deployment.class);
        assertThat(operator.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getSecurityContext()
                        .getRunAsUser())
                .isEqualTo(Long.parseLong(user.group(1)));
    }

    /**
     * The image's JVM options (what the benchmark measures) start a JVM that runs the operator's
     * jar: a typo or a second collector would stop the container at start-up.
     */
    @Test
    void theImageJvmOptionsStartTheJar() throws Exception {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(ImageJvmOptions.read());
        command.addAll(List.of(
                "-XX:MaxRAM=" + OperatorContainer.chartMemoryLimit(),
                "-jar",
                System.getProperty("operator.jar", "target/quarkus-app/quarkus-run.jar"),
                "help"));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes());
        assertThat(java.waitFor()).as(output).isZero();
        assertThat(output).contains("Usage: ase-operator");
        assertThat(ImageJvmOptions.read()).contains("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=55");
    }

    /** The image renders examples/ (mounted read-only) exactly as the jar does. */
    @Test
    void theImageRendersTheExamplesAsTheJarDoes() throws Exception {
        String image = builtImage();
        ProcessRun rendered = podman(
                List.of("-v", Path.of("examples").toAbsolutePath() + ":/examples:ro"),
                image,
                "render",
                "-f",
                "/examples");
        assertThat(rendered.exitCode()).as(rendered.stderr()).isZero();
        ProcessRun jar = ProcessRun.of(List.of("java", "-jar", OPERATOR_JAR, "render", "-f", "examples/"), 120);
        assertThat(jar.exitCode()).as(jar.stderr()).isZero();
        assertThat(rendered.stdout())
                .contains("kind: Deployment", "name: contoso-ase-frontend")
                .isEqualTo(jar.stdout());
        assertThat(rendered.stderr()).contains("warning: /examples/contoso.yaml");
    }

    /**
     * Without a cluster (no network, no kubeconfig) the operator stops at once, in one line saying
     * why: not after the Kubernetes client's retries (10, from 100 ms doubling to 3.2 s: 20 s), and
     * without a stack trace. The bound is loose (below the retries' 19 s of sleep, whatever the
     * machine's load).
     */
    @Test
    void withoutAClusterTheOperatorStopsAtOnceWithOneClearLine() throws Exception {
        String image = builtImage();
        // The command first: it renders the chart, which is no part of the operator's start.
        List<String> command = OperatorContainer.runCommand("none", List.of(), image);
        long started = System.nanoTime();
        ProcessRun operator = ProcessRun.of(command, 180);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(operator.exitCode()).as(operator.stderr()).isNotZero();
        assertThat(operator.output())
                .contains("cannot reach the Kubernetes API server at https://kubernetes.default.svc/")
                .contains("render and validate need no cluster")
                .doesNotContain("Failed to start", "\tat ", "Caused by");
        // (the JVM's notice of the test's own JAVA_TOOL_OPTIONS, the chart's memory limit, aside)
        assertThat(operator.output()
                        .lines()
                        .filter(line -> !line.isBlank() && !line.startsWith("Picked up JAVA_TOOL_OPTIONS")))
                .as(operator.output())
                .singleElement(as(InstanceOfAssertFactories.STRING))
                .contains("ERROR", "cannot reach the Kubernetes API server");
        // The client's retries alone slept 19 s (100 ms doubling to 3.2 s, ten times); the start to
        // the check takes about a second on a quiet machine, 5-10 s on one loaded five times over.
        assertThat(took).as("podman run to exit").isLessThan(Duration.ofSeconds(15));
    }

    /**
     * In the container the JVM takes the image's options: the serial collector and 55% of the
     * chart's memory limit as its heap; and the image's own user is the chart's uid.
     */
    @Test
    void theJvmInTheImageIsSizedForTheChartsMemoryLimit() throws Exception {
        String image = builtImage();
        ProcessRun flags = podman(
                List.of("-e", OperatorContainer.javaToolOptions() + " -XX:+PrintCommandLineFlags"), image, "help");
        assertThat(flags.exitCode()).as(flags.stderr()).isZero();
        String printed = flags.stdout() + flags.stderr();
        assertThat(printed).contains("Usage: ase-operator", "-XX:+UseSerialGC");
        java.util.regex.Matcher heap =
                java.util.regex.Pattern.compile("-XX:MaxHeapSize=(\\d+)").matcher(printed);
        assertThat(heap.find()).as(printed).isTrue();
        // The JVM rounds the share down to its heap alignment (at most a few MiB).
        long share = (long) (OperatorContainer.chartMemoryLimit() * 0.55);
        assertThat(Long.parseLong(heap.group(1))).isBetween(share - 4 * 1024 * 1024, share);
        ProcessRun user =
                ProcessRun.of(List.of("podman", "image", "inspect", "--format", "{{.Config.User}}", image), 60);
        assertThat(user.stdout().trim())
                .isEqualTo(Long.toString(OperatorContainer.chartPodSecurity().getRunAsUser()));
    }

    /**
     * The image's class-data sharing archive was written by the image's own JVM for the image's
     * class path and options: the operator starts with it required ({@code -Xshare:on} stops the
     * JVM when an archive cannot be used; the image itself asks only for {@code -Xshare:auto}), up
     * to its first call to the API server (here none answers, and it stops without a stack trace).
     */
    @Test
    void theImageStartsWithItsClassDataSharingArchive() throws Exception {
        String image = builtImage();
        ProcessRun shared = podman(
                List.of(
                        "-e",
                        "JAVA_CDS_OPTS=-XX:SharedArchiveFile=/deployments/app-cds.jsa -Xshare:on -Xlog:cds=info",
                        "-e",
                        "QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL=https://127.0.0.1:1"),
                image);
        assertThat(shared.exitCode()).as(shared.stderr()).isNotZero();
        assertThat(shared.stdout() + shared.stderr())
                .contains("Opened archive /deployments/app-cds.jsa")
                .contains("cannot reach the Kubernetes API server at https://127.0.0.1:1/")
                .doesNotContain("\tat ", "Caused by");
    }

    /**
     * The image image/build tags: localhost/ase-operator:<the chart's appVersion>, or another one
     * built with {@code IMAGE=... image/build} and named by {@code -Dase.image=...}.
     */
    static String builtImage() throws Exception {
        Matcher version = Pattern.compile("(?m)^appVersion: *\"?([^\"\\s]+)")
                .matcher(Files.readString(HelmChart.CHART.resolve("Chart.yaml")));
        assertThat(version.find()).isTrue();
        String image = System.getProperty("ase.image", "localhost/ase-operator:" + version.group(1));
        boolean present;
        try {
            present = ProcessRun.of(List.of("podman", "image", "exists", image), 60)
                            .exitCode()
                    == 0;
        } catch (IOException noPodman) {
            present = false;
        }
        if (!present) {
            String why = "the image " + image + " is not in podman's store: build it with image/build";
            assertThat("true".equals(System.getenv("CI")))
                    .as("in CI the image must be built before the tests (.ci/run): " + why)
                    .isFalse();
            Assumptions.abort(why);
        }
        return image;
    }

    /** {@code podman run} as the chart runs the operator's pod, without a network. */
    static ProcessRun podman(List<String> options, String image, String... args) throws Exception {
        return ProcessRun.of(OperatorContainer.runCommand("none", options, image, args), 180);
    }
}
