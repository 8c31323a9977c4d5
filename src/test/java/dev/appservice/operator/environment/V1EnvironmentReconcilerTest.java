package dev.appservice.operator.environment;

import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.EnvironmentVersion;
import dev.appservice.operator.api.FrontEndSettings;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WorkerPool;
import dev.appservice.operator.api.WorkerPoolStatus;
import dev.appservice.operator.desired.WorkerPools;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** A V1 environment reconciled: hand-counted front ends, worker pools that reserve their hosts, plans placed in pools. */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class V1EnvironmentReconcilerTest extends OperatorTest {

    static WorkerPool pool(String name, InstanceSize size, int count) {
        WorkerPool pool = new WorkerPool();
        pool.setName(name);
        pool.setSize(size);
        pool.setCount(count);
        return pool;
    }

    AppServiceEnvironment v1(int frontEnds, WorkerPool... pools) {
        AppServiceEnvironment ase = Fixtures.environment(ns, "ase1");
        ase.getSpec().setVersion(EnvironmentVersion.V1);
        FrontEndSettings fe = new FrontEndSettings();
        fe.setCount(frontEnds);
        ase.getSpec().setFrontEnd(fe);
        ase.getSpec().setWorkerPools(List.of(pools));
        return ase;
    }

    IsolatedPlan inPool(String name, String pool, InstanceSize planSize, int instances) {
        IsolatedPlan plan = plan(ns, name, "ase1", planSize, instances);
        plan.getSpec().setWorkerPool(pool);
        return plan;
    }

    @Test
    void poolsReserveTheirHostsAndPlansRunInThem() {
        client.resource(v1(3, pool("small", InstanceSize.I1, 10), pool("large", InstanceSize.I3, 4)))
                .create();
        client.resource(inPool("a", "small", InstanceSize.I1, 4)).create();
        client.resource(inPool("b", "large", InstanceSize.I1, 2)).create();

        awaitReplicas("ase1-frontend", 3);
        awaitReplicas(WorkerPools.deploymentName("ase1", "small"), 6);
        awaitReplicas(WorkerPools.deploymentName("ase1", "large"), 2);
        awaitReplicas("a-workers", 4);
        Deployment large = awaitReplicas("b-workers", 2);
        assertThat(large.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getRequests()
                        .get("cpu")
                        .toString())
                .as("a V1 plan's workers are sized by its pool, not by the plan")
                .isEqualTo("4");
        Deployment smallPool = client.apps()
                .deployments()
                .inNamespace(ns)
                .withName(WorkerPools.deploymentName("ase1", "small"))
                .get();
        assertThat(smallPool
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getLimits()
                        .get("memory")
                        .toString())
                .isEqualTo("3584Mi");
        assertThat(smallPool.getMetadata().getLabels()).containsEntry("appservice.dev/worker-pool", "small");
        AppServiceEnvironmentReconcilerTest.assertRestricted(
                smallPool.getSpec().getTemplate().getSpec());

        AppServiceEnvironment status = awaitStatus(a -> a.getStatus().getWorkerPools() != null
                && a.getStatus().getWorkerPools().get(0).getUsed() == 4
                && a.getStatus().getWorkerPools().get(1).getUsed() == 2);
        assertThat(status.getStatus().getInstances().getSummary())
                .as("hosts used/55")
                .isEqualTo("17/55");
        assertThat(status.getStatus().getWorkerPools())
                .extracting(
                        WorkerPoolStatus::getName,
                        WorkerPoolStatus::getWorkers,
                        WorkerPoolStatus::getUsed,
                        WorkerPoolStatus::getFree)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("small", 10, 4, 6),
                        org.assertj.core.groups.Tuple.tuple("large", 4, 2, 2));
        assertThat(status.getStatus().getReservedCapacity().getTotal().getVcpus())
                .as("3 front ends + 10 I1 + 4 I3")
                .isEqualTo(29);
    }

    @Test
    void poolScaleOutThenPlanScaleOutSucceeds() {
        client.resource(v1(2, pool("small", InstanceSize.I1, 3))).create();
        client.resource(inPool("a", "small", InstanceSize.I1, 5)).create();
        IsolatedPlan held = awaitPlan(
                "a",
                p -> "EnvironmentCapacityExceeded"
                        .equals(Conditions.find(p.getStatus().getConditions(), "Ready")
                                .getReason()));
        assertThat(held.getStatus().getInstances()).isEqualTo(3);
        assertThat(Conditions.find(held.getStatus().getConditions(), "Ready").getMessage())
                .isEqualTo("spec.instances 5 does not fit: worker pool 'small' of AppServiceEnvironment " + ns
                        + "/ase1 has room for 3; running 3");
        awaitReplicas(WorkerPools.deploymentName("ase1", "small"), 0);

        client.resources(AppServiceEnvironment.class)
                .inNamespace(ns)
                .withName("ase1")
                .edit(a -> {
                    a.getSpec().getWorkerPools().get(0).setCount(8);
                    return a;
                });
        awaitReplicas("a-workers", 5);
        awaitReplicas(WorkerPools.deploymentName("ase1", "small"), 3);
        awaitPlan(
                "a",
                p -> p.getStatus().getInstances() == 5
                        && "WorkersNotReady"
                                .equals(Conditions.find(p.getStatus().getConditions(), "Ready")
                                        .getReason()));
    }

    @Test
    void aPlanWithoutAKnownPoolGetsNoWorkersAndSaysWhy() {
        client.resource(v1(2, pool("small", InstanceSize.I1, 3))).create();
        client.resource(inPool("lost", "huge", InstanceSize.I1, 1)).create();
        IsolatedPlan plan = awaitPlan(
                "lost",
                p -> "WorkerPoolNotFound"
                        .equals(Conditions.find(p.getStatus().getConditions(), "Ready")
                                .getReason()));
        assertThat(Conditions.find(plan.getStatus().getConditions(), "Ready").getMessage())
                .isEqualTo("spec.workerPool 'huge' is not a worker pool of V1 AppServiceEnvironment " + ns + "/ase1");
        assertThat(plan.getStatus().getInstances()).isZero();
    }

    private Deployment awaitReplicas(String name, int replicas) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName(name)
                                .get(),
                        d -> d != null && d.getSpec().getReplicas() == replicas);
    }

    private AppServiceEnvironment awaitStatus(Predicate<AppServiceEnvironment> condition) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> client.resources(AppServiceEnvironment.class)
                                .inNamespace(ns)
                                .withName("ase1")
                                .get(),
                        a -> a != null && a.getStatus() != null && condition.test(a));
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
