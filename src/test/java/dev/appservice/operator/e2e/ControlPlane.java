package dev.appservice.operator.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Kubernetes control plane on loopback, from the binaries {@code e2e/cluster/build} makes:
 * etcd, kube-apiserver (RBAC, the default admission plugins with Pod Security, an audit log of
 * every request), kube-controller-manager (garbage collection, Deployments, ReplicaSets,
 * EndpointSlices, namespaces, service accounts), kube-scheduler, and kwok in place of the nodes'
 * kubelets (pods scheduled to its nodes become Running and Ready with addresses).
 *
 * <p>Fabric8's kube-api-test starts etcd and kube-apiserver too, but cannot do what this suite
 * needs: it restarts neither process on its own (its stop deletes etcd's data), and it starts the
 * API server without the ServiceAccount admission plugin and without an audit log. So this
 * launcher starts every component itself, on ports chosen at start, each logging to
 * {@code target/e2e/<component>.log}.
 */
final class ControlPlane implements AutoCloseable {
    /** What the apiserver's service account tokens are issued for and checked against. */
    static final String ISSUER = "https://kubernetes.default.svc.cluster.local";

    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    /** Requests per second the controller manager and the scheduler may send (their defaults: 20 and 50). */
    private static final int CONTROLLER_QPS = 500;
    /** The quota controller's full resync: how long a new quota may leave a custom resource uncounted. */
    static final java.time.Duration QUOTA_RESYNC = java.time.Duration.ofSeconds(15);

    private final Path binaries;
    private final Path work;
    private final Path logs;
    private final ClusterPki pki;
    private final int etcdClientPort;
    private final int etcdPeerPort;
    private final int apiServerPort;
    private final Map<String, Process> processes = new LinkedHashMap<>();

    private ControlPlane(Path binaries, Path work, Path logs) throws IOException {
        this.binaries = binaries;
        this.work = work;
        this.logs = logs;
        Files.createDirectories(logs);
        this.pki = ClusterPki.create(work.resolve("pki"));
        this.etcdClientPort = OperatorProcess.freePort();
        this.etcdPeerPort = OperatorProcess.freePort();
        this.apiServerPort = OperatorProcess.freePort();
        Files.writeString(work.resolve("audit-policy.yaml"), AUDIT_POLICY);
        Files.writeString(work.resolve("admin.kubeconfig"), kubeconfig(adminUser()));
    }

    /** Starts every component and returns once the API server is ready and the nodes exist. */
    static ControlPlane start(Path binaries, Path work, Path logs) throws Exception {
        ControlPlane plane = new ControlPlane(binaries, work, logs);
        try {
            plane.startEtcd();
            plane.startApiServer();
            plane.awaitApiServer();
            plane.startControllers();
            return plane;
        } catch (Exception | Error e) {
            plane.close();
            throw e;
        }
    }

    String url() {
        return "https://127.0.0.1:" + apiServerPort;
    }

    Path adminKubeconfig() {
        return work.resolve("admin.kubeconfig");
    }

    Path auditLog() {
        return logs.resolve("audit.log");
    }

    Path binary(String name) {
        return binaries.resolve(name);
    }

    String caCertificate() {
        return pki.pem(ClusterPki.CA_CERT);
    }

    /** A client with the administrator's certificate (system:masters). */
    KubernetesClient adminClient() {
        Config config = Config.empty();
        config.setMasterUrl(url());
        config.setCaCertData(base64(pki.pem(ClusterPki.CA_CERT)));
        config.setClientCertData(base64(pki.pem(ClusterPki.ADMIN_CERT)));
        config.setClientKeyData(base64(pki.pem(ClusterPki.ADMIN_KEY)));
        config.setClientKeyAlgo("EC");
        config.setRequestTimeout(30_000);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** A kubeconfig that authenticates with a bearer token (a service account's, from TokenRequest). */
    String kubeconfigWithToken(String token) {
        return kubeconfig("    token: " + token + "\n");
    }

    /** The API server's Prometheus metrics, read as the administrator. */
    String metrics() {
        try (KubernetesClient client = adminClient()) {
            return client.raw("/metrics");
        }
    }

    /**
     * Stops etcd and the API server (SIGKILL, as a node failure would) and starts both again on the
     * same ports and data: clients see connection errors, then watches that must be re-established
     * and may be told their resourceVersion is too old.
     */
    void restartStorageAndApiServer() throws Exception {
        Instant began = Instant.now();
        stop("kube-apiserver");
        stop("etcd");
        startEtcd();
        startApiServer();
        awaitApiServer();
        restarts.add(new Restart(began, Instant.now()));
    }

    /** A restart of the API server: from the kill until /readyz answered ok again. */
    record Restart(Instant began, Instant ready) {
        /**
         * Whether a request was received while the restarted server was starting: until its RBAC
         * authorizer has read the roles (shortly before /readyz says ok, or just after), it
         * answers 403 to requests the roles allow, as any kube-apiserver does at start-up.
         */
        boolean during(Instant received) {
            return !received.isBefore(began) && !received.isAfter(ready.plus(AUTHORIZER_SYNC));
        }
    }

    /** How long after /readyz a restarted server may still be filling its authorizer's cache. */
    static final Duration AUTHORIZER_SYNC = Duration.ofSeconds(5);

    private final List<Restart> restarts = new ArrayList<>();

    List<Restart> restarts() {
        return List.copyOf(restarts);
    }

    private void startEtcd() throws IOException {
        String client = "http://127.0.0.1:" + etcdClientPort;
        String peer = "http://127.0.0.1:" + etcdPeerPort;
        launch(
                "etcd",
                List.of(
                        binary("etcd").toString(),
                        "--name=e2e",
                        "--data-dir=" + work.resolve("etcd"),
                        "--listen-client-urls=" + client,
                        "--advertise-client-urls=" + client,
                        "--listen-peer-urls=" + peer,
                        "--initial-advertise-peer-urls=" + peer,
                        "--initial-cluster=e2e=" + peer,
                        "--listen-metrics-urls=",
                        // A test cluster: durability across power loss is not needed, speed on a busy disk is.
                        "--unsafe-no-fsync=true",
                        "--log-level=warn"));
    }

    private void startApiServer() throws IOException {
        launch(
                "kube-apiserver",
                List.of(
                        binary("kube-apiserver").toString(),
                        "--etcd-servers=http://127.0.0.1:" + etcdClientPort,
                        "--bind-address=127.0.0.1",
                        "--advertise-address=127.0.0.1",
                        "--secure-port=" + apiServerPort,
                        "--cert-dir=" + work.resolve("apiserver-certs"),
                        "--tls-cert-file=" + pki.file(ClusterPki.SERVING_CERT),
                        "--tls-private-key-file=" + pki.file(ClusterPki.SERVING_KEY),
                        "--client-ca-file=" + pki.file(ClusterPki.CA_CERT),
                        "--authorization-mode=RBAC",
                        "--service-account-issuer=" + ISSUER,
                        "--api-audiences=" + ISSUER,
                        "--service-account-key-file=" + pki.file(ClusterPki.SERVICE_ACCOUNT_PUBLIC_KEY),
                        "--service-account-signing-key-file=" + pki.file(ClusterPki.SERVICE_ACCOUNT_KEY),
                        "--service-cluster-ip-range=10.96.0.0/16",
                        // No kubernetes Service endpoints: 127.0.0.1 is not a valid endpoint address.
                        "--endpoint-reconciler-type=none",
                        "--audit-policy-file=" + work.resolve("audit-policy.yaml"),
                        "--audit-log-path=" + auditLog(),
                        "--audit-log-format=json",
                        "--audit-log-mode=blocking",
                        "--audit-log-maxsize=0",
                        "--profiling=false",
                        "--v=1"));
    }

    private void startControllers() throws IOException {
        Path kubeconfig = adminKubeconfig();
        launch(
                "kube-controller-manager",
                List.of(
                        binary("kube-controller-manager").toString(),
                        "--kubeconfig=" + kubeconfig,
                        "--leader-elect=false",
                        "--bind-address=127.0.0.1",
                        "--secure-port=0",
                        "--service-account-private-key-file=" + pki.file(ClusterPki.SERVICE_ACCOUNT_KEY),
                        "--root-ca-file=" + pki.file(ClusterPki.CA_CERT),
                        "--use-service-account-credentials=false",
                        // The default 20 requests/s would make the controllers, not the operator, the
                        // bottleneck of the benchmark's thousands of pods.
                        "--kube-api-qps=" + CONTROLLER_QPS,
                        "--kube-api-burst=" + 2 * CONTROLLER_QPS,
                        // kwok renews each node's Lease; a busy test machine may delay one, which must
                        // not mark every pod of a node unready.
                        "--node-monitor-grace-period=2m",
                        // A new ResourceQuota counts a custom resource only at the quota controller's
                        // full resync (5 minutes by default); until then the API server refuses the
                        // creates it covers. The benchmark's tenant quota waited for it on every run.
                        "--resource-quota-sync-period=" + QUOTA_RESYNC.toSeconds() + "s",
                        "--controllers=*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller,-node-route-controller",
                        "--v=1"));
        launch(
                "kube-scheduler",
                List.of(
                        binary("kube-scheduler").toString(),
                        "--kubeconfig=" + kubeconfig,
                        "--kube-api-qps=" + CONTROLLER_QPS,
                        "--kube-api-burst=" + 2 * CONTROLLER_QPS,
                        "--leader-elect=false",
                        "--bind-address=127.0.0.1",
                        "--secure-port=0",
                        "--v=1"));
        launch(
                "kwok",
                List.of(
                        binary("kwok").toString(),
                        "--kubeconfig=" + kubeconfig,
                        "--config=" + binary("kwok-stages.yaml"),
                        "--manage-all-nodes=false",
                        "--manage-nodes-with-annotation-selector=" + KwokNodes.MANAGED_ANNOTATION + "=fake",
                        "--server-address=",
                        "--cidr=10.244.0.0/16",
                        "--node-ip=10.240.0.1",
                        "--node-lease-duration-seconds=40",
                        "--v=1"));
    }

    private void launch(String name, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        logs.resolve(name + ".log").toFile()))
                .start();
        processes.put(name, process);
        // Never left behind by a test JVM that is stopped: the components go with it.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    }

    private void stop(String name) throws InterruptedException {
        Process process = processes.remove(name);
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private void awaitApiServer() throws Exception {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        Exception last = null;
        try (KubernetesClient client = adminClient()) {
            while (System.nanoTime() < deadline) {
                for (Map.Entry<String, Process> component : processes.entrySet()) {
                    if (!component.getValue().isAlive()) {
                        throw new IllegalStateException(component.getKey() + " exited with "
                                + component.getValue().exitValue() + ", see "
                                + logs.resolve(component.getKey() + ".log"));
                    }
                }
                try {
                    String ready = client.raw("/readyz");
                    if ("ok".equals(ready)) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("kube-apiserver not ready within " + READY_WITHIN, last);
    }

    /** Components that stopped on their own, with their exit codes (none, in a healthy plane). */
    Map<String, Integer> exited() {
        Map<String, Integer> exited = new LinkedHashMap<>();
        processes.forEach((name, process) -> {
            if (!process.isAlive()) {
                exited.put(name, process.exitValue());
            }
        });
        return exited;
    }

    @Override
    public void close() {
        List<String> names = new ArrayList<>(processes.keySet());
        java.util.Collections.reverse(names);
        for (String name : names) {
            Process process = processes.get(name);
            process.destroy();
        }
        for (String name : names) {
            try {
                Process process = processes.get(name);
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }

    private String adminUser() {
        return "    client-certificate: " + pki.file(ClusterPki.ADMIN_CERT) + "\n" + "    client-key: "
                + pki.file(ClusterPki.ADMIN_KEY) + "\n";
    }

    private String kubeconfig(String user) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: e2e
                  cluster:
                    server: %s
                    certificate-authority: %s
                users:
                - name: e2e
                  user:
                %scontexts:
                - name: e2e
                  context:
                    cluster: e2e
                    user: e2e
                current-context: e2e
                """.formatted(url(), pki.file(ClusterPki.CA_CERT), user);
    }

    private static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Every request of a service account (the operator runs as one) at Metadata level: who, what,
     * and the answer's code. The administrator's (the test's, the controllers', kwok's) are left out.
     */
    private static final String AUDIT_POLICY = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: ["RequestReceived", "ResponseStarted"]
            rules:
            - level: Metadata
              userGroups: ["system:serviceaccounts"]
            - level: None
            """;
}
