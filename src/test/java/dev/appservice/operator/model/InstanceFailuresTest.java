package dev.appservice.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.model.InstanceFailures.Reason;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pod states mapped to why an app does not serve, in the platform's words. */
class InstanceFailuresTest {
    static final String IMAGE = "registry.example/shop:1.0";

    static Pod pod(String name, ContainerStatus container) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("team")
                .endMetadata()
                .withNewStatus()
                .withPhase("Pending")
                .withContainerStatuses(container)
                .endStatus()
                .build();
    }

    static ContainerStatusBuilder container() {
        return new ContainerStatusBuilder().withName("shop").withImage(IMAGE).withRestartCount(0);
    }

    static Pod waiting(String name, String reason, String message) {
        return pod(
                name,
                container()
                        .withNewState()
                        .withNewWaiting()
                        .withReason(reason)
                        .withMessage(message)
                        .endWaiting()
                        .endState()
                        .withReady(false)
                        .withStarted(false)
                        .build());
    }

    static Pod crashed(String name, int exitCode, String reason, String message, boolean started) {
        return pod(
                name,
                container()
                        .withRestartCount(3)
                        .withNewState()
                        .withNewWaiting()
                        .withReason("CrashLoopBackOff")
                        .withMessage("back-off 40s restarting failed container")
                        .endWaiting()
                        .endState()
                        .withNewLastState()
                        .withNewTerminated()
                        .withExitCode(exitCode)
                        .withReason(reason)
                        .withMessage(message)
                        .endTerminated()
                        .endLastState()
                        .withReady(false)
                        .withStarted(started)
                        .build());
    }

    static Pod running(String name, boolean ready) {
        return pod(
                name,
                container()
                        .withNewState()
                        .withNewRunning()
                        .withStartedAt("2026-01-01T00:00:00Z")
                        .endRunning()
                        .endState()
                        .withReady(ready)
                        .withStarted(true)
                        .build());
    }

    @Test
    void anImageThatCannotBePulledCarriesTheRegistrysMessage() {
        var failure = InstanceFailures.of(
                        List.of(waiting("shop-1", "ErrImagePull", "failed to pull image: manifest unknown")))
                .orElseThrow();
        assertThat(failure.reason()).isEqualTo(Reason.ImagePullFailed);
        assertThat(failure.message()).contains("shop-1").contains(IMAGE).contains("manifest unknown");
        assertThat(InstanceFailures.of(List.of(waiting("shop-1", "ImagePullBackOff", "Back-off pulling image")))
                        .orElseThrow()
                        .reason())
                .isEqualTo(Reason.ImagePullFailed);
    }

    @Test
    void aRootImageAtRestrictedNamesTheFix() {
        var failure = InstanceFailures.of(
                        List.of(
                                waiting(
                                        "shop-1",
                                        "CreateContainerConfigError",
                                        "container has runAsNonRoot and image will run as root (pod: \"shop-1_team\", container: shop)")))
                .orElseThrow();
        assertThat(failure.reason()).isEqualTo(Reason.ImageRunsAsRoot);
        assertThat(failure.message()).contains("spec.runAsUser").contains("Baseline");
        assertThat(InstanceFailures.of(
                                List.of(
                                        waiting(
                                                "shop-1",
                                                "CreateContainerConfigError",
                                                "container has runAsNonRoot and image has non-numeric user (node), cannot verify user is non-root")))
                        .orElseThrow()
                        .reason())
                .isEqualTo(Reason.ImageUserNotNumeric);
        assertThat(InstanceFailures.of(
                                List.of(waiting("shop-1", "CreateContainerConfigError", "secret \"db\" not found")))
                        .orElseThrow()
                        .reason())
                .isEqualTo(Reason.ContainerConfigError);
    }

    @Test
    void anExitingContainerGivesItsExitCodeAndItsLastLines() {
        String log = String.join("\n", "line 1", "line 2", "line 3", "line 4", "line 5", "line 6", "fatal: no DB_URL");
        var failure = InstanceFailures.of(List.of(crashed("shop-1", 3, "Error", log, true)))
                .orElseThrow();
        assertThat(failure.reason()).isEqualTo(Reason.ContainerExited);
        assertThat(failure.message())
                .contains("exited with code 3")
                .contains("restarted 3 times")
                .contains("fatal: no DB_URL")
                .contains("line 3")
                .doesNotContain("line 2");
    }

    @Test
    void outOfMemoryStartTimeLimitAndUnschedulable() {
        assertThat(InstanceFailures.of(List.of(crashed("shop-1", 137, "OOMKilled", null, true)))
                        .orElseThrow()
                        .reason())
                .isEqualTo(Reason.OutOfMemory);
        assertThat(InstanceFailures.of(List.of(crashed("shop-1", 137, "Error", null, false)))
                        .orElseThrow()
                        .reason())
                .as("stopped by the kubelet before its startup probe passed")
                .isEqualTo(Reason.StartTimeLimitExceeded);
        Pod pending = new PodBuilder()
                .withNewMetadata()
                .withName("shop-2")
                .endMetadata()
                .withNewStatus()
                .withPhase("Pending")
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("False")
                .withReason("Unschedulable")
                .withMessage("0/3 nodes are available: 3 Insufficient memory.")
                .endCondition()
                .endStatus()
                .build();
        var failure = InstanceFailures.of(List.of(pending)).orElseThrow();
        assertThat(failure.reason()).isEqualTo(Reason.Unschedulable);
        assertThat(failure.message()).contains("3 Insufficient memory");
    }

    @Test
    void aRunningUnreadyInstanceFailsItsHealthCheckAndHealthyOnesSayNothing() {
        assertThat(InstanceFailures.of(List.of(running("shop-1", false)))
                        .orElseThrow()
                        .reason())
                .isEqualTo(Reason.HealthCheckFailing);
        assertThat(InstanceFailures.of(List.of(running("shop-1", true), running("shop-2", true))))
                .isEmpty();
        assertThat(InstanceFailures.of(List.of())).isEmpty();
    }

    @Test
    void theWorstStateAmongTheInstancesWinsAndDeletedOnesAreIgnored() {
        Pod deleting = waiting("shop-0", "ErrImagePull", "gone");
        deleting.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        var failure = InstanceFailures.of(
                        List.of(deleting, running("shop-1", false), crashed("shop-2", 1, "Error", "boom", true)))
                .orElseThrow();
        assertThat(failure.reason()).isEqualTo(Reason.ContainerExited);
        assertThat(failure.message()).contains("shop-2").contains("boom");
    }
}
