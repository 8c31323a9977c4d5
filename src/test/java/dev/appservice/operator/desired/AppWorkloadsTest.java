package dev.appservice.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What runs one app is built from that app and its plan alone: the other apps never change it. */
class AppWorkloadsTest {
    private final IsolatedPlan plan = Fixtures.plan("team", "web", "ase1", InstanceSize.I2, 3);
    private final WebApp a = Fixtures.app("team", "alpha", "web", 8080);
    private final WebApp b = Fixtures.app("team", "beta", "web", 9000);

    private EnvironmentTopology with(WebApp... apps) {
        return new EnvironmentTopology(Fixtures.environment("team", "ase1"), List.of(plan), List.of(apps));
    }

    @Test
    void anotherAppComingChangingOrGoingLeavesAsObjectsEqual() {
        WebApp bChanged = Fixtures.app("team", "beta", "web", 9000);
        bChanged.getSpec().setImage("registry.example/beta:2.0");
        WebApp c = Fixtures.app("team", "gamma", "web", 9100);
        var reference = AppWorkloads.deployment(with(a, b), plan, a);
        var referenceService = AppWorkloads.service(with(a, b), plan, a);
        for (EnvironmentTopology other : List.of(with(a), with(a, bChanged), with(a, b, c))) {
            assertThat(AppWorkloads.deployment(other, plan, a)).isEqualTo(reference);
            assertThat(AppWorkloads.service(other, plan, a)).isEqualTo(referenceService);
        }
        assertThat(reference.getSpec().getReplicas()).isEqualTo(3);
        assertThat(reference.getSpec().getTemplate().getSpec().getContainers())
                .singleElement()
                .satisfies(container -> assertThat(container
                                .getResources()
                                .getRequests()
                                .get("cpu")
                                .toString())
                        .isEqualTo("125m"));
    }
}
