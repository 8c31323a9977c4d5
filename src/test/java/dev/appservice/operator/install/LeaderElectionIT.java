package dev.appservice.operator.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the packaged operator, configured with the environment the chart renders,
 * against the mock API server: one holds the chart's Lease and reconciles; when it stops, the other
 * takes the Lease over and reconciles. The API server answers the SDK's start-up access check with
 * the rules of the chart's leader-election Role, so a Role missing a verb the SDK needs fails here.
 */
class LeaderElectionIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
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

    @Test
    void oneReplicaLeadsAndTheOtherTakesOver() throws Exception {
        Manifest chart = HelmChart.render();
        Role leaseRole = chart.one("Role", Role.class);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new RulesReviewAnswering(leaseRole), false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            for (Path crd : List.of(Path.of("crds/appserviceenvironments.appservice.dev.yaml"), Path.of("crds/isolatedplans.appservice.dev.yaml"))) {
                client.resource(Serialization.unmarshal(Files.readString(crd), CustomResourceDefinition.class)).create();
            }
            Map<String, String> env = operatorEnvironment(chart);
            String leaseName = env.get("ASE_LEADER_ELECTION_LEASE_NAME");

            Process a = start("operator-a", env, "a");
            Lease lease = await().atMost(TIMEOUT).until(() -> client.resources(Lease.class).inNamespace(NAMESPACE).withName(leaseName).get(),
                    l -> l != null && "operator-a".equals(l.getSpec().getHolderIdentity()));
            assertThat(lease.getSpec().getLeaseDurationSeconds()).isPositive();
            start("operator-b", env, "b");

            client.resource(Fixtures.environment("team", "first")).create();
            await().atMost(TIMEOUT).until(() -> client.resources(Deployment.class).inNamespace("team").withName("first-frontend").get() != null);
            assertThat(client.resources(Lease.class).inNamespace(NAMESPACE).withName(leaseName).get().getSpec().getHolderIdentity())
                    .as("the second replica waits").isEqualTo("operator-a");

            a.destroy(); // SIGTERM, as Kubernetes stops a pod
            assertThat(a.waitFor(30, TimeUnit.SECONDS)).isTrue();
            await().atMost(TIMEOUT).until(() -> "operator-b".equals(client.resources(Lease.class).inNamespace(NAMESPACE).withName(leaseName).get()
                    .getSpec().getHolderIdentity()));
            client.resource(Fixtures.environment("team", "second")).create();
            await().atMost(TIMEOUT).until(() -> client.resources(Deployment.class).inNamespace("team").withName("second-frontend").get() != null);
        }
    }

    /** The operator container's environment as the chart renders it, with the downward API resolved. */
    private static Map<String, String> operatorEnvironment(Manifest chart) {
        Deployment deployment = chart.one("Deployment", Deployment.class);
        Map<String, String> env = new HashMap<>();
        for (EnvVar var : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
            if (var.getValueFrom() != null) {
                assertThat(var.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
                env.put(var.getName(), deployment.getMetadata().getNamespace());
            } else {
                env.put(var.getName(), var.getValue());
            }
        }
        assertThat(env).containsEntry("ASE_LEADER_ELECTION_ENABLED", "true").containsKey("ASE_LEADER_ELECTION_LEASE_NAME");
        return env;
    }

    private Process start(String podName, Map<String, String> chartEnv, String log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("java", "-jar", System.getProperty("operator.jar", "target/quarkus-app/quarkus-run.jar"));
        builder.environment().putAll(chartEnv);
        builder.environment().put("HOSTNAME", podName);
        builder.environment().put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", server.url("/"));
        builder.environment().put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", "default");
        builder.environment().put("QUARKUS_HTTP_PORT", "0");
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
            SelfSubjectRulesReview review = Serialization.unmarshal(request.getUtf8Body(), SelfSubjectRulesReview.class);
            boolean sameNamespace = role.getMetadata().getNamespace().equals(review.getSpec().getNamespace());
            review.setStatus(new SubjectRulesReviewStatusBuilder()
                    .withIncomplete(false)
                    .withResourceRules(sameNamespace ? role.getRules().stream().map(r -> new ResourceRuleBuilder()
                            .withApiGroups(r.getApiGroups()).withResources(r.getResources())
                            .withResourceNames(r.getResourceNames()).withVerbs(r.getVerbs()).build()).toList() : List.of())
                    .build());
            return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
        }
    }
}
