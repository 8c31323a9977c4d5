package dev.appservice.operator.reliability;

import static dev.appservice.operator.testing.Fixtures.environment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.MockKubernetes;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The operator never takes over what it did not create, and one environment that fails for good
 * does not hold up the others.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class OwnershipTest {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    KubernetesClient client;

    @Test
    void aChildNameTakenBySomeoneElseIsRefusedAndReportedWhileOtherEnvironmentsConverge() {
        String ns = "o-" + UUID.randomUUID().toString().substring(0, 8);
        Deployment theirs = client.resource(Fixtures.foreignDeployment(ns, "taken-frontend"))
                .create();

        client.resource(environment(ns, "taken")).create();
        for (int i = 0; i < 5; i++) {
            client.resource(environment(ns, "fine-" + i)).create();
        }

        AppServiceEnvironment refused = await().atMost(TIMEOUT)
                .until(
                        () -> client.resources(AppServiceEnvironment.class)
                                .inNamespace(ns)
                                .withName("taken")
                                .get(),
                        a -> a.getStatus() != null
                                && Conditions.find(a.getStatus().getConditions(), "Ready") != null
                                && "AdoptionRefused"
                                        .equals(Conditions.find(a.getStatus().getConditions(), "Ready")
                                                .getReason()));
        Condition ready = Conditions.find(refused.getStatus().getConditions(), "Ready");
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getMessage())
                .contains("taken-frontend")
                .contains("is not controlled by this resource")
                .contains("left untouched");

        // The other environments converge meanwhile.
        for (int i = 0; i < 5; i++) {
            String name = "fine-" + i;
            await().atMost(TIMEOUT)
                    .until(() -> client.apps()
                                    .deployments()
                                    .inNamespace(ns)
                                    .withName(name + "-frontend")
                                    .get()
                            != null);
        }
        // Theirs is untouched: no owner reference, same spec, same labels.
        Deployment after = client.apps()
                .deployments()
                .inNamespace(ns)
                .withName("taken-frontend")
                .get();
        assertThat(after.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(after.getMetadata().getLabels())
                .containsExactlyEntriesOf(theirs.getMetadata().getLabels());
        assertThat(after.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("example/theirs:1");
        assertThat(after.getMetadata().getResourceVersion())
                .isEqualTo(theirs.getMetadata().getResourceVersion());
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(
                                client.v1().events().inNamespace(ns).list().getItems())
                        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("AdoptionRefused")));
    }
}
