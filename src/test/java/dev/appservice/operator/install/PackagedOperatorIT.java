package dev.appservice.operator.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.File;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator, configured with the environment the chart renders (downward API
 * resolved), run as processes against the mock API server. The API server answers the SDK's
 * start-up access check with the rules of the chart's leader-election Role, so a Role missing a
 * verb the SDK needs fails here; every request the operators make, from their first list and
 * watch on, must be allowed by the chart's RBAC.
 */
class PackagedOperatorIT {
    static final String TEST_USER_AGENT = "ase-operator-it";
    /** Kubernetes' own system:basic-user role, bound to every authenticated user: "what may I do?" */
    static final Set<Grant> EVERY_AUTHENTICATED_USER = Set.of(
            Grant.of(Grant.CLUSTER, "authorization.k8s.io", "selfsubjectrulesreviews", "create"),
            Grant.of(Grant.CLUSTER, "authorization.k8s.io", "selfsubjectaccessreviews", "create"));
    /** An upper bound only: on a loaded two-core CI machine the packaged jar takes tens of seconds to start. */
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    static final String NAMESPACE = HelmChart.NAMESPACE;

    final List<Process> operators = new ArrayList<>();
    KubernetesMockServer server;

    @AfterEach
    void stop() throws InterruptedException {
        for (Process operator : operators) {
            operator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.destroy();
        }
    }

    /** Two replicas: one holds the chart's Lease and reconciles; when it stops, the other takes over. */
    @Test
    void oneReplicaLeadsAndTheOtherTakesOver() throws Exception {
        Manifest chart = HelmChart.render();
        try (KubernetesClient client = startServer(chart)) {
            Map<String, String> env = operatorEnvironment(chart);
            String leaseName = env.get("ASE_LEADER_ELECTION_LEASE_NAME");

            Process a = start("operator-a", env, "a");
            Lease lease = await().atMost(TIMEOUT)
                    .until(
                            () -> client.resources(Lease.class)
                                    .inNamespace(NAMESPACE)
                                    .withName(leaseName)
                                    .get(),
                            l -> l != null && "operator-a".equals(l.getSpec().getHolderIdentity()));
            assertThat(lease.getSpec().getLeaseDurationSeconds()).isPositive();
            Map<String, String> standbyEnv = new HashMap<>(env);
            int standbyPort = freePort();
            standbyEnv.put("QUARKUS_HTTP_PORT", Integer.toString(standbyPort));
            standbyEnv.put("QUARKUS_HTTP_SSL_PORT", Integer.toString(freePort()));
            start("operator-b", standbyEnv, "b");

            client.resource(Fixtures.environment("team", "first")).create();
            await().atMost(TIMEOUT)
                    .until(() -> client.resources(Deployment.class)
                                    .inNamespace("team")
                                    .withName("first-frontend")
                                    .get()
                            != null);
            assertThat(client.resources(Lease.class)
                            .inNamespace(NAMESPACE)
                            .withName(leaseName)
                            .get()
                            .getSpec()
                            .getHolderIdentity())
                    .as("the second replica waits")
                    .isEqualTo("operator-a");
            // The standby says it does not lead and exports no status gauges (the leader's are the ones summed).
            String standby = await().atMost(TIMEOUT)
                    .ignoreExceptions()
                    .until(() -> scrape(standbyPort), b -> b.contains("ase_operator_leader "));
            assertThat(standby)
                    .containsPattern("(?m)^ase_operator_leader 0\\.0$")
                    .doesNotContain("ase_environment_front_ends_desired{");

            a.destroy(); // SIGTERM, as Kubernetes stops a pod
            assertThat(a.waitFor(30, TimeUnit.SECONDS)).isTrue();
            await().atMost(TIMEOUT)
                    .until(() -> "operator-b"
                            .equals(client.resources(Lease.class)
                                    .inNamespace(NAMESPACE)
                                    .withName(leaseName)
                                    .get()
                                    .getSpec()
                                    .getHolderIdentity()));
            client.resource(Fixtures.environment("team", "second")).create();
            await().atMost(TIMEOUT)
                    .until(() -> client.resources(Deployment.class)
                                    .inNamespace("team")
                                    .withName("second-frontend")
                                    .get()
                            != null);
            String leader = await().atMost(TIMEOUT)
                    .ignoreExceptions()
                    .until(
                            () -> scrape(standbyPort),
                            b -> b.contains("ase_environment_front_ends_desired{environment=\"second\""));
            assertThat(leader).as("the new leader says so").containsPattern("(?m)^ase_operator_leader 1\\.0$");

            assertSelfManagedWebhookCertificates(client, env);
        }
        assertEveryOperatorRequestAllowed(chart);
    }

    /** With watchNamespaces, the operator reconciles only there, and its Roles there are enough. */
    @Test
    void watchNamespacesLimitTheOperatorToThem() throws Exception {
        Manifest chart = HelmChart.render("watchNamespaces: [team-a, team-c]");
        try (KubernetesClient client = startServer(chart)) {
            Map<String, String> env = new HashMap<>(operatorEnvironment(chart));
            int port = freePort();
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            // Both ports fixed, as in the metrics test: with one random, the HTTP meters clash.
            env.put("QUARKUS_HTTP_SSL_PORT", Integer.toString(freePort()));
            start("operator-a", env, "watch");
            // Created once the operator is ready (its informers have listed and watch): the mock
            // server does not replay to a watch what was created between its list and the watch's
            // start, as a real API server does from the list's resourceVersion.
            awaitReady(port);
            client.resource(Fixtures.environment("team-b", "outside")).create();
            client.resource(Fixtures.environment("team-a", "inside")).create();
            await().atMost(TIMEOUT)
                    .until(() -> client.resources(Deployment.class)
                                    .inNamespace("team-a")
                                    .withName("inside-frontend")
                                    .get()
                            != null);
            // The environment created after the outside one has been reconciled to the end (its status written).
            await().atMost(TIMEOUT).until(() -> {
                var inside = client.resources(dev.appservice.operator.api.AppServiceEnvironment.class)
                        .inNamespace("team-a")
                        .withName("inside")
                        .get();
                return inside.getStatus() != null
                        && inside.getStatus().getConditions() != null
                        && !inside.getStatus().getConditions().isEmpty();
            });
            assertThat(client.resources(Deployment.class)
                            .inNamespace("team-b")
                            .withName("outside-frontend")
                            .get())
                    .as("an environment outside the watched namespaces is left alone")
                    .isNull();
        }
        assertEveryOperatorRequestAllowed(chart);
    }

    /**
     * The packaged jar exports the SDK's reconcile metrics (a Quarkus test does not show it: the
     * extension's prod-mode wiring once left them out, see ReconcileMetrics), labelled by controller,
     * and every metric the chart's Grafana dashboard and PrometheusRule read: after an environment
     * is reconciled and the webhook has answered a review, each name is a series of the scrape.
     */
    @Test
    void thePackagedOperatorExportsEveryMetricTheDashboardAndAlertsRead() throws Exception {
        Manifest chart = HelmChart.render();
        try (KubernetesClient client = startServer(chart)) {
            int port = freePort();
            Map<String, String> env = new HashMap<>(operatorEnvironment(chart));
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            // Both ports fixed: with one random (0), Quarkus' HTTP meters get two sets of tags and Prometheus refuses
            // them.
            env.put("QUARKUS_HTTP_SSL_PORT", Integer.toString(freePort()));
            start("operator-a", env, "metrics");
            client.resource(Fixtures.environment("team", "metered")).create();
            await().atMost(TIMEOUT)
                    .until(() -> client.resources(Deployment.class)
                                    .inNamespace("team")
                                    .withName("metered-frontend")
                                    .get()
                            != null);
            HttpClient http = HttpClient.newHttpClient();
            String review =
                    """
                    {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"it-1",
                      "kind":{"group":"appservice.dev","version":"v1alpha1","kind":"IsolatedPlan"},
                      "resource":{"group":"appservice.dev","version":"v1alpha1","resource":"isolatedplans"},
                      "name":"web","namespace":"team","operation":"CREATE","userInfo":{"username":"it"},
                      "object":%s}}""".formatted(Serialization.asJson(Fixtures.plan("team", "web", "metered", InstanceSize.I1, 1)));
            URI webhook = URI.create("http://localhost:" + port + "/admission/validate");
            String answer = await().atMost(TIMEOUT)
                    .until(
                            () -> http.send(
                                            HttpRequest.newBuilder(webhook)
                                                    .header("content-type", "application/json")
                                                    .POST(HttpRequest.BodyPublishers.ofString(review))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .body(),
                            b -> b.contains("\"allowed\""));
            assertThat(answer).contains("\"allowed\":true");

            URI metrics = URI.create("http://localhost:" + port + "/q/metrics");
            Set<String> used =
                    new TreeSet<>(MonitoringQueries.metricNames(HelmChart.render(MonitoringQueries.ENABLED)));
            used.removeAll(MonitoringQueries.MADE_BY_PROMETHEUS);
            String body = await().atMost(TIMEOUT)
                    .until(
                            () -> http.send(
                                            HttpRequest.newBuilder(metrics).build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .body(),
                            b -> b.contains("ase_environment_condition{")
                                    && b.contains("reconciliations_success_total"));
            Set<String> exported = body.lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> l.split("[{ ]", 2)[0])
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(used).as("metrics the dashboard and the rules read").hasSizeGreaterThan(10);
            assertThat(exported).as("the operator's scrape").containsAll(used);
            // ... and every label they select by is a label of that metric.
            Map<String, Set<String>> exportedLabels = new HashMap<>();
            Matcher series = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)\\}")
                    .matcher(body);
            while (series.find()) {
                Matcher label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"").matcher(series.group(2));
                while (label.find()) {
                    exportedLabels
                            .computeIfAbsent(series.group(1), m -> new TreeSet<>())
                            .add(label.group(1));
                }
            }
            Map<String, Set<String>> selected = MonitoringQueries.selectorLabels(
                    MonitoringQueries.allQueries(HelmChart.render(MonitoringQueries.ENABLED)));
            assertThat(selected)
                    .as("label names the queries select by")
                    .containsKeys("ase_environment_condition", "ase_resources");
            selected.forEach((metric, labels) -> assertThat(exportedLabels.getOrDefault(metric, Set.of()))
                    .as("labels of %s the queries select by", metric)
                    .containsAll(labels));

            assertThat(body.lines().filter(l -> l.startsWith("reconciliations_execution_duration_seconds_count{")))
                    .anySatisfy(l -> assertThat(l).contains("controller_name=\"appserviceenvironment\""));
            assertThat(body.lines().filter(l -> !l.startsWith("ase_environment_")))
                    .as("no label grows with the number of objects, but the per-environment gauges'")
                    .noneMatch(l -> l.contains("metered"));
            assertThat(body)
                    .contains(
                            "ase_environment_front_ends_desired{environment=\"metered\",environment_namespace=\"team\"");
            assertThat(body).containsPattern("(?m)^ase_operator_leader 1\\.0$");
        }
    }

    private static void awaitReady(int port) {
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create("http://localhost:" + port + "/q/health/ready");
        await().atMost(TIMEOUT)
                .ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
    }

    private static String scrape(int port) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    /**
     * The chart's default, self-managed certificates: the operators share one kubernetes.io/tls
     * Secret, named as the chart says, and its CA is the caBundle of the chart's webhook configuration.
     */
    private static void assertSelfManagedWebhookCertificates(KubernetesClient client, Map<String, String> env) {
        assertThat(env).containsEntry("ASE_WEBHOOK_CERTIFICATES", "self-managed");
        Secret secret = client.secrets()
                .inNamespace(NAMESPACE)
                .withName(env.get("ASE_WEBHOOK_SECRET"))
                .get();
        assertThat(secret).as("the Secret the operator creates").isNotNull();
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(secret.getData()).containsKeys("tls.crt", "tls.key", "ca.crt");
        ValidatingWebhookConfiguration configuration = client.admissionRegistration()
                .v1()
                .validatingWebhookConfigurations()
                .withName(env.get("ASE_WEBHOOK_CONFIGURATION"))
                .get();
        assertThat(configuration.getWebhooks())
                .isNotEmpty()
                .allSatisfy(w -> assertThat(w.getClientConfig().getCaBundle())
                        .as("the caBundle the operator publishes")
                        .isEqualTo(secret.getData().get("ca.crt")));
    }

    /**
     * The mock API server with the CRDs and the chart's ValidatingWebhookConfiguration (Helm creates
     * it before the operator starts; in self-managed mode the operator patches its caBundle), and a
     * client for the test (its requests are told apart by user agent).
     */
    private KubernetesClient startServer(Manifest chart) throws IOException {
        server = new KubernetesMockServer(
                new Context(),
                new MockWebServer(),
                new HashMap<>(),
                new RulesReviewAnswering(chart.ofKind("Role", Role.class).stream()
                        .filter(r -> r.getMetadata().getName().endsWith("-leader-election"))
                        .findFirst()
                        .orElseThrow()),
                false);
        server.init();
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(server.createClient().getConfiguration())
                        .withUserAgent(TEST_USER_AGENT)
                        .build())
                .build();
        for (Path crd : List.of(
                Path.of("crds/appserviceenvironments.appservice.dev.yaml"),
                Path.of("crds/isolatedplans.appservice.dev.yaml"))) {
            client.resource(Serialization.unmarshal(Files.readString(crd), CustomResourceDefinition.class))
                    .create();
        }
        for (ValidatingWebhookConfiguration configuration :
                chart.ofKind("ValidatingWebhookConfiguration", ValidatingWebhookConfiguration.class)) {
            client.resource(configuration).create();
        }
        return client;
    }

    private void assertEveryOperatorRequestAllowed(Manifest chart) throws InterruptedException {
        Set<Grant> granted = new HashSet<>(ServiceAccountPermissions.ofOperator(chart));
        granted.addAll(EVERY_AUTHENTICATED_USER);
        List<ApiRequest> requests = new ArrayList<>();
        RecordedRequest recorded;
        while ((recorded = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            if (!TEST_USER_AGENT.equals(recorded.getHeader("User-Agent"))) {
                ApiRequest.parse(recorded.getMethod(), recorded.getPath()).ifPresent(requests::add);
            }
        }
        Set<String> seen = requests.stream().map(ApiRequest::describe).collect(Collectors.toCollection(TreeSet::new));
        assertThat(seen)
                .as("the operators' requests were recorded, from their informers' start on")
                .contains(
                        "appservice.dev/appserviceenvironments list",
                        "appservice.dev/appserviceenvironments watch",
                        "coordination.k8s.io/leases create",
                        "apps/deployments create");
        List<String> denied = requests.stream()
                .filter(r -> granted.stream().noneMatch(r::allowedBy))
                .map(ApiRequest::toString)
                .distinct()
                .sorted()
                .toList();
        assertThat(denied)
                .as("requests the chart's RBAC would deny (operators made: %s)", seen)
                .isEmpty();
    }

    /** The operator container's environment as the chart renders it, with the downward API resolved. */
    private static Map<String, String> operatorEnvironment(Manifest chart) {
        Map<String, String> env = new HashMap<>(dev.appservice.operator.e2e.OperatorProcess.chartEnvironment(
                chart.one("Deployment", Deployment.class)));
        assertThat(env)
                .containsEntry("ASE_LEADER_ELECTION_ENABLED", "true")
                .containsKey("ASE_LEADER_ELECTION_LEASE_NAME");
        return env;
    }

    private Process start(String podName, Map<String, String> chartEnv, String log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                "java", "-jar", System.getProperty("operator.jar", "target/quarkus-app/quarkus-run.jar"));
        builder.environment().remove("QUARKUS_HTTP_PORT");
        builder.environment().remove("QUARKUS_HTTP_SSL_PORT");
        builder.environment().putAll(chartEnv);
        builder.environment().put("HOSTNAME", podName);
        builder.environment().put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", server.url("/"));
        // The client the self-managed webhook certificates are prepared with before Quarkus starts
        // is Fabric8's own (in a pod: the in-cluster configuration); here it is pointed at the mock.
        builder.environment().put("KUBERNETES_MASTER", server.url("/"));
        builder.environment().put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", "default");
        builder.environment().putIfAbsent("QUARKUS_HTTP_PORT", "0");
        // Two operators on one machine: the webhook's HTTPS port (8443 in a pod) is picked at random too.
        builder.environment().putIfAbsent("QUARKUS_HTTP_SSL_PORT", "0");
        File logFile = Path.of("target", "leader-election-" + log + ".log").toFile();
        builder.redirectErrorStream(true).redirectOutput(logFile);
        Process process = builder.start();
        operators.add(process);
        return process;
    }

    /** The CRUD mock API server, answering SelfSubjectRulesReviews with the rules of one Role. */
    static final class RulesReviewAnswering extends KubernetesCrudDispatcher {
        private final Role role;

        RulesReviewAnswering(Role role) {
            this.role = role;
        }

        @Override
        public MockResponse handleCreate(RecordedRequest request) {
            if (!request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
                return super.handleCreate(request);
            }
            SelfSubjectRulesReview review =
                    Serialization.unmarshal(request.getUtf8Body(), SelfSubjectRulesReview.class);
            boolean sameNamespace =
                    role.getMetadata().getNamespace().equals(review.getSpec().getNamespace());
            review.setStatus(new SubjectRulesReviewStatusBuilder()
                    .withIncomplete(false)
                    .withResourceRules(
                            sameNamespace
                                    ? role.getRules().stream()
                                            .map(r -> new ResourceRuleBuilder()
                                                    .withApiGroups(r.getApiGroups())
                                                    .withResources(r.getResources())
                                                    .withResourceNames(r.getResourceNames())
                                                    .withVerbs(r.getVerbs())
                                                    .build())
                                            .toList()
                                    : List.of())
                    .build());
            return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
        }
    }
}
