package dev.appservice.operator.bench;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (not a test) of the packaged operator against the Fabric8 mock API server (CRUD):
 * start-up, convergence of 100 environments × 10 plans × 2 apps (3,100 custom resources applied
 * at once), writes per child, writes during a forced resync, RSS with everything cached, and
 * admission reviews per second with latency percentiles over HTTPS on loopback. One run prints
 * one line per figure; BENCHMARKS.md records medians of several runs.
 */
public final class OperatorBenchmark {
    static final int ENVIRONMENTS = Integer.getInteger("bench.environments", 100);
    static final int PLANS = 10;
    static final int APPS = 2;
    static final String AGENT = "benchmark";
    static final Path JAR = Path.of(System.getProperty("operator.jar", "target/quarkus-app/quarkus-run.jar"));

    /** JVM options of the operator process: the container image's (ImageJvmOptions), or -Dbench.jvm="..." to try others. */
    static final String JVM_OVERRIDE = System.getProperty("bench.jvm");
    /** The memory the operator's container is given (its limit: the JVM sizes its heap from it). */
    static final String MEMORY = System.getProperty("bench.memory", "768m");
    /**
     * How many environments fail for good (issue 8: one bad resource must not stall the rest). Each
     * finds its front-end Deployment name taken by someone else's Deployment, so its every reconcile
     * ends in AdoptionRefused and is retried with backoff, forever.
     */
    static final int FAILING = Integer.getInteger("bench.failing", 0);
    /** Only start-up and convergence (and reconcile metrics): skips the resync, memory, admission and offline phases. */
    static final boolean CONVERGENCE_ONLY = Boolean.getBoolean("bench.convergenceOnly");

    /**
     * The mock server logs every request at INFO; at thousands of requests that is the bottleneck.
     * Held in a field: java.util.logging keeps loggers weakly, and a collected one forgets its level.
     */
    static final java.util.logging.Logger MOCK_SERVER_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    public static void main(String[] args) throws Exception {
        // The mock server's and clients' Vert.x event loops are not daemon threads: without an exit, exec:java waits
        // forever.
        try {
            run();
        } catch (Throwable failure) {
            failure.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    static void run() throws Exception {
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(server.createClient().getConfiguration())
                        .withUserAgent(AGENT)
                        .withRequestTimeout(60_000)
                        .build())
                .build();
        try (var files = Files.list(Path.of("crds"))) {
            for (Path crd : files.sorted().toList()) {
                client.resource(new KubernetesSerialization()
                                .unmarshal(Files.readString(crd), CustomResourceDefinition.class))
                        .create();
            }
        }
        int httpsPort = 18443;
        Process operator = start(server, httpsPort);
        try {
            long started = System.nanoTime();
            waitReady(operator);
            print("start-up to ready", (System.nanoTime() - started) / 1e6, "ms");
            System.out.println("operator JVM: " + String.join(" ", jvmOptions()) + " -XX:MaxRAM=" + MEMORY);

            for (int f = 0; f < FAILING; f++) {
                client.resource(Fixtures.foreignDeployment(
                                failingNamespace(f), ResourceNames.frontEndDeployment("ase")))
                        .create();
            }
            drain(server);
            List<HasMetadata> resources = resources();
            long applying = System.nanoTime();
            double operatorCpu = cpuSeconds(operator.pid());
            double harnessCpu = cpuSeconds(ProcessHandle.current().pid());
            ExecutorService pool = Executors.newFixedThreadPool(8);
            for (HasMetadata r : resources) {
                pool.submit(() -> client.resource(r).create());
            }
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.MINUTES);
            print("applied custom resources", resources.size(), "");
            print("apply time", (System.nanoTime() - applying) / 1e6, "ms");

            int healthy = ENVIRONMENTS - FAILING;
            // env: config map, front-end Deployment, 3 Services, worker policy; plan: placeholder Deployment; app:
            // Deployment, Service
            int expectedChildren = healthy * (1 + 1 + 3 + 1) + healthy * PLANS * (1 + APPS * 2);
            long applied = System.nanoTime();
            long converged = waitConverged(client, expectedChildren, healthy * (1 + PLANS + PLANS * APPS));
            print("convergence (all children, every status written)", (converged - applying) / 1e6, "ms");
            print("convergence after the last apply", (converged - applied) / 1e6, "ms");
            double operatorUsed = cpuSeconds(operator.pid()) - operatorCpu;
            print("operator CPU time until convergence", operatorUsed * 1000, "ms");
            print("operator CPU time per custom resource", operatorUsed * 1000 / resources.size(), "ms");
            print(
                    "mock API server and client CPU time (this JVM)",
                    (cpuSeconds(ProcessHandle.current().pid()) - harnessCpu) * 1000,
                    "ms");
            for (int f = 0; f < FAILING; f++) {
                AppServiceEnvironment failing = client.resources(AppServiceEnvironment.class)
                        .inNamespace(failingNamespace(f))
                        .withName("ase")
                        .get();
                var ready = failing.getStatus() == null
                        ? null
                        : Conditions.find(failing.getStatus().getConditions(), "Ready");
                System.out.println("failing environment " + failingNamespace(f) + "/ase: Ready="
                        + (ready == null
                                ? "none"
                                : ready.getStatus() + " " + ready.getReason() + ": " + ready.getMessage()));
            }
            reconcileTimes();
            Map<String, Integer> writes = operatorWrites(server);
            int childCreates = writes.entrySet().stream()
                    .filter(w -> w.getKey().startsWith("POST ") && !w.getKey().equals("POST events"))
                    .mapToInt(Map.Entry::getValue)
                    .sum();
            print(
                    "operator creates of children" + (FAILING > 0 ? " of healthy environments" : "")
                            + " (each child once: " + expectedChildren + ")",
                    childCreates,
                    "");
            new java.util.TreeMap<>(writes).forEach((what, count) -> print("  " + what, count, ""));

            if (CONVERGENCE_ONLY) {
                return;
            }
            // Forced resync: the controllers' maximum reconciliation interval is 20 s here.
            drain(server);
            Thread.sleep(45_000);
            Map<String, Integer> resync = operatorWrites(server);
            print(
                    "writes during 45 s with two forced resyncs",
                    resync.values().stream().mapToInt(Integer::intValue).sum(),
                    "");
            print("RSS with everything cached", rssMiB(operator), "MiB");
            memoryBreakdown(operator);

            admission(httpsPort);
            offline(resources);
        } finally {
            operator.destroy();
            operator.waitFor(20, TimeUnit.SECONDS);
            client.close();
            server.destroy();
        }
    }

    static Process start(KubernetesMockServer server, int httpsPort) throws IOException {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(jvmOptions());
        // Outside a container there is no memory limit to size from: pass the container's as the JVM's view of RAM.
        command.add("-XX:MaxRAM=" + MEMORY);
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(ImageJvmOptions.environment());
        builder.environment().put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", server.url("/"));
        builder.environment().put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", "default");
        builder.environment().put("QUARKUS_HTTP_PORT", "18080");
        builder.environment().put("QUARKUS_HTTP_SSL_PORT", Integer.toString(httpsPort));
        builder.environment()
                .put(
                        "ASE_WEBHOOK_TLS_CERT",
                        Path.of("src/test/resources/tls/tls.crt")
                                .toAbsolutePath()
                                .toString());
        builder.environment()
                .put(
                        "ASE_WEBHOOK_TLS_KEY",
                        Path.of("src/test/resources/tls/tls.key")
                                .toAbsolutePath()
                                .toString());
        for (String c : List.of("APPSERVICEENVIRONMENT", "ISOLATEDPLAN", "WEBAPP")) {
            builder.environment().put("QUARKUS_OPERATOR_SDK_CONTROLLERS_" + c + "_MAX_RECONCILIATION_INTERVAL", "20s");
        }
        builder.redirectErrorStream(true)
                .redirectOutput(Path.of("target", "benchmark-operator.log").toFile());
        return builder.start();
    }

    static List<String> jvmOptions() throws IOException {
        return JVM_OVERRIDE == null
                ? ImageJvmOptions.read()
                : List.of(JVM_OVERRIDE.trim().split("\\s+"));
    }

    static void waitReady(Process operator) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 600; i++) {
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create("http://localhost:18080/q/health/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            if (!operator.isAlive()) {
                throw new IllegalStateException("the operator exited: see target/benchmark-operator.log");
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("not ready after 6 s");
    }

    public static List<HasMetadata> resources() {
        List<HasMetadata> all = new ArrayList<>();
        for (int e = 0; e < ENVIRONMENTS; e++) {
            String ns = "bench-" + e;
            all.add(Fixtures.environment(ns, "ase"));
            for (int p = 0; p < PLANS; p++) {
                all.add(Fixtures.plan(ns, "plan" + p, "ase", InstanceSize.I1, 2));
                for (int a = 0; a < APPS; a++) {
                    all.add(Fixtures.app(ns, "app" + p + "-" + a, "plan" + p, 8080 + a));
                }
            }
        }
        return all;
    }

    static String failingNamespace(int index) {
        return "bench-" + (ENVIRONMENTS / 2 + index);
    }

    static boolean healthy(HasMetadata resource) {
        String ns = resource.getMetadata().getNamespace();
        for (int f = 0; f < FAILING; f++) {
            if (failingNamespace(f).equals(ns)) {
                return false;
            }
        }
        return true;
    }

    /** Every healthy environment's children exist and every healthy resource's status is written. */
    static long waitConverged(KubernetesClient client, int children, int resources) throws InterruptedException {
        while (true) {
            long deployments = client.apps().deployments().inAnyNamespace().list().getItems().stream()
                    .filter(OperatorBenchmark::healthy)
                    .count();
            long services = client.services().inAnyNamespace().list().getItems().stream()
                    .filter(OperatorBenchmark::healthy)
                    .count();
            long configMaps = client.configMaps().inAnyNamespace().list().getItems().stream()
                    .filter(OperatorBenchmark::healthy)
                    .count();
            long policies = client.network().networkPolicies().inAnyNamespace().list().getItems().stream()
                    .filter(OperatorBenchmark::healthy)
                    .count();
            long withStatus = client.resources(AppServiceEnvironment.class).inAnyNamespace().list().getItems().stream()
                            .filter(OperatorBenchmark::healthy)
                            .filter(a -> a.getStatus() != null
                                    && a.getStatus().getApps() != null
                                    && a.getStatus().getApps() == PLANS * APPS)
                            .count()
                    + client.resources(IsolatedPlan.class).inAnyNamespace().list().getItems().stream()
                            .filter(OperatorBenchmark::healthy)
                            .filter(p -> p.getStatus() != null)
                            .count()
                    + client.resources(WebApp.class).inAnyNamespace().list().getItems().stream()
                            .filter(OperatorBenchmark::healthy)
                            .filter(a -> a.getStatus() != null && a.getStatus().getUrls() != null)
                            .count();
            if (deployments + services + configMaps + policies >= children && withStatus == resources) {
                return System.nanoTime();
            }
            Thread.sleep(200);
        }
    }

    static void drain(KubernetesMockServer server) throws InterruptedException {
        while (server.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
            // forget
        }
    }

    /** The operator's writes since the last call, by method and resource ("POST deployments", "PATCH isolatedplans/status"). */
    static Map<String, Integer> operatorWrites(KubernetesMockServer server) throws InterruptedException {
        Map<String, Integer> writes = new HashMap<>();
        RecordedRequest taken;
        while ((taken = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            RecordedRequest r = taken;
            if (!AGENT.equals(r.getHeader("User-Agent"))
                    && List.of("POST", "PUT", "PATCH", "DELETE").contains(r.getMethod())) {
                boolean failing = java.util.stream.IntStream.range(0, FAILING)
                        .anyMatch(f -> r.getPath().contains("/namespaces/" + failingNamespace(f) + "/"));
                writes.merge(
                        (failing ? "(failing environment's namespace) " : "") + r.getMethod() + " "
                                + resourceOf(r.getPath()),
                        1,
                        Integer::sum);
            }
        }
        return writes;
    }

    /** ".../namespaces/ns/deployments/name/status?x" → "deployments/status"; a POST's path ends at the resource. */
    static String resourceOf(String path) {
        String[] segments = path.replaceFirst("\\?.*", "").split("/");
        for (int i = 0; i < segments.length - 2; i++) {
            if (segments[i].equals("namespaces")) {
                String resource = segments[i + 2];
                return i + 4 < segments.length ? resource + "/" + segments[i + 4] : resource;
            }
        }
        return path;
    }

    /** User plus system CPU time of a process so far, from /proc (clock ticks of 1/100 s). */
    public static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    public static long rssMiB(Process process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    /**
     * Plan creations for environment bench-0, answered from caches holding 1,000 plans, driven by
     * {@code wrk} (one thread, a separate process) over HTTPS keep-alive connections on loopback:
     * a 5 s warm-up, then 20 s at each number of connections.
     */
    static void admission(int port) throws Exception {
        IsolatedPlan plan = Fixtures.plan("bench-0", "new-plan", "ase", InstanceSize.I1, 5);
        String body = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"group":"appservice.dev","version":"v1alpha1","kind":"IsolatedPlan"},
                "resource":{"group":"appservice.dev","version":"v1alpha1","resource":"isolatedplans"},"name":"new-plan","namespace":"bench-0",
                "operation":"CREATE","userInfo":{"username":"admin"},"object":%s}}""".formatted(new KubernetesSerialization().asJson(plan));
        Path script = Path.of("target", "bench-admission.lua");
        Files.writeString(script, """
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                wrk.body = [==[%s]==]
                local threads = {}
                function setup(thread) table.insert(threads, thread) end
                function response(status, headers, body)
                  if status ~= 200 or not string.find(body, '"allowed":true', 1, true) then
                    wrong = (wrong or 0) + 1
                    if wrong == 1 then io.stderr:write("unexpected answer " .. status .. ": " .. body .. "\\n") end
                  end
                end
                function done(summary, latency, requests)
                  local wrong = 0
                  for _, thread in ipairs(threads) do wrong = wrong + (thread:get("wrong") or 0) end
                  local e = summary.errors
                  io.write(string.format("errors %%d\\n", wrong + e.connect + e.read + e.write + e.timeout))
                end
                """.formatted(body));
        String url = "https://localhost:" + port + "/admission/validate";
        wrk(script, url, 8, 5); // warm-up: JIT, connection set-up
        for (int connections : List.of(4, 8, 16)) {
            Map<String, Double> figures = wrk(script, url, connections, 20);
            print("admission reviews per second (wrk, " + connections + " connections)", figures.get("rps"), "");
            print("admission p50 (" + connections + " connections)", figures.get("p50"), "ms");
            print("admission p99 (" + connections + " connections)", figures.get("p99"), "ms");
            print("admission errors (" + connections + " connections)", figures.get("errors"), "");
        }
    }

    /** Runs wrk and reads requests per second, p50 and p99 (ms) and errors off its report. */
    static Map<String, Double> wrk(Path script, String url, int connections, int seconds) throws Exception {
        Process wrk = new ProcessBuilder(
                        "wrk",
                        "-t1",
                        "-c" + connections,
                        "-d" + seconds + "s",
                        "--latency",
                        "-s",
                        script.toString(),
                        url)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String report = new String(wrk.getInputStream().readAllBytes());
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed (install it: apt-get install -y wrk):\n" + report);
        }
        Files.writeString(Path.of("target", "bench-wrk-" + connections + ".txt"), report);
        Map<String, Double> figures = new HashMap<>();
        for (String line : report.lines().map(String::trim).toList()) {
            String[] words = line.split("\\s+");
            if (line.startsWith("Requests/sec:")) {
                figures.put("rps", Double.parseDouble(words[1]));
            } else if (line.startsWith("50%")) {
                figures.put("p50", millis(words[1]));
            } else if (line.startsWith("99%")) {
                figures.put("p99", millis(words[1]));
            } else if (line.startsWith("errors ")) {
                figures.put("errors", Double.parseDouble(words[1]));
            }
        }
        return figures;
    }

    static double millis(String wrkDuration) {
        double value = Double.parseDouble(wrkDuration.replaceAll("[a-z]+$", ""));
        if (wrkDuration.endsWith("us")) {
            return value / 1000;
        }
        if (wrkDuration.endsWith("ms")) {
            return value;
        }
        if (wrkDuration.endsWith("m")) {
            return value * 60_000;
        }
        return value * 1000; // s
    }

    /** The operator's own time: reconcile count and mean duration per controller, from its Prometheus metrics. */
    static void reconcileTimes() throws Exception {
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:18080/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Files.writeString(Path.of("target", "bench-metrics.txt"), metrics);
        Map<String, double[]> byController = new java.util.TreeMap<>();
        for (String line : metrics.lines().toList()) {
            var m = java.util.regex.Pattern.compile(
                            "^\\S*reconciliations_execution_duration_seconds_(sum|count)\\{[^}]*controller_name=\"([^\"]+)\"[^}]*} (\\S+)")
                    .matcher(line);
            if (m.find()) {
                double[] sumCount = byController.computeIfAbsent(m.group(2), c -> new double[2]);
                sumCount[m.group(1).equals("sum") ? 0 : 1] += Double.parseDouble(m.group(3));
            }
        }
        if (byController.isEmpty()) {
            System.out.println("no reconcile duration metric found: see target/bench-metrics.txt");
        }
        byController.forEach((controller, sumCount) -> {
            print("reconciles of " + controller, sumCount[1], "");
            print("mean reconcile time of " + controller, sumCount[0] / sumCount[1] * 1000, "ms");
        });
    }

    /** Where the memory goes: the heap (jcmd GC.heap_info, the top of GC.class_histogram) and, with -XX:NativeMemoryTracking=summary, the rest. */
    static void memoryBreakdown(Process operator) throws Exception {
        memoryBreakdown(operator, Path.of("target", "bench-memory.txt"));
    }

    /** The same breakdown, written to {@code report}. */
    public static void memoryBreakdown(Process operator, Path file) throws Exception {
        StringBuilder out = new StringBuilder();
        for (List<String> command : List.of(
                List.of("GC.heap_info"), List.of("VM.native_memory", "summary"), List.of("GC.class_histogram"))) {
            List<String> line = new ArrayList<>(List.of("jcmd", Long.toString(operator.pid())));
            line.addAll(command);
            Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
            String report = new String(jcmd.getInputStream().readAllBytes());
            out.append("$ ")
                    .append(String.join(" ", line))
                    .append('\n')
                    .append(report.lines().limit(60).collect(java.util.stream.Collectors.joining("\n")))
                    .append("\n\n");
            jcmd.waitFor();
        }
        Files.writeString(file, out);
        System.out.println("memory breakdown: " + file);
    }

    /** render and validate of all 3,100 resources, as processes (JVM start included), median of 3. */
    static void offline(List<HasMetadata> resources) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "bench-manifests"));
        StringBuilder yaml = new StringBuilder();
        KubernetesSerialization serialization = new KubernetesSerialization();
        for (HasMetadata r : resources) {
            r.getMetadata().setResourceVersion(null);
            r.getMetadata().setUid(null);
            r.getMetadata().setCreationTimestamp(null);
            r.getMetadata().setGeneration(null);
            r.getMetadata().setManagedFields(null);
            yaml.append(serialization.asYaml(r).replaceFirst("(?s)^---\n", "---\n"))
                    .append('\n');
        }
        Files.writeString(dir.resolve("all.yaml"), yaml.toString());
        for (String command : List.of("render", "validate")) {
            double[] times = new double[3];
            for (int i = 0; i < 3; i++) {
                long s = System.nanoTime();
                Process p = new ProcessBuilder("java", "-jar", JAR.toString(), command, "-f", dir.toString())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(
                                Path.of("target", "bench-" + command + ".err").toFile())
                        .start();
                int code = p.waitFor();
                times[i] = (System.nanoTime() - s) / 1e6;
                if (code != 0) {
                    throw new IllegalStateException(
                            command + " exited " + code + ": see target/bench-" + command + ".err");
                }
            }
            java.util.Arrays.sort(times);
            print(command + " of " + resources.size() + " resources (JVM start included)", times[1], "ms");
        }
    }

    public static void print(String what, double value, String unit) {
        System.out.printf("%-60s %12.1f %s%n", what, value, unit);
    }

    private OperatorBenchmark() {}
}
