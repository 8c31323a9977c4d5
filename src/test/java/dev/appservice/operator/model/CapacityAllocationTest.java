package dev.appservice.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.CapacityLimits;
import dev.appservice.operator.api.EnvironmentVersion;
import dev.appservice.operator.api.FrontEndSettings;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.IsolatedPlanStatus;
import dev.appservice.operator.api.WorkerPool;
import dev.appservice.operator.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The capacity allocator ({@link EnvironmentTopology}) as data: plans in, grants and limits out. */
class CapacityAllocationTest {

    private static IsolatedPlan plan(String name, int instances, String created, Integer running) {
        IsolatedPlan plan = Fixtures.plan("ns", name, "ase", InstanceSize.I1, instances);
        plan.getMetadata().setCreationTimestamp(created);
        if (running != null) {
            IsolatedPlanStatus status = new IsolatedPlanStatus();
            status.setInstances(running);
            plan.setStatus(status);
        }
        return plan;
    }

    private static AppServiceEnvironment v2(int maxInstances) {
        AppServiceEnvironment ase = Fixtures.environment("ns", "ase");
        ase.getSpec().setMaxInstances(maxInstances);
        return ase;
    }

    @Test
    void plansAreGrantedInAdmissionOrderAndALaterPlanIsHeldAtWhatStillFits() {
        var topology = new EnvironmentTopology(
                v2(10),
                List.of(plan("late", 6, "2026-01-02T00:00:00Z", null), plan("early", 7, "2026-01-01T00:00:00Z", null)));

        assertThat(topology.plans()).extracting(p -> p.getMetadata().getName()).containsExactly("early", "late");
        assertThat(topology.grantedInstances(topology.plans().get(0))).isEqualTo(7);
        assertThat(topology.grantedInstances(topology.plans().get(1))).isEqualTo(3);
        assertThat(topology.planInstances()).isEqualTo(10);
        assertThat(topology.requestedInstances()).isEqualTo(13);
    }

    @Test
    void aPlanThatRunsKeepsItsInstancesWhenAnOlderPlanGrows() {
        // The older plan grew from 4 to 8 while the younger runs 5 of 5: the younger keeps its 5.
        var topology = new EnvironmentTopology(
                v2(10),
                List.of(plan("older", 8, "2026-01-01T00:00:00Z", 4), plan("younger", 5, "2026-01-02T00:00:00Z", 5)));

        assertThat(topology.grantedInstances(topology.plans().get(1))).isEqualTo(5);
        assertThat(topology.grantedInstances(topology.plans().get(0))).isEqualTo(5);
    }

    @Test
    void aPlanBeingDeletedTakesNothing() {
        IsolatedPlan leaving = plan("leaving", 9, "2026-01-01T00:00:00Z", 9);
        leaving.getMetadata().setDeletionTimestamp("2026-02-01T00:00:00Z");
        var topology =
                new EnvironmentTopology(v2(10), List.of(leaving, plan("staying", 8, "2026-01-02T00:00:00Z", null)));

        assertThat(topology.plans()).extracting(p -> p.getMetadata().getName()).containsExactly("staying");
        assertThat(topology.grantedInstances(topology.plans().get(0))).isEqualTo(8);
        assertThat(topology.unrequestedInstances(null)).isEqualTo(2);
    }

    @Test
    void theV2LimitIsMaxInstancesAndTheFrontEndsGrowWithTheScaleFactor() {
        var topology = new EnvironmentTopology(
                v2(CapacityLimits.V2_INSTANCES), List.of(plan("web", 45, "2026-01-01T00:00:00Z", null)));

        assertThat(topology.instanceLimit()).isEqualTo(CapacityLimits.V2_INSTANCES);
        // 2 + floor(45 / 15) with the default scale factor.
        assertThat(topology.frontEndCount()).isEqualTo(CapacityLimits.MIN_FRONT_ENDS + 3);
        assertThat(topology.unrequestedInstances(null)).isEqualTo(CapacityLimits.V2_INSTANCES - 45);
    }

    @Test
    void aV1EnvironmentCountsHostsAgainstFiftyFiveAndGrantsFromThePlansPool() {
        AppServiceEnvironment ase = Fixtures.environment("ns", "ase");
        ase.getSpec().setVersion(EnvironmentVersion.V1);
        FrontEndSettings frontEnd = new FrontEndSettings();
        frontEnd.setCount(3);
        ase.getSpec().setFrontEnd(frontEnd);
        WorkerPool small = new WorkerPool();
        small.setName("small");
        small.setCount(10);
        WorkerPool large = new WorkerPool();
        large.setName("large");
        large.setSize(InstanceSize.I3);
        large.setCount(4);
        ase.getSpec().setWorkerPools(List.of(small, large));
        IsolatedPlan web = plan("web", 12, "2026-01-01T00:00:00Z", null);
        web.getSpec().setWorkerPool("small");

        var topology = new EnvironmentTopology(ase, List.of(web));

        assertThat(topology.instanceLimit()).isEqualTo(CapacityLimits.V1_HOSTS);
        assertThat(topology.instancesUsed()).isEqualTo(3 + 10 + 4);
        assertThat(topology.grantedInstances(web)).isEqualTo(10);
        assertThat(topology.workerSize(web)).isEqualTo(InstanceSize.I1);
        assertThat(topology.unrequestedInstances("small")).isZero();
        assertThat(topology.unrequestedInstances("large")).isEqualTo(4);
        assertThat(topology.unrequestedInstances("none")).isZero();
        assertThat(topology.workerCapacity().vCpus())
                .isEqualTo(10 * InstanceSize.I1.vCpus() + 4 * InstanceSize.I3.vCpus());
    }
}
