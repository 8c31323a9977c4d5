package dev.appservice.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.AppServiceEnvironmentStatus;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.desired.EnvironmentChildren;
import dev.appservice.operator.environment.EnvironmentStatusFactory.ObservedChildren;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status aggregator as data: desired children and what is observed in, the status out. */
class EnvironmentStatusTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private static EnvironmentChildren children() {
        AppServiceEnvironment ase = Fixtures.environment("ns", "ase");
        ase.getMetadata().setGeneration(3L);
        return EnvironmentChildren.offline(new EnvironmentTopology(ase, List.of()), OperatorSettings.defaults());
    }

    private static Deployment rolledOut(Deployment desired, int ready) {
        return new DeploymentBuilder(desired)
                .editMetadata()
                .withGeneration(1L)
                .endMetadata()
                .withNewStatus()
                .withObservedGeneration(1L)
                .withReadyReplicas(ready)
                .withUpdatedReplicas(ready)
                .endStatus()
                .build();
    }

    @Test
    void readyOnlyWhenEveryDesiredChildIsObservedAndTheFrontEndsAreReady() {
        EnvironmentChildren children = children();
        List<HasMetadata> observed = new ArrayList<>(children.all());
        observed.remove(children.management());
        observed.remove(children.frontEnds());
        observed.add(rolledOut(children.frontEnds(), 2));

        AppServiceEnvironmentStatus missing =
                EnvironmentStatusFactory.compute(children, ObservedChildren.of(observed), NOW);
        var ready = Conditions.find(missing.getConditions(), Conditions.READY);
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("ChildrenMissing");
        assertThat(ready.getMessage()).isEqualTo("Not created yet: Service ase-management");
        assertThat(ready.getObservedGeneration()).isEqualTo(3L);

        observed.add(children.management());
        AppServiceEnvironmentStatus complete =
                EnvironmentStatusFactory.compute(children, ObservedChildren.of(observed), NOW);
        assertThat(Conditions.isTrue(complete.getConditions(), Conditions.READY))
                .isTrue();
        assertThat(complete.getFrontEnds().getSummary()).isEqualTo("2/2");
    }

    @Test
    void frontEndsNotYetReadyAreReportedWithTheirCount() {
        EnvironmentChildren children = children();
        List<HasMetadata> observed = new ArrayList<>(children.all());
        observed.remove(children.frontEnds());
        observed.add(rolledOut(children.frontEnds(), 1));

        var ready = Conditions.find(
                EnvironmentStatusFactory.compute(children, ObservedChildren.of(observed), NOW)
                        .getConditions(),
                Conditions.READY);
        assertThat(ready.getReason()).isEqualTo("FrontEndsNotReady");
        assertThat(ready.getMessage()).startsWith("1 of 2 front ends ready");
    }
}
