package dev.appservice.operator.reliability;

import static dev.appservice.operator.testing.Fixtures.environment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.LoadBalancerSettings;
import dev.appservice.operator.api.LoadBalancerType;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A spec edit that lands while the operator is still reconciling the previous generation is not
 * lost. The SDK caches the resource the status patch returns and drops the older events, the
 * edit's among them; before the fix about one edit in four made right after creation was never
 * reconciled (observedGeneration stayed behind, the VIP kept its old type).
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class SpecEditDuringReconcileTest extends OperatorTest {
    private static final int ROUNDS = 8;

    @Test
    void anEditMadeWhileTheFirstReconcileRunsIsReconciled() {
        List<String> lost = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            String name = "edited-" + i;
            client.resource(environment(ns, name)).create();
            await().atMost(TIMEOUT)
                    .until(() -> client.services()
                                    .inNamespace(ns)
                                    .withName(name + "-vip")
                                    .get()
                            != null);
            // The first reconcile is still writing children and status: the edit races it (a 409 is retried, as kubectl
            // would).
            await().atMost(TIMEOUT).ignoreExceptions().until(() -> {
                client.resources(AppServiceEnvironment.class)
                        .inNamespace(ns)
                        .withName(name)
                        .edit(a -> {
                            LoadBalancerSettings internal = new LoadBalancerSettings();
                            internal.setType(LoadBalancerType.Internal);
                            a.getSpec().setLoadBalancer(internal);
                            return a;
                        });
                return true;
            });
            try {
                await().atMost(TIMEOUT)
                        .ignoreExceptions()
                        .until(() -> "ClusterIP"
                                        .equals(client.services()
                                                .inNamespace(ns)
                                                .withName(name + "-vip")
                                                .get()
                                                .getSpec()
                                                .getType())
                                && client.resources(AppServiceEnvironment.class)
                                                .inNamespace(ns)
                                                .withName(name)
                                                .get()
                                                .getStatus()
                                                .getObservedGeneration()
                                        == 2L);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                lost.add(name);
            }
        }
        assertThat(lost).as("environments whose edit was never reconciled").isEmpty();
    }
}
