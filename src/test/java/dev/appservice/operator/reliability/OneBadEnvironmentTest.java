package dev.appservice.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.DeploymentRollout;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import dev.appservice.operator.testing.ReadyConditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8's "one bad resource does not stall the rest", at the scale: 100 environments,
 * each with a plan and an app, one of which fails for good (its front-end Deployment's name is
 * taken by someone else's Deployment, so every reconcile of it ends in AdoptionRefused and is
 * retried with backoff, forever). The other 99, their plans and their apps all become Ready, and
 * stay responsive afterwards. How fast they converge beside the failing one is measured by
 * {@code OperatorBenchmark -Dbench.failing=1} (BENCHMARKS.md), not asserted here. A load test of
 * 300 resources: CI runs it, the quick loop does not.
 */
@org.junit.jupiter.api.Tag(dev.appservice.operator.testing.TestGroups.SLOW)
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class OneBadEnvironmentTest extends OperatorTest {
    static final int ENVIRONMENTS = 100;
    static final int BAD = 42;

    @Test
    void oneEnvironmentFailingForGoodDoesNotHoldUpNinetyNineOthers() {
        Deployment theirs = client.resource(Fixtures.foreignDeployment(ns, "env-" + BAD + "-frontend"))
                .create();
        for (int i = 0; i < ENVIRONMENTS; i++) {
            client.resource(Fixtures.environment(ns, "env-" + i)).create();
            client.resource(Fixtures.plan(ns, "plan-" + i, "env-" + i, InstanceSize.I1, 1))
                    .create();
            client.resource(Fixtures.app(ns, "app-" + i, "plan-" + i, 8080)).create();
        }

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            DeploymentRollout.completeAll(client, ns);
                            return ReadyConditions.notReady(client, ns);
                        },
                        waiting -> waiting.keySet().equals(Set.of("AppServiceEnvironment env-" + BAD)));

        Condition refused = Conditions.find(
                client.resources(AppServiceEnvironment.class)
                        .inNamespace(ns)
                        .withName("env-" + BAD)
                        .get()
                        .getStatus()
                        .getConditions(),
                Conditions.READY);
        assertThat(refused.getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(refused.getReason()).isEqualTo("AdoptionRefused");
        assertThat(refused.getMessage()).contains("env-" + BAD + "-frontend");
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName("env-" + BAD + "-frontend")
                        .get()
                        .getMetadata()
                        .getResourceVersion())
                .as("theirs is never written")
                .isEqualTo(theirs.getMetadata().getResourceVersion());

        // Still responsive afterwards: a change to a healthy plan is carried out while the bad one keeps failing.
        client.resources(IsolatedPlan.class).inNamespace(ns).withName("plan-7").edit(p -> {
            p.getSpec().setInstances(3);
            return p;
        });
        await().atMost(TIMEOUT)
                .until(() -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName("plan-7-workers")
                                .get()
                                .getSpec()
                                .getReplicas()
                        == 3);
    }

    /** Removes the test's 1,000-odd objects, so later tests share a small CRUD mock server. */
    @AfterEach
    void removeEverything() {
        client.resources(WebApp.class).inNamespace(ns).delete();
        client.resources(IsolatedPlan.class).inNamespace(ns).delete();
        client.resources(AppServiceEnvironment.class).inNamespace(ns).delete();
        client.apps().deployments().inNamespace(ns).delete();
        client.services().inNamespace(ns).delete();
        client.configMaps().inNamespace(ns).delete();
        client.network().networkPolicies().inNamespace(ns).delete();
        client.v1().events().inNamespace(ns).delete();
    }
}
