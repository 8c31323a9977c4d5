package dev.appservice.operator.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppStatus;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An app's status is computed whole in one call: Ready, its certificate's conditions and which
 * deployment serves production are merged once with the previous conditions, each at the app's
 * generation, and its slots say why they do not serve from their own pods.
 */
class WebAppStatusFactoryTest {
    static final String EARLIER = "2024-01-01T00:00:00Z";
    static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");

    @Test
    void everyConditionIsMergedOnceAtTheAppsGenerationKeepingTransitionsOfUnchangedStatuses() {
        WebApp app = appAskingForStaging();
        app.getStatus()
                .setConditions(List.of(
                        condition(Conditions.READY, Conditions.FALSE, "WorkersNotReady"),
                        condition(ProductionSwap.CONDITION, Conditions.FALSE, ProductionSwap.SLOT_NOT_READY),
                        condition("CertificateReady", Conditions.TRUE, "Issued")));

        WebAppStatus status = WebAppStatusFactory.compute(inputs(app, List.of()));

        assertThat(status.getConditions())
                .extracting(Condition::getType)
                .containsExactly("CertificateReady", ProductionSwap.CONDITION, Conditions.READY);
        assertThat(status.getConditions())
                .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(3L));
        // Unchanged statuses keep their transition, whatever their reason now; a changed one moves.
        assertThat(Conditions.find(status.getConditions(), Conditions.READY).getReason())
                .isEqualTo("PlanNotFound");
        assertThat(Conditions.find(status.getConditions(), Conditions.READY).getLastTransitionTime())
                .isEqualTo(EARLIER);
        assertThat(Conditions.find(status.getConditions(), ProductionSwap.CONDITION)
                        .getLastTransitionTime())
                .isEqualTo(EARLIER);
        assertThat(Conditions.find(status.getConditions(), "CertificateReady"))
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo(Conditions.FALSE))
                .satisfies(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2024-06-01T12:00:00Z"));
        assertThat(status.getProduction()).isEqualTo("production");
    }

    @Test
    void aSlotNotReadySaysWhyFromItsOwnPodsOnly() {
        WebApp app = appAskingForStaging();

        WebAppStatus status = WebAppStatusFactory.compute(inputs(
                app,
                List.of(
                        waiting("shop-1", null, "CrashLoopBackOff"),
                        waiting("shop-staging-1", "staging", "ImagePullBackOff"))));

        assertThat(status.getSlots()).singleElement().satisfies(slot -> {
            assertThat(slot.getName()).isEqualTo("staging");
            assertThat(slot.getDeployment()).isEqualTo("staging");
            assertThat(slot.getReason()).isEqualTo("ImagePullFailed");
            assertThat(slot.getMessage()).contains("shop-staging-1");
        });
        assertThat(Conditions.find(status.getConditions(), ProductionSwap.CONDITION))
                .satisfies(c -> assertThat(c.getReason()).isEqualTo(ProductionSwap.SLOT_NOT_READY))
                .satisfies(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2024-06-01T12:00:00Z"));
    }

    @Test
    void anAppWithoutSlotsHasNoProductionDecision() {
        WebApp app = Fixtures.app("team", "shop", "web-plan", 8080);
        app.getMetadata().setGeneration(1L);

        WebAppStatus status = WebAppStatusFactory.compute(inputs(app, List.of()));

        assertThat(status.getConditions()).extracting(Condition::getType).containsExactly("CertificateReady", "Ready");
        assertThat(status.getSlots()).isNullOrEmpty();
        assertThat(status.getProduction()).isNull();
    }

    private static WebAppStatusFactory.Inputs inputs(WebApp app, List<Pod> pods) {
        return new WebAppStatusFactory.Inputs(
                app,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                deployment -> Optional.empty(),
                pods,
                List.of(new Conditions.Desired("CertificateReady", false, "SecretNotFound", "no secret")),
                NOW);
    }

    private static WebApp appAskingForStaging() {
        WebApp app = Fixtures.app("team", "shop", "web-plan", 8080);
        app.getMetadata().setGeneration(3L);
        DeploymentSlot staging = new DeploymentSlot();
        staging.setName("staging");
        staging.setImage("registry.example/shop:2.0");
        app.getSpec().setSlots(List.of(staging));
        app.getSpec().setProduction("staging");
        app.setStatus(new WebAppStatus());
        return app;
    }

    private static Condition condition(String type, String status, String reason) {
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage("")
                .withObservedGeneration(2L)
                .withLastTransitionTime(EARLIER)
                .build();
    }

    private static Pod waiting(String name, String slot, String reason) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("team")
                .withLabels(slot == null ? Map.of() : Map.of(StandardLabels.SLOT, slot))
                .endMetadata()
                .withNewStatus()
                .withPhase("Pending")
                .addNewContainerStatus()
                .withName("shop")
                .withImage("registry.example/shop:2.0")
                .withRestartCount(0)
                .withReady(false)
                .withStarted(false)
                .withNewState()
                .withNewWaiting()
                .withReason(reason)
                .withMessage("Back-off")
                .endWaiting()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();
    }
}
