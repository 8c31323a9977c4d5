package dev.appservice.operator.containers;

import static dev.appservice.operator.testing.Fixtures.environment;
import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.containers.PodmanPods.Started;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The running operator, against the mock API server: each app's pod is made from the Deployment
 * the operator wrote, its container run with podman ({@link PodmanPods}), and the state podman
 * reports written into the pod's status as the kubelet would; the WebApp's Ready condition then
 * says why the app does not serve, in the container's own words. See {@link OwnContainersIT} for
 * the images and what serves.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class OwnContainersStatusIT extends OperatorTest {

    @Test
    void theStatesOfRealContainersBecomeTheAppsReasons() throws Exception {
        Map<String, String> images = TestImages.build();
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 1)).create();

        // The crashing image: its exit code and last line.
        Condition exited = run(images.get("exits"), "crashy", 8080, null, "ContainerExited");
        assertThat(exited.getMessage()).contains("exited with code 3").endsWith("fatal: DATABASE_URL is not set");

        // The root image at the environment's default level (Restricted): refused before it starts.
        Condition root = run(images.get("root-port-80"), "nginxish", 80, null, "ImageRunsAsRoot");
        assertThat(root.getMessage()).contains("image will run as root").contains("spec.podSecurity to Baseline");

        // The leaking image: killed at the I1 memory limit.
        Condition oom = run(images.get("memory-hog"), "leaky", 8080, null, "OutOfMemory");
        assertThat(oom.getMessage()).contains("ran out of memory");
    }

    /** Creates the app, runs its operator-written pod with podman, reports the state, returns its Ready condition. */
    private Condition run(String image, String name, int port, Long runAsUser, String reason) throws Exception {
        WebApp app = Fixtures.app(ns, name, "web", port);
        app.getSpec().setImage(image);
        app.getSpec().setRunAsUser(runAsUser);
        client.resource(app).create();
        Deployment deployment = await().atMost(TIMEOUT)
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName(ResourceNames.appWorkload(name))
                                .get(),
                        d -> d != null);
        Pod pod = client.resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(deployment.getMetadata().getName() + "-"
                                + UUID.randomUUID().toString().substring(0, 5))
                        .withNamespace(ns)
                        .withLabels(
                                deployment.getSpec().getTemplate().getMetadata().getLabels())
                        .endMetadata()
                        .withSpec(deployment.getSpec().getTemplate().getSpec())
                        .build())
                .create();
        ContainerStatus status;
        try (Started started = PodmanPods.start(pod)) {
            if (started.id != null) {
                Started.State state = started.awaitExit(90);
                assertThat(state.running()).as(name + " still runs").isFalse();
                if (state.exitCode() == 137) {
                    PodmanPods.requireOomEvidence(state);
                }
            }
            status = started.status();
        }
        Pod current = client.pods()
                .inNamespace(ns)
                .withName(pod.getMetadata().getName())
                .get();
        current.setStatus(new PodStatusBuilder()
                .withPhase(status.getState().getTerminated() != null ? "Failed" : "Pending")
                .withContainerStatuses(status)
                .build());
        client.resource(current).updateStatus();
        WebApp reported = await().atMost(TIMEOUT)
                .until(
                        () -> client.resources(WebApp.class)
                                .inNamespace(ns)
                                .withName(name)
                                .get(),
                        a -> reason.equals(ready(a).getReason()));
        Condition ready = ready(reported);
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getMessage()).contains(pod.getMetadata().getName());
        return ready;
    }

    private static Condition ready(WebApp app) {
        Condition ready = app == null || app.getStatus() == null
                ? null
                : Conditions.find(app.getStatus().getConditions(), Conditions.READY);
        return ready == null ? new Condition() : ready;
    }
}
