package dev.appservice.operator.operability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.cli.Manifests;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.DeploymentRollout;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import dev.appservice.operator.testing.ReadyConditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What Argo CD, Flux and {@code kubectl wait --for=condition=Ready} rely on: the examples, applied
 * in any order, all reach Ready=True with observedGeneration equal to metadata.generation, and the
 * operator never writes a user's spec (generation stays 1).
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class GitOpsReadinessTest extends OperatorTest {

    @Test
    void everyExampleResourceBecomesReadyAtItsGenerationAndNoSpecIsWritten() {
        List<HasMetadata> resources =
                new ArrayList<>(Manifests.read(List.of(Path.of("examples/contoso.yaml"))).entries().stream()
                        .map(Manifests.Entry::resource)
                        .toList());
        java.util.Collections.reverse(resources); // apps first, environment last: any order must work
        for (HasMetadata resource : resources) {
            resource.getMetadata().setNamespace(ns);
            client.resource(resource).create();
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> {
                            DeploymentRollout.completeAll(client, ns);
                            return ReadyConditions.notReady(client, ns);
                        },
                        waiting -> waiting.isEmpty()
                                && client.resources(WebApp.class)
                                                .inNamespace(ns)
                                                .list()
                                                .getItems()
                                                .size()
                                        == 2);
        for (var type : ReadyConditions.KINDS) {
            for (var resource : client.resources(type).inNamespace(ns).list().getItems()) {
                assertThat(resource.getMetadata().getGeneration())
                        .as(
                                "%s %s spec never written",
                                resource.getKind(), resource.getMetadata().getName())
                        .isEqualTo(1L);
                assertThat(resource.getStatus().getObservedGeneration()).isEqualTo(1L);
                assertThat(Conditions.find(resource.getStatus().getConditions(), "Ready")
                                .getObservedGeneration())
                        .isEqualTo(1L);
            }
        }
        assertThat(client.resources(AppServiceEnvironment.class)
                        .inNamespace(ns)
                        .list()
                        .getItems())
                .hasSize(1);
        assertThat(client.resources(WebApp.class).inNamespace(ns).list().getItems())
                .hasSize(2);
    }
}
