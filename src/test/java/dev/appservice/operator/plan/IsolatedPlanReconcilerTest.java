package dev.appservice.operator.plan;

import static dev.appservice.operator.testing.Fixtures.environment;
import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The running operator's IsolatedPlan controller against the mock API server. */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class IsolatedPlanReconcilerTest extends OperatorTest {

    @Test
    void planBeforeItsEnvironmentWaitsWithoutWorkersThenRecovers() throws InterruptedException {
        client.resource(plan(ns, "early", "later-ase", InstanceSize.I1, 2)).create();
        IsolatedPlan waiting =
                awaitPlan("early", p -> Conditions.find(p.getStatus().getConditions(), "Ready") != null);
        Condition ready = Conditions.find(waiting.getStatus().getConditions(), "Ready");
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("EnvironmentNotFound");
        assertThat(ready.getMessage())
                .isEqualTo("AppServiceEnvironment " + ns
                        + "/later-ase does not exist; the plan's workers are created once it does");
        assertThat(waiting.getStatus().getInstances()).isZero();
        assertThat(waiting.getStatus().getObservedGeneration())
                .isEqualTo(waiting.getMetadata().getGeneration());
        // The status is written after the reconcile's children: a reconcile that would create workers has already done
        // so.
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName("early-workers")
                        .get())
                .isNull();
        // What the user must know is also an Event on the plan (kubectl describe iplan/early).
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(
                                client.v1().events().inNamespace(ns).list().getItems())
                        .anySatisfy(e -> {
                            assertThat(e.getType()).isEqualTo("Warning");
                            assertThat(e.getReason()).isEqualTo("EnvironmentNotFound");
                            assertThat(e.getInvolvedObject().getKind()).isEqualTo("IsolatedPlan");
                            assertThat(e.getInvolvedObject().getName()).isEqualTo("early");
                            assertThat(e.getMessage()).contains("later-ase does not exist");
                        }));

        client.resource(environment(ns, "later-ase")).create();
        Deployment workers = await().atMost(TIMEOUT)
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName("early-workers")
                                .get(),
                        d -> d != null);
        assertThat(workers.getSpec().getReplicas()).isEqualTo(2);
        IsolatedPlan placed = awaitPlan(
                "early",
                p -> "WorkersNotReady"
                        .equals(Conditions.find(p.getStatus().getConditions(), "Ready")
                                .getReason()));
        assertThat(placed.getStatus().getInstances()).isEqualTo(2);
        assertThat(placed.getStatus().getSelector())
                .isEqualTo("appservice.dev/environment=later-ase,appservice.dev/plan=early,appservice.dev/role=worker");
    }

    @Test
    void planIsReadyWhenItsWorkersAre() {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I3, 2)).create();
        Deployment workers = await().atMost(TIMEOUT)
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName("web-workers")
                                .get(),
                        d -> d != null);
        assertThat(workers.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getRequests()
                        .get("memory")
                        .toString())
                .isEqualTo("14Gi");
        workers.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(workers.getMetadata().getGeneration())
                .withReplicas(2)
                .withReadyReplicas(2)
                .withUpdatedReplicas(2)
                .build());
        client.resource(workers).updateStatus();
        IsolatedPlan ready =
                awaitPlan("web", p -> Conditions.isTrue(p.getStatus().getConditions(), "Ready"));
        assertThat(ready.getStatus().getReadyInstances()).isEqualTo(2);
        assertThat(Conditions.find(ready.getStatus().getConditions(), "Ready").getReason())
                .isEqualTo("WorkersReady");
    }

    @Test
    void planAdmittedLastIsHeldAtWhatStillFits() {
        AppServiceEnvironment small = environment(ns, "ase1");
        small.getSpec().setMaxInstances(10);
        client.resource(small).create();
        client.resource(plan(ns, "first", "ase1", InstanceSize.I1, 8)).create();
        await().atMost(TIMEOUT)
                .until(() -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName("first-workers")
                                .get()
                        != null);
        client.resource(plan(ns, "second", "ase1", InstanceSize.I1, 5)).create();

        IsolatedPlan held = awaitPlan(
                "second",
                p -> "EnvironmentCapacityExceeded"
                        .equals(Conditions.find(p.getStatus().getConditions(), "Ready")
                                .getReason()));
        assertThat(held.getStatus().getInstances()).isEqualTo(2);
        assertThat(Conditions.find(held.getStatus().getConditions(), "Ready").getMessage())
                .isEqualTo("spec.instances 5 does not fit: AppServiceEnvironment " + ns
                        + "/ase1 has room for 2 (limit 10 instances, 8 used by plans admitted earlier); running 2");
        await().atMost(TIMEOUT)
                .until(() -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName("second-workers")
                                .get()
                                .getSpec()
                                .getReplicas()
                        == 2);
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName("first-workers")
                        .get()
                        .getSpec()
                        .getReplicas())
                .isEqualTo(8);

        // When the first plan shrinks, the held plan gets what it asked for.
        client.resources(IsolatedPlan.class).inNamespace(ns).withName("first").edit(p -> {
            p.getSpec().setInstances(4);
            return p;
        });
        await().atMost(TIMEOUT)
                .until(() -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName("second-workers")
                                .get()
                                .getSpec()
                                .getReplicas()
                        == 5);
        awaitPlan("second", p -> p.getStatus().getInstances() == 5);
    }

    @Test
    void twoPlansAdmittedTogetherPastTheLimitHoldTheLaterOne() {
        AppServiceEnvironment small = environment(ns, "ase1");
        small.getSpec().setMaxInstances(20);
        client.resource(small).create();
        client.resource(plan(ns, "earlier", "ase1", InstanceSize.I1, 15)).create();
        client.resource(plan(ns, "later", "ase1", InstanceSize.I1, 10)).create();
        IsolatedPlan held = awaitPlan(
                "later",
                p -> "EnvironmentCapacityExceeded"
                        .equals(Conditions.find(p.getStatus().getConditions(), "Ready")
                                .getReason()));
        assertThat(held.getStatus().getInstances()).isEqualTo(5);
        await().atMost(TIMEOUT)
                .until(() -> client.apps()
                                        .deployments()
                                        .inNamespace(ns)
                                        .withName("later-workers")
                                        .get()
                                != null
                        && client.apps()
                                        .deployments()
                                        .inNamespace(ns)
                                        .withName("later-workers")
                                        .get()
                                        .getSpec()
                                        .getReplicas()
                                == 5);
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName("earlier-workers")
                        .get()
                        .getSpec()
                        .getReplicas())
                .isEqualTo(15);
        await().atMost(TIMEOUT).until(() -> {
            AppServiceEnvironment a = client.resources(AppServiceEnvironment.class)
                    .inNamespace(ns)
                    .withName("ase1")
                    .get();
            return a.getStatus() != null && a.getStatus().getInstances().getUsed() == 20;
        });
    }

    @Test
    void anOlderPlanThatGrowsNeverScalesDownARunningOne() {
        AppServiceEnvironment small = environment(ns, "ase1");
        small.getSpec().setMaxInstances(20);
        client.resource(small).create();
        client.resource(plan(ns, "older", "ase1", InstanceSize.I1, 15)).create();
        awaitPlan(
                "older",
                p -> p.getStatus() != null
                        && p.getStatus().getInstances() != null
                        && p.getStatus().getInstances() == 15);
        client.resource(plan(ns, "newer", "ase1", InstanceSize.I1, 5)).create();
        awaitPlan(
                "newer",
                p -> p.getStatus() != null
                        && p.getStatus().getInstances() != null
                        && p.getStatus().getInstances() == 5);

        client.resources(IsolatedPlan.class).inNamespace(ns).withName("older").edit(p -> {
            p.getSpec().setInstances(17);
            return p;
        });
        IsolatedPlan held = awaitPlan(
                "older",
                p -> "EnvironmentCapacityExceeded"
                        .equals(Conditions.find(p.getStatus().getConditions(), "Ready")
                                .getReason()));
        assertThat(held.getStatus().getInstances()).isEqualTo(15);
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName("newer-workers")
                        .get()
                        .getSpec()
                        .getReplicas())
                .isEqualTo(5);
        assertThat(client.resources(IsolatedPlan.class)
                        .inNamespace(ns)
                        .withName("newer")
                        .get()
                        .getStatus()
                        .getInstances())
                .isEqualTo(5);
    }

    @Test
    void workersGoAwayWithTheirEnvironment() {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 1)).create();
        await().atMost(TIMEOUT)
                .until(() -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName("web-workers")
                                .get()
                        != null);

        client.resources(AppServiceEnvironment.class)
                .inNamespace(ns)
                .withName("ase1")
                .delete();
        await().atMost(TIMEOUT)
                .until(() -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName("web-workers")
                                .get()
                        == null);
        awaitPlan(
                "web",
                p -> "EnvironmentNotFound"
                        .equals(Conditions.find(p.getStatus().getConditions(), "Ready")
                                .getReason()));
    }

    @Test
    void deletedPlanFreesItsInstancesInTheEnvironment() {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 15)).create();
        await().atMost(TIMEOUT).until(() -> {
            Deployment d = client.apps()
                    .deployments()
                    .inNamespace(ns)
                    .withName("ase1-frontend")
                    .get();
            return d != null && d.getSpec().getReplicas() == 3;
        });
        client.resources(IsolatedPlan.class).inNamespace(ns).withName("web").delete();
        await().atMost(TIMEOUT)
                .until(() -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName("ase1-frontend")
                                .get()
                                .getSpec()
                                .getReplicas()
                        == 2);
        await().atMost(TIMEOUT).until(() -> {
            AppServiceEnvironment a = client.resources(AppServiceEnvironment.class)
                    .inNamespace(ns)
                    .withName("ase1")
                    .get();
            return a.getStatus() != null
                    && a.getStatus().getPlans() == 0
                    && a.getStatus().getInstances().getUsed() == 0;
        });
    }

    private IsolatedPlan awaitPlan(String name, Predicate<IsolatedPlan> condition) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> client.resources(IsolatedPlan.class)
                                .inNamespace(ns)
                                .withName(name)
                                .get(),
                        p -> p != null
                                && p.getStatus() != null
                                && p.getStatus().getConditions() != null
                                && condition.test(p));
    }
}
