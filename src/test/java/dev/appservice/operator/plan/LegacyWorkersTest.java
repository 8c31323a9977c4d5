package dev.appservice.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.desired.CapacityPlaceholder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The steps of the move from the old layout, as a pure function of what exists. */
class LegacyWorkersTest {
    private static final Duration DRAIN = Duration.ofMinutes(2);
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private static Deployment workers(String annotation, String... containers) {
        DeploymentBuilder d = new DeploymentBuilder()
                .withNewMetadata()
                .withName("web-workers")
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .endSpec()
                .endTemplate()
                .endSpec();
        for (String c : containers) {
            d.editSpec()
                    .editTemplate()
                    .editSpec()
                    .addNewContainer()
                    .withName(c)
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec();
        }
        if (annotation != null) {
            d.editMetadata()
                    .addToAnnotations(LegacyWorkers.DRAIN_STARTED_ANNOTATION, annotation)
                    .endMetadata();
        }
        return d.build();
    }

    private static final Optional<Service> OLD_SERVICE = Optional.of(new ServiceBuilder()
            .withNewMetadata()
            .withName("web-workers")
            .endMetadata()
            .build());

    @Test
    void aPlaceholderWithoutTheOldServiceIsNotTheOldLayout() {
        assertThat(LegacyWorkers.decide(
                                Optional.of(workers(null, CapacityPlaceholder.CONTAINER_NAME)),
                                Optional.empty(),
                                false,
                                DRAIN,
                                NOW)
                        .step())
                .isEqualTo(LegacyWorkers.Step.NONE);
        assertThat(LegacyWorkers.decide(Optional.empty(), Optional.empty(), true, DRAIN, NOW)
                        .step())
                .isEqualTo(LegacyWorkers.Step.NONE);
    }

    @Test
    void theOldLayoutServesUntilEveryAppHasMoved() {
        var migration = LegacyWorkers.decide(Optional.of(workers(null, "a", "b")), OLD_SERVICE, false, DRAIN, NOW);
        assertThat(migration.step()).isEqualTo(LegacyWorkers.Step.SERVE);
        assertThat(migration.keepsLegacy()).isTrue();
        assertThat(migration.drainStarted()).isEmpty();
    }

    @Test
    void theDrainStartsWhenEveryAppHasMovedAndEndsAfterThePeriod() {
        var start = LegacyWorkers.decide(Optional.of(workers(null, "a", "b")), OLD_SERVICE, true, DRAIN, NOW);
        assertThat(start.step()).isEqualTo(LegacyWorkers.Step.START_DRAIN);
        assertThat(start.drainStarted()).contains(NOW);
        assertThat(start.recheckAfter()).contains(DRAIN);

        var draining = LegacyWorkers.decide(
                Optional.of(workers(NOW.toString(), "a", "b")), OLD_SERVICE, true, DRAIN, NOW.plusSeconds(90));
        assertThat(draining.step()).isEqualTo(LegacyWorkers.Step.DRAIN);
        assertThat(draining.recheckAfter()).contains(Duration.ofSeconds(30));
        assertThat(draining.keepsLegacy()).isTrue();

        var retire = LegacyWorkers.decide(
                Optional.of(workers(NOW.toString(), "a", "b")), OLD_SERVICE, true, DRAIN, NOW.plus(DRAIN));
        assertThat(retire.step()).isEqualTo(LegacyWorkers.Step.RETIRE);
        assertThat(retire.keepsLegacy()).isFalse();
    }

    @Test
    void anAppThatStopsBeingReadyDuringTheDrainStartsItAgain() {
        var migration = LegacyWorkers.decide(
                Optional.of(workers(NOW.toString(), "a", "b")), OLD_SERVICE, false, DRAIN, NOW.plus(DRAIN));
        assertThat(migration.step()).isEqualTo(LegacyWorkers.Step.SERVE);
        assertThat(migration.drainStarted()).isEmpty();
        // A cleared start ("") is no start.
        assertThat(LegacyWorkers.decide(Optional.of(workers("", "a")), OLD_SERVICE, true, DRAIN, NOW)
                        .step())
                .isEqualTo(LegacyWorkers.Step.START_DRAIN);
    }
}
