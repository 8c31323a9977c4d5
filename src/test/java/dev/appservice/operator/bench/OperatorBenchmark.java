package dev.appservice.operator.bench;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppSpec;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
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
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

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

    /** JVM options of the operator process (the chart's defaults), overridable with -Dbench.jvm="...". */
    static final String JVM = System.getProperty("bench.jvm", "-XX:MaxRAMPercentage=75 -XX:+UseSerialGC");
    /** The memory the operator's container is given (its limit: the JVM sizes its heap from it). */
    static final String MEMORY = System.getProperty("bench.memory", "512m");

    public static void main(String[] args) throws Exception {
        // The mock server logs every request at INFO; at thousands of requests that is the bottleneck.
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(server.createClient().getConfiguration()).withUserAgent(AGENT).withRequestTimeout(60_000).build()).build();
        try (var files = Files.list(Path.of("crds"))) {
            for (Path crd : files.sorted().toList()) {
                client.resource(new KubernetesSerialization().unmarshal(Files.readString(crd), CustomResourceDefinition.class)).create();
            }
        }
        int httpsPort = 18443;
        Process operator = start(server, httpsPort);
        try {
            long started = System.nanoTime();
            waitReady(operator);
            print("start-up to ready", (System.nanoTime() - started) / 1e6, "ms");
            System.out.println("operator JVM: " + JVM + " -XX:MaxRAM=" + MEMORY);

            drain(server);
            List<HasMetadata> resources = resources();
            long applying = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            for (HasMetadata r : resources) {
                pool.submit(() -> client.resource(r).create());
            }
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.MINUTES);
            print("applied custom resources", resources.size(), "");
            print("apply time", (System.nanoTime() - applying) / 1e6, "ms");

            int expectedChildren = ENVIRONMENTS * (1 + 1 + 3 + 1) + ENVIRONMENTS * PLANS * 2; // env: cm, deploy, 3 svc, policy; plan: deploy, svc
            long converged = waitConverged(client, expectedChildren, resources.size());
            print("convergence (all children, every status written)", (converged - applying) / 1e6, "ms");
            Map<String, Integer> writes = operatorWrites(server);
            int creates = writes.getOrDefault("POST", 0);
            print("operator creates", creates, "(children " + expectedChildren + ", events included)");
            print("operator updates (PUT)", writes.getOrDefault("PUT", 0), "");
            print("operator patches (status)", writes.getOrDefault("PATCH", 0), "");

            // Forced resync: the controllers' maximum reconciliation interval is 20 s here.
            drain(server);
            Thread.sleep(45_000);
            Map<String, Integer> resync = operatorWrites(server);
            print("writes during 45 s with two forced resyncs", resync.values().stream().mapToInt(Integer::intValue).sum(), "");
            print("RSS with everything cached", rssMiB(operator), "MiB");

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
        command.addAll(List.of(JVM.split(" ")));
        // Outside a container there is no memory limit to size from: pass the container's as the JVM's view of RAM.
        command.add("-XX:MaxRAM=" + MEMORY);
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", server.url("/"));
        builder.environment().put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", "default");
        builder.environment().put("QUARKUS_HTTP_PORT", "18080");
        builder.environment().put("QUARKUS_HTTP_SSL_PORT", Integer.toString(httpsPort));
        builder.environment().put("ASE_WEBHOOK_TLS_CERT", Path.of("src/test/resources/tls/tls.crt").toAbsolutePath().toString());
        builder.environment().put("ASE_WEBHOOK_TLS_KEY", Path.of("src/test/resources/tls/tls.key").toAbsolutePath().toString());
        for (String c : List.of("APPSERVICEENVIRONMENT", "ISOLATEDPLAN", "WEBAPP")) {
            builder.environment().put("QUARKUS_OPERATOR_SDK_CONTROLLERS_" + c + "_MAX_RECONCILIATION_INTERVAL", "20s");
        }
        builder.redirectErrorStream(true).redirectOutput(Path.of("target", "benchmark-operator.log").toFile());
        return builder.start();
    }

    static void waitReady(Process operator) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 600; i++) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://localhost:18080/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
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

    static List<HasMetadata> resources() {
        List<HasMetadata> all = new ArrayList<>();
        for (int e = 0; e < ENVIRONMENTS; e++) {
            String ns = "bench-" + e;
            all.add(Fixtures.environment(ns, "ase"));
            for (int p = 0; p < PLANS; p++) {
                all.add(Fixtures.plan(ns, "plan" + p, "ase", InstanceSize.I1, 2));
                for (int a = 0; a < APPS; a++) {
                    WebApp app = new WebApp();
                    app.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName("app" + p + "-" + a).build());
                    WebAppSpec spec = new WebAppSpec();
                    spec.setPlanName("plan" + p);
                    spec.setImage("registry.example/app:1");
                    spec.setPort(8080 + a);
                    app.setSpec(spec);
                    all.add(app);
                }
            }
        }
        return all;
    }

    static long waitConverged(KubernetesClient client, int children, int resources) throws InterruptedException {
        while (true) {
            int deployments = client.apps().deployments().inAnyNamespace().list().getItems().size();
            int services = client.services().inAnyNamespace().list().getItems().size();
            int configMaps = client.configMaps().inAnyNamespace().list().getItems().size();
            int policies = client.network().networkPolicies().inAnyNamespace().list().getItems().size();
            long withStatus = client.resources(AppServiceEnvironment.class).inAnyNamespace().list().getItems().stream()
                    .filter(a -> a.getStatus() != null && a.getStatus().getApps() != null && a.getStatus().getApps() == PLANS * APPS).count()
                    + client.resources(IsolatedPlan.class).inAnyNamespace().list().getItems().stream().filter(p -> p.getStatus() != null).count()
                    + client.resources(WebApp.class).inAnyNamespace().list().getItems().stream()
                            .filter(a -> a.getStatus() != null && a.getStatus().getUrls() != null).count();
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

    static Map<String, Integer> operatorWrites(KubernetesMockServer server) throws InterruptedException {
        Map<String, Integer> writes = new HashMap<>();
        RecordedRequest r;
        while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            if (!AGENT.equals(r.getHeader("User-Agent")) && List.of("POST", "PUT", "PATCH", "DELETE").contains(r.getMethod())) {
                writes.merge(r.getMethod(), 1, Integer::sum);
            }
        }
        return writes;
    }

    static long rssMiB(Process process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    /** Plan creations for environment bench-0 (which holds 200 plan instances' worth of plans nearby), from 16 threads for 20 s. */
    static void admission(int port) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (var in = Files.newInputStream(Path.of("src/test/resources/tls/tls.crt"))) {
            trust.setCertificateEntry("webhook", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
        IsolatedPlan plan = Fixtures.plan("bench-0", "new-plan", "ase", InstanceSize.I1, 5);
        String body = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"group":"appservice.dev","version":"v1alpha1","kind":"IsolatedPlan"},
                "resource":{"group":"appservice.dev","version":"v1alpha1","resource":"isolatedplans"},"name":"new-plan","namespace":"bench-0",
                "operation":"CREATE","userInfo":{"username":"admin"},"object":%s}}""".formatted(new KubernetesSerialization().asJson(plan));
        URI uri = URI.create("https://localhost:" + port + "/admission/validate");
        int threads = 16;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long warmup = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong errors = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                while (System.nanoTime() < until) {
                    long s = System.nanoTime();
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200 || !response.body().contains("\"allowed\":true")) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    if (s > warmup) {
                        latencies.add(System.nanoTime() - s);
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        print("admission reviews per second (16 connections, HTTPS, keep-alive)", sorted.length / 17.0, "");
        print("admission p50", sorted[sorted.length / 2] / 1e6, "ms");
        print("admission p99", sorted[(int) (sorted.length * 0.99)] / 1e6, "ms");
        print("admission errors", errors.get(), "");
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
            yaml.append(serialization.asYaml(r).replaceFirst("(?s)^---\n", "---\n")).append('\n');
        }
        Files.writeString(dir.resolve("all.yaml"), yaml.toString());
        for (String command : List.of("render", "validate")) {
            double[] times = new double[3];
            for (int i = 0; i < 3; i++) {
                long s = System.nanoTime();
                Process p = new ProcessBuilder("java", "-jar", JAR.toString(), command, "-f", dir.toString())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(Path.of("target", "bench-" + command + ".err").toFile()).start();
                int code = p.waitFor();
                times[i] = (System.nanoTime() - s) / 1e6;
                if (code != 0) {
                    throw new IllegalStateException(command + " exited " + code + ": see target/bench-" + command + ".err");
                }
            }
            java.util.Arrays.sort(times);
            print(command + " of " + resources.size() + " resources (JVM start included)", times[1], "ms");
        }
    }

    static void print(String what, double value, String unit) {
        System.out.printf("%-60s %12.1f %s%n", what, value, unit);
    }

    private OperatorBenchmark() {
    }

}
