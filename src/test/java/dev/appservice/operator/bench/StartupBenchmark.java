package dev.appservice.operator.bench;

import dev.appservice.operator.install.OperatorContainer;
import dev.appservice.operator.testing.ReadinessEndpoint;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark (not a test) of the operator's start-up to ready ({@code /q/health/ready}: informers
 * synced, webhook caches filled) against an empty Fabric8 mock API server (CRUD, the CRDs
 * created), a fresh server per start: either the packaged jar on this machine's JVM with the
 * image's options, or the container image started by podman as the chart runs it (read-only root,
 * uid 185, no capabilities), on the host's network so that it reaches the mock server.
 *
 * <pre>
 * ./mvnw -B -q -Pbench test-compile exec:java -Dbench.main=dev.appservice.operator.bench.StartupBenchmark \
 *   -Dbench.image=localhost/ase-operator:0.1.0 -Dbench.runs=7 [-Dbench.podman="-e JAVA_CDS_OPTS=-Xshare:off"]
 * </pre>
 *
 * Without {@code bench.image} it starts the jar. Prints each start and the median, of the time to
 * ready and of the CPU time the operator's JVM used by then (user + system, from /proc: the figure
 * a busy machine distorts least).
 */
public final class StartupBenchmark {
    static final String IMAGE = System.getProperty("bench.image", "");
    static final int RUNS = Integer.getInteger("bench.runs", 5);
    static final String PODMAN_OPTIONS = System.getProperty("bench.podman", "");
    static final int HTTP_PORT = Integer.getInteger("bench.httpPort", 28080);
    static final int HTTPS_PORT = Integer.getInteger("bench.httpsPort", 28443);
    static final Path TLS = Path.of("src/test/resources/tls").toAbsolutePath();

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        double[] millis = new double[RUNS];
        double[] cpu = new double[RUNS];
        try {
            for (int i = 0; i < RUNS; i++) {
                double[] start = once(i);
                millis[i] = start[0];
                cpu[i] = start[1];
                System.out.printf("start %d: %.0f ms to ready, %.0f ms of CPU%n", i + 1, millis[i], cpu[i]);
            }
        } catch (Throwable failure) {
            failure.printStackTrace();
            System.exit(1);
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        System.out.printf(
                "%s: start-up to ready, median of %d: %.0f ms (min %.0f, max %.0f)%n",
                IMAGE.isEmpty() ? "jar" : IMAGE, RUNS, sorted[RUNS / 2], sorted[0], sorted[RUNS - 1]);
        double[] sortedCpu = cpu.clone();
        Arrays.sort(sortedCpu);
        System.out.printf(
                "%s: CPU time (user + system) of the operator's JVM to ready, median of %d: %.0f ms (min %.0f, max %.0f)%n",
                IMAGE.isEmpty() ? "jar" : IMAGE, RUNS, sortedCpu[RUNS / 2], sortedCpu[0], sortedCpu[RUNS - 1]);
        System.exit(0);
    }

    /** The milliseconds from the start to ready, and the CPU time the operator's JVM took by then. */
    static double[] once(int run) throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            try (var files = Files.list(Path.of("crds"))) {
                for (Path crd : files.sorted().toList()) {
                    client.resource(new KubernetesSerialization()
                                    .unmarshal(Files.readString(crd), CustomResourceDefinition.class))
                            .create();
                }
            }
            Map<String, String> env = new HashMap<>();
            env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", server.url("/"));
            env.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", "default");
            env.put("QUARKUS_HTTP_PORT", Integer.toString(HTTP_PORT));
            env.put("QUARKUS_HTTP_SSL_PORT", Integer.toString(HTTPS_PORT));
            boolean container = !IMAGE.isEmpty();
            Path tls = container ? Path.of("/tls") : TLS;
            env.put("ASE_WEBHOOK_TLS_CERT", tls.resolve("tls.crt").toString());
            env.put("ASE_WEBHOOK_TLS_KEY", tls.resolve("tls.key").toString());
            Path log = Path.of("target", "startup-benchmark-" + (run + 1) + ".log");
            String name = "startup-benchmark-" + ProcessHandle.current().pid() + "-" + (run + 1);
            ProcessBuilder builder = new ProcessBuilder(container ? podman(env, name) : jar(env));
            if (!container) {
                builder.environment().putAll(ImageJvmOptions.environment());
                builder.environment().putAll(env);
            }
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
            long started = System.nanoTime();
            Process operator = builder.start();
            try {
                ReadinessEndpoint.await(operator, HTTP_PORT, Duration.ofSeconds(60), Duration.ofMillis(10), log);
                double ready = (System.nanoTime() - started) / 1e6;
                return new double[] {ready, cpuMillis(container ? containerPid(name) : operator.pid())};
            } finally {
                operator.destroy();
                operator.waitFor();
            }
        } finally {
            server.destroy();
        }
    }

    /** The JVM's pid on this machine: the container's first process (the entry point execs java). */
    static long containerPid(String name) throws Exception {
        Process inspect = new ProcessBuilder("podman", "inspect", "--format", "{{.State.Pid}}", name)
                .redirectErrorStream(true)
                .start();
        String pid = new String(inspect.getInputStream().readAllBytes()).trim();
        inspect.waitFor();
        return Long.parseLong(pid);
    }

    /** utime + stime of /proc/PID/stat, in clock ticks of 10 ms (USER_HZ 100). */
    static double cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0;
    }

    static List<String> jar(Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(ImageJvmOptions.read());
        command.addAll(List.of("-XX:MaxRAM=512m", "-jar", "target/quarkus-app/quarkus-run.jar"));
        return command;
    }

    /** The image as the chart runs it, on the host's network to reach the mock server, with the webhook's certificate. */
    static List<String> podman(Map<String, String> env, String container) {
        List<String> options = new ArrayList<>(List.of("--name", container, "-v", TLS + ":/tls:ro"));
        env.forEach((name, value) -> options.addAll(List.of("-e", name + "=" + value)));
        if (!PODMAN_OPTIONS.isBlank()) {
            options.addAll(List.of(PODMAN_OPTIONS.trim().split("\\s+")));
        }
        return OperatorContainer.runCommand("host", options, IMAGE);
    }
}
