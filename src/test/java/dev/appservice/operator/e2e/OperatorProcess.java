package dev.appservice.operator.e2e;

import dev.appservice.operator.bench.ImageJvmOptions;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator (the jar) as a process, configured as the chart's Deployment configures
 * its container (the downward API resolved), authenticated with a kubeconfig that carries the
 * chart's ServiceAccount token: every request it makes is authorized by the chart's RBAC alone.
 */
public final class OperatorProcess implements AutoCloseable {
    /** Start-up on a busy two-core machine, with the JIT cold, takes tens of seconds at worst. */
    static final Duration READY_WITHIN = Duration.ofSeconds(120);

    private final Map<String, String> environment;
    private final List<String> jvm;
    private final Path log;
    private final int httpPort;
    private Process process;

    private OperatorProcess(Map<String, String> environment, List<String> jvm, Path log, int httpPort) {
        this.environment = environment;
        this.jvm = jvm;
        this.log = log;
        this.httpPort = httpPort;
    }

    /**
     * @param chartDeployment the chart's operator Deployment, whose container environment is used
     * @param kubeconfig a kubeconfig file with the service account's token
     * @param webhookPort the HTTPS port the chart's {@code webhook.url} names
     */
    static OperatorProcess configure(Deployment chartDeployment, Path kubeconfig, int webhookPort, Path work)
            throws IOException {
        Map<String, String> env = new LinkedHashMap<>(chartEnvironment(chartDeployment));
        int httpPort = freePort();
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("HOSTNAME", "ase-operator-e2e");
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        env.put("QUARKUS_HTTP_SSL_PORT", Integer.toString(webhookPort));
        Path tmp = work.resolve("operator-tmp");
        Files.createDirectories(tmp);
        // The JVM as in the pod: the image's options, sized by the chart's memory limit (outside a
        // container the JVM sees the machine's RAM), and a temporary directory of its own, where the
        // self-managed webhook certificate is written, apart from other operators of the build.
        List<String> jvm = new ArrayList<>(ImageJvmOptions.read());
        Quantity limit = chartDeployment
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getResources()
                .getLimits()
                .get("memory");
        jvm.add("-XX:MaxRAM=" + Quantity.getAmountInBytes(limit).longValueExact());
        jvm.add("-Djava.io.tmpdir=" + tmp);
        return new OperatorProcess(env, jvm, work.resolve("operator.log"), httpPort);
    }

    void start() throws IOException {
        List<String> command = new ArrayList<>();
        // -Doperator.cpus=1: the operator on that CPU alone (taskset), as the chart's CPU limit of one
        // gives it one; the benchmark runs everything else on the other (bench/run), so the webhook's
        // latency is its own work, not the API server's and the clients' queueing beside it.
        String cpus = System.getProperty("operator.cpus", "");
        if (!cpus.isBlank()) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.add("java");
        command.addAll(jvm);
        // -Doperator.jvmOptions="...": options for the operator's JVM alone, for a profile of it
        // (a flight recording, a collector's log) without the Maven and benchmark JVMs beside it.
        String extra = System.getProperty("operator.jvmOptions", "");
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", System.getProperty("operator.jar", "target/quarkus-app/quarkus-run.jar")));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("KUBERNETES_"));
        builder.environment().putAll(ImageJvmOptions.environment());
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = builder.start();
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
    }

    /**
     * The operator container's environment as the chart's Deployment sets it, with the downward
     * API's {@code metadata.namespace} resolved (the only field it reads).
     */
    public static Map<String, String> chartEnvironment(Deployment deployment) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : deployment
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv()) {
            if (var.getValueFrom() == null) {
                env.put(var.getName(), var.getValue());
            } else if ("metadata.namespace"
                    .equals(var.getValueFrom().getFieldRef().getFieldPath())) {
                env.put(var.getName(), deployment.getMetadata().getNamespace());
            } else {
                throw new IllegalStateException("only metadata.namespace is resolved, not " + var);
            }
        }
        return env;
    }

    /** Waits for the readiness endpoint: caches synced, webhook answering. */
    void awaitReady() throws Exception {
        dev.appservice.operator.testing.ReadinessEndpoint.await(
                process, httpPort, READY_WITHIN, java.time.Duration.ofMillis(250), log);
    }

    /** The operator's Prometheus scrape. */
    String metrics() throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    Process process() {
        return process;
    }

    Path log() {
        return log;
    }

    /** SIGTERM, as the kubelet stops a container, and waits for the exit. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, ClusterPki.loopback())) {
            return socket.getLocalPort();
        }
    }
}
