package dev.appservice.operator.operability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.ObservedStatus;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.cli.Manifests;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.CustomResource;
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
        List<HasMetadata> resources = new ArrayList<>(Manifests.read(List.of(Path.of("examples/contoso.yaml"))).entries().stream()
                .map(Manifests.Entry::resource).toList());
        java.util.Collections.reverse(resources); // apps first, environment last: any order must work
        for (HasMetadata resource : resources) {
            resource.getMetadata().setNamespace(ns);
            client.resource(resource).create();
        }
        // Stand in for the Deployment controller: every Deployment rolled out and ready.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            for (Deployment d : client.apps().deployments().inNamespace(ns).list().getItems()) {
                int replicas = d.getSpec().getReplicas();
                if (d.getStatus() == null || !Long.valueOf(d.getMetadata().getGeneration()).equals(d.getStatus().getObservedGeneration())
                        || d.getStatus().getReadyReplicas() == null || d.getStatus().getReadyReplicas() != replicas) {
                    d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration()).withReplicas(replicas)
                            .withReadyReplicas(replicas).withUpdatedReplicas(replicas).withAvailableReplicas(replicas).build());
                    client.resource(d).updateStatus();
                }
            }
            return allReady(AppServiceEnvironment.class) && allReady(IsolatedPlan.class) && allReady(WebApp.class);
        }, ready -> {
            if (!ready) {
                notReady().forEach(System.err::println);
            }
            return ready;
        });
        for (Class<? extends CustomResource<?, ? extends ObservedStatus>> type : List.of(AppServiceEnvironmentType.TYPE, PlanType.TYPE, AppType.TYPE)) {
            for (var resource : client.resources(type).inNamespace(ns).list().getItems()) {
                assertThat(resource.getMetadata().getGeneration()).as("%s %s spec never written", resource.getKind(), resource.getMetadata().getName())
                        .isEqualTo(1L);
                assertThat(resource.getStatus().getObservedGeneration()).isEqualTo(1L);
                assertThat(Conditions.find(resource.getStatus().getConditions(), "Ready").getObservedGeneration()).isEqualTo(1L);
            }
        }
        assertThat(client.resources(AppServiceEnvironment.class).inNamespace(ns).list().getItems()).hasSize(1);
        assertThat(client.resources(WebApp.class).inNamespace(ns).list().getItems()).hasSize(2);
    }

    private List<String> notReady() {
        List<String> waiting = new ArrayList<>();
        for (Class<? extends CustomResource<?, ? extends ObservedStatus>> type : List.of(AppServiceEnvironmentType.TYPE, PlanType.TYPE, AppType.TYPE)) {
            for (var r : client.resources(type).inNamespace(ns).list().getItems()) {
                var ready = r.getStatus() == null ? null : Conditions.find(r.getStatus().getConditions(), "Ready");
                if (ready == null || !"True".equals(ready.getStatus())) {
                    waiting.add(r.getKind() + " " + r.getMetadata().getName() + ": " + (ready == null ? "no status" : ready.getReason() + " " + ready.getMessage()));
                }
            }
        }
        return waiting;
    }

    private <T extends CustomResource<?, ? extends ObservedStatus>> boolean allReady(Class<T> type) {
        List<T> items = client.resources(type).inNamespace(ns).list().getItems();
        return !items.isEmpty() && items.stream().allMatch(r -> r.getStatus() != null
                && Conditions.isTrue(r.getStatus().getConditions(), "Ready")
                && r.getMetadata().getGeneration().equals(r.getStatus().getObservedGeneration()));
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static final class AppServiceEnvironmentType {
        static final Class TYPE = AppServiceEnvironment.class;
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static final class PlanType {
        static final Class TYPE = IsolatedPlan.class;
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static final class AppType {
        static final Class TYPE = WebApp.class;
    }
}
