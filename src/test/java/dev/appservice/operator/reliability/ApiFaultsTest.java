package dev.appservice.operator.reliability;

import static dev.appservice.operator.testing.Fixtures.environment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.MockKubernetes;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The API server fails some writes (500, 429 with Retry-After, 409 Conflict, a timeout): the operator backs off,
 * says what is wrong in the status meanwhile, and converges once the faults stop, without a hot loop.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
@org.junit.jupiter.api.Tag(dev.appservice.operator.testing.TestGroups.SLOW)
class ApiFaultsTest {
    @Inject
    KubernetesClient client;

    @Test
    void failingWritesAreRetriedWithBackoffReportedAndEventuallyConverge() throws Exception {
        String ns = "f-" + UUID.randomUUID().toString().substring(0, 8);
        String deployments = "/apis/apps/v1/namespaces/" + ns + "/deployments";
        var server = MockKubernetes.server();
        server.expect()
                .post()
                .withPath(deployments)
                .andReturn(
                        500,
                        new StatusBuilder()
                                .withCode(500)
                                .withReason("InternalError")
                                .withMessage("etcd is having a bad day")
                                .build())
                .times(12);
        server.expect()
                .post()
                .withPath(deployments)
                .andReturn(
                        429,
                        new StatusBuilder()
                                .withCode(429)
                                .withReason("TooManyRequests")
                                .withMessage("slow down")
                                .build())
                .withHeader("Retry-After", "1")
                .times(4);
        MockKubernetes.clearRequests();
        long start = System.nanoTime();
        client.resource(environment(ns, "ase1")).create();

        // Meanwhile the status says what is wrong.
        AppServiceEnvironment failing = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> client.resources(AppServiceEnvironment.class)
                                .inNamespace(ns)
                                .withName("ase1")
                                .get(),
                        a -> a.getStatus() != null
                                && Conditions.find(a.getStatus().getConditions(), "Ready") != null
                                && "ReconcileError"
                                        .equals(Conditions.find(a.getStatus().getConditions(), "Ready")
                                                .getReason()));
        assertThat(Conditions.find(failing.getStatus().getConditions(), "Ready").getMessage())
                .isNotBlank();

        // Once the faults are used up it converges by itself.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName("ase1-frontend")
                                .get()
                        != null);
        AppServiceEnvironment converged = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> client.resources(AppServiceEnvironment.class)
                                .inNamespace(ns)
                                .withName("ase1")
                                .get(),
                        a -> "FrontEndsNotReady"
                                .equals(Conditions.find(a.getStatus().getConditions(), "Ready")
                                        .getReason()));
        assertThat(converged.getStatus().getObservedGeneration())
                .isEqualTo(converged.getMetadata().getGeneration());
        double seconds = (System.nanoTime() - start) / 1e9;

        // No hot loop: writes of Deployments stayed bounded while failing (16 injected faults,
        // the client's own retries included), far below what a tight loop would send in that time.
        List<String> writes = MockKubernetes.writesSinceClear().stream()
                .filter(w -> w.startsWith("POST " + deployments))
                .toList();
        assertThat(writes.size()).as("POSTs of Deployments in %.1f s", seconds).isBetween(17, 60);
    }

    @Test
    void aWriteThatTimesOutIsRetriedAndConverges() {
        String ns = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String services = "/api/v1/namespaces/" + ns + "/services";
        // The first Service create hangs past the client's request timeout (5 s in the tests).
        MockKubernetes.server()
                .expect()
                .post()
                .delay(8, java.util.concurrent.TimeUnit.SECONDS)
                .withPath(services)
                .andReturn(
                        503,
                        new StatusBuilder()
                                .withCode(503)
                                .withMessage("too late")
                                .build())
                .once();
        client.resource(environment(ns, "slow")).create();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> client.services().inNamespace(ns).list().getItems().size() == 3);
        AppServiceEnvironment converged = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> client.resources(AppServiceEnvironment.class)
                                .inNamespace(ns)
                                .withName("slow")
                                .get(),
                        a -> a.getStatus() != null
                                && "FrontEndsNotReady"
                                        .equals(Conditions.find(a.getStatus().getConditions(), "Ready")
                                                .getReason()));
        assertThat(converged.getStatus().getObservedGeneration()).isEqualTo(1L);
    }

    @Test
    void aConflictOnUpdateIsRetriedAgainstTheFreshObject() {
        String ns = "c-" + UUID.randomUUID().toString().substring(0, 8);
        client.resource(environment(ns, "ase1")).create();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName("ase1-frontend")
                                .get()
                        != null);
        // Someone changed the Deployment; the operator's repair hits a 409 Conflict twice (a stale resourceVersion).
        String path = "/apis/apps/v1/namespaces/" + ns + "/deployments/ase1-frontend";
        MockKubernetes.server()
                .expect()
                .put()
                .withPath(path)
                .andReturn(
                        409,
                        new StatusBuilder()
                                .withCode(409)
                                .withReason("Conflict")
                                .withMessage(
                                        "the object has been modified; please apply your changes to the latest version and try again")
                                .build())
                .times(2);
        client.apps().deployments().inNamespace(ns).withName("ase1-frontend").edit(d -> {
            d.getSpec().setReplicas(9);
            return d;
        });
        await().atMost(Duration.ofSeconds(30))
                .until(() -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName("ase1-frontend")
                                .get()
                                .getSpec()
                                .getReplicas()
                        == 2);
    }
}
