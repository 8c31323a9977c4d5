package dev.appservice.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rendered objects carry the budgets and the front ends' spread. */
class DisruptionBudgetsTest {

    @Test
    void frontEndsHaveABudgetOfOneAtATimeAndNeverAllShareANode() {
        var topology = new EnvironmentTopology(Fixtures.environment("ns", "ase"), List.of());
        var children = EnvironmentChildren.offline(topology, OperatorSettings.defaults());
        PodDisruptionBudget budget = children.frontEndBudget();

        assertThat(budget.getMetadata().getName()).isEqualTo("ase-frontend");
        assertThat(budget.getMetadata().getLabels())
                .isEqualTo(children.frontEnds().getMetadata().getLabels());
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
        assertThat(budget.getSpec().getSelector().getMatchLabels())
                .isEqualTo(children.frontEnds().getSpec().getSelector().getMatchLabels());
        List<TopologySpreadConstraint> spread =
                children.frontEnds().getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
        assertThat(spread).singleElement().satisfies(c -> {
            assertThat(c.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(c.getWhenUnsatisfiable()).isEqualTo("DoNotSchedule");
            assertThat(c.getMaxSkew()).isEqualTo(1);
            assertThat(c.getNodeTaintsPolicy()).isEqualTo("Honor");
        });
        var pod = children.frontEnds().getSpec().getTemplate().getSpec();
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(FrontEnds.PRE_STOP_SECONDS + 230L + 5);
        assertThat(pod.getContainers()
                        .get(0)
                        .getLifecycle()
                        .getPreStop()
                        .getExec()
                        .getCommand())
                .containsExactly("/bin/sleep", Integer.toString(FrontEnds.PRE_STOP_SECONDS));
        assertThat(children.frontEndConfiguration().main()).contains("worker_shutdown_timeout 230s;");
    }

    @Test
    void appDeploymentsWithMoreThanOneInstanceHaveABudgetAndASingleInstanceNone() {
        var environment = Fixtures.environment("ns", "ase");
        IsolatedPlan three = Fixtures.plan("ns", "three", "ase", InstanceSize.I1, 3);
        IsolatedPlan one = Fixtures.plan("ns", "one", "ase", InstanceSize.I1, 1);
        WebApp shop = Fixtures.app("ns", "shop", "three", 8080);
        DeploymentSlot staging = new DeploymentSlot();
        staging.setName("staging");
        staging.setImage("registry.example/shop:2.0");
        shop.getSpec().setSlots(List.of(staging));
        WebApp blog = Fixtures.app("ns", "blog", "one", 8080);
        var topology = new EnvironmentTopology(environment, List.of(three, one), List.of(shop, blog));

        AppChildren shopChildren = AppChildren.of(topology, three, shop);
        assertThat(shopChildren.disruptionBudgets())
                .extracting(b -> b.getMetadata().getName())
                .containsExactly(
                        shopChildren.deployment().getMetadata().getName(),
                        shopChildren.slotDeployments().get(0).getMetadata().getName());
        assertThat(shopChildren
                        .disruptionBudgets()
                        .get(1)
                        .getSpec()
                        .getSelector()
                        .getMatchLabels())
                .isEqualTo(shopChildren
                        .slotDeployments()
                        .get(0)
                        .getSpec()
                        .getSelector()
                        .getMatchLabels());
        assertThat(shopChildren.all()).containsAll(shopChildren.disruptionBudgets());
        assertThat(AppChildren.of(topology, one, blog).disruptionBudgets()).isEmpty();
    }
}
