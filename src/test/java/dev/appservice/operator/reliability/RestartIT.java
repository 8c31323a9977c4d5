package dev.appservice.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.apiserver.ValidatingMixedDispatcher;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator killed (SIGKILL) while it creates environments' children, and a new one
 * started: it converges to the same objects, with no duplicates and no orphans; every child it
 * made carries a controller owner reference to a live custom resource, so deleting the custom
 * resource lets the garbage collector remove everything it made.
 */
class RestartIT {
    static final int ENVIRONMENTS = 25;
    static final String NS = "restart";

    KubernetesMockServer server;
    final List<Process> operators = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : operators) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.destroy();
        }
    }

    Process start(String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                "java", "-jar", System.getProperty("operator.jar", "target/quarkus-app/quarkus-run.jar"));
        builder.environment().put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", server.url("/"));
        builder.environment().put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", "default");
        builder.environment().put("QUARKUS_HTTP_PORT", "0");
        File log = Path.of("target", "restart-" + name + ".log").toFile();
        Process process = builder.redirectErrorStream(true).redirectOutput(log).start();
        operators.add(process);
        return process;
    }

    @Test
    void aKilledOperatorsSuccessorConvergesWithoutDuplicatesOrOrphans() throws Exception {
        // The API server's validation in front of the CRUD store: what a cluster would refuse is answered 422.
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        server = new KubernetesMockServer(
                new Context(),
                new MockWebServer(),
                expectations,
                ValidatingMixedDispatcher.forProject(expectations),
                false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            Process first = start("first");
            // Kill it in the middle, some children made, not all: from a watch, at the third
            // Deployment's creation (polling a list let a fast operator finish first).
            java.util.concurrent.atomic.AtomicInteger created = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CountDownLatch killed = new java.util.concurrent.CountDownLatch(1);
            try (var watch = client.apps()
                    .deployments()
                    .inNamespace(NS)
                    .watch(new io.fabric8.kubernetes.client.Watcher<>() {
                        @Override
                        public void eventReceived(
                                Action action, io.fabric8.kubernetes.api.model.apps.Deployment deployment) {
                            if (action == Action.ADDED && created.incrementAndGet() == 3) {
                                first.destroyForcibly();
                                killed.countDown();
                            }
                        }

                        @Override
                        public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
                    })) {
                for (int i = 0; i < ENVIRONMENTS; i++) {
                    client.resource(Fixtures.environment(NS, "ase" + i)).create();
                    client.resource(Fixtures.plan(NS, "plan" + i, "ase" + i, InstanceSize.I1, 1 + i % 5))
                            .create();
                }
                assertThat(killed.await(60, TimeUnit.SECONDS))
                        .as("the first operator made three Deployments")
                        .isTrue();
            }
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            int madeBeforeKill = client.apps()
                    .deployments()
                    .inNamespace(NS)
                    .list()
                    .getItems()
                    .size();

            start("second");
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(client.apps().deployments().inNamespace(NS).list().getItems())
                        .hasSize(2 * ENVIRONMENTS);
                assertThat(client.services().inNamespace(NS).list().getItems()).hasSize(3 * ENVIRONMENTS);
                assertThat(client.configMaps().inNamespace(NS).list().getItems())
                        .hasSize(ENVIRONMENTS);
                assertThat(client.network()
                                .networkPolicies()
                                .inNamespace(NS)
                                .list()
                                .getItems())
                        .as("each environment's worker ingress and egress policies")
                        .hasSize(2 * ENVIRONMENTS);
                assertThat(client.resources(AppServiceEnvironment.class)
                                .inNamespace(NS)
                                .list()
                                .getItems())
                        .allSatisfy(a -> assertThat(a.getStatus()).isNotNull());
            });
            assertThat(madeBeforeKill).as("killed mid-way").isLessThan(2 * ENVIRONMENTS);

            Set<String> owners = new HashSet<>();
            client.resources(AppServiceEnvironment.class)
                    .inNamespace(NS)
                    .list()
                    .getItems()
                    .forEach(a -> owners.add(a.getMetadata().getUid()));
            client.resources(IsolatedPlan.class)
                    .inNamespace(NS)
                    .list()
                    .getItems()
                    .forEach(p -> owners.add(p.getMetadata().getUid()));
            List<HasMetadata> children = Stream.of(
                            client.apps().deployments().inNamespace(NS).list().getItems(),
                            client.services().inNamespace(NS).list().getItems(),
                            client.configMaps().inNamespace(NS).list().getItems(),
                            client.network()
                                    .networkPolicies()
                                    .inNamespace(NS)
                                    .list()
                                    .getItems())
                    .flatMap(List::stream)
                    .map(HasMetadata.class::cast)
                    .toList();
            for (HasMetadata child : children) {
                List<OwnerReference> refs = child.getMetadata().getOwnerReferences();
                assertThat(refs)
                        .as("%s %s", child.getKind(), child.getMetadata().getName())
                        .singleElement()
                        .satisfies(ref -> {
                            assertThat(ref.getController()).isTrue();
                            assertThat(owners)
                                    .as(
                                            "owner of %s %s exists",
                                            child.getKind(), child.getMetadata().getName())
                                    .contains(ref.getUid());
                        });
            }
            Deployment sample = client.apps()
                    .deployments()
                    .inNamespace(NS)
                    .withName("plan7-workers")
                    .get();
            assertThat(sample.getSpec().getReplicas()).isEqualTo(1 + 7 % 5);
            assertThat(client.network()
                            .networkPolicies()
                            .inNamespace(NS)
                            .withName("ase7-workers-ingress")
                            .get())
                    .isInstanceOf(NetworkPolicy.class);
        }
    }
}
