package dev.appservice.operator.webapp;

import static dev.appservice.operator.testing.Fixtures.environment;
import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.SlotStatus;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Why an app does not serve, from its pods' states as the kubelet would report them, fed through
 * the mock API server: the Ready condition's reason (the Reason column of {@code kubectl get
 * wapp}) and message, a slot's own reason, and a Warning Event per transition.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class InstanceFailuresReconcileTest extends OperatorTest {

    @Test
    void podStatesBecomeTheAppsAndSlotsReasons() {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 1)).create();
        WebApp shop = Fixtures.app(ns, "shop", "web", 8080);
        DeploymentSlot staging = new DeploymentSlot();
        staging.setName("staging");
        staging.setImage("registry.example/shop:2.0");
        shop.getSpec().setSlots(List.of(staging));
        client.resource(shop).create();
        Deployment deployment = awaitDeployment(ResourceNames.appWorkload("shop"));
        Deployment slotDeployment = awaitDeployment(ResourceNames.slotWorkload("shop", "staging"));

        Pod pod = client.resource(podOf(deployment, "shop-abc")).create();
        setState(
                pod,
                new ContainerStatusBuilder()
                        .withName("shop")
                        .withImage(shop.getSpec().getImage())
                        .withRestartCount(0)
                        .withReady(false)
                        .withStarted(false)
                        .withNewState()
                        .withNewWaiting()
                        .withReason("ImagePullBackOff")
                        .withMessage("Back-off pulling image: manifest unknown")
                        .endWaiting()
                        .endState()
                        .build());
        WebApp pulled = awaitApp(a -> "ImagePullFailed".equals(ready(a).getReason()));
        assertThat(ready(pulled).getStatus()).isEqualTo("False");
        assertThat(ready(pulled).getMessage()).contains("shop-abc").contains("manifest unknown");
        assertThat(ready(pulled).getObservedGeneration())
                .isEqualTo(pulled.getMetadata().getGeneration());

        setState(
                pod,
                new ContainerStatusBuilder()
                        .withName("shop")
                        .withImage(shop.getSpec().getImage())
                        .withRestartCount(2)
                        .withReady(false)
                        .withStarted(true)
                        .withNewState()
                        .withNewWaiting()
                        .withReason("CrashLoopBackOff")
                        .endWaiting()
                        .endState()
                        .withNewLastState()
                        .withNewTerminated()
                        .withExitCode(1)
                        .withReason("Error")
                        .withMessage("starting\nError: DATABASE_URL is not set")
                        .endTerminated()
                        .endLastState()
                        .build());
        WebApp exited = awaitApp(a -> "ContainerExited".equals(ready(a).getReason()));
        assertThat(ready(exited).getMessage()).contains("exited with code 1").contains("DATABASE_URL is not set");

        // A slot's pods say why the slot does not serve, on the slot's status.
        Pod slotPod = client.resource(podOf(slotDeployment, "shop-staging-abc")).create();
        setState(
                slotPod,
                new ContainerStatusBuilder()
                        .withName("shop")
                        .withImage("registry.example/shop:2.0")
                        .withRestartCount(1)
                        .withReady(false)
                        .withStarted(true)
                        .withNewState()
                        .withNewWaiting()
                        .withReason("CrashLoopBackOff")
                        .endWaiting()
                        .endState()
                        .withNewLastState()
                        .withNewTerminated()
                        .withExitCode(137)
                        .withReason("OOMKilled")
                        .endTerminated()
                        .endLastState()
                        .build());
        WebApp slotReported = awaitApp(a -> a.getStatus().getSlots() != null
                && a.getStatus().getSlots().stream().anyMatch(s -> "OutOfMemory".equals(s.getReason())));
        SlotStatus slot = slotReported.getStatus().getSlots().get(0);
        assertThat(slot.getMessage()).contains("shop-staging-abc").contains("ran out of memory");
        assertThat(ready(slotReported).getReason()).as("the app's own").isEqualTo("ContainerExited");

        // Each transition is a Warning Event, after the status that carries it.
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(client.v1().events().inNamespace(ns).list().getItems().stream()
                                .filter(e -> "shop".equals(e.getInvolvedObject().getName()))
                                .filter(e -> "Warning".equals(e.getType()))
                                .map(Event::getReason)
                                .toList())
                        .contains("ImagePullFailed", "ContainerExited"));
    }

    private static Pod podOf(Deployment deployment, String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(deployment.getMetadata().getNamespace())
                .withLabels(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .endMetadata()
                .withSpec(deployment.getSpec().getTemplate().getSpec())
                .build();
    }

    private void setState(Pod pod, ContainerStatus container) {
        Pod current = client.pods()
                .inNamespace(ns)
                .withName(pod.getMetadata().getName())
                .get();
        current.setStatus(new PodStatusBuilder()
                .withPhase("Running")
                .withContainerStatuses(container)
                .build());
        client.resource(current).updateStatus();
    }

    private static Condition ready(WebApp app) {
        Condition ready = Conditions.find(app.getStatus().getConditions(), Conditions.READY);
        return ready == null ? new Condition() : ready;
    }

    private WebApp awaitApp(Predicate<WebApp> condition) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> client.resources(WebApp.class)
                                .inNamespace(ns)
                                .withName("shop")
                                .get(),
                        a -> a != null
                                && a.getStatus() != null
                                && a.getStatus().getConditions() != null
                                && condition.test(a));
    }

    private Deployment awaitDeployment(String name) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName(name)
                                .get(),
                        d -> d != null);
    }
}
