package dev.appservice.operator.containers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.PodSecurityLevel;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.containers.PodmanPods.Started;
import dev.appservice.operator.desired.AppPlatform;
import dev.appservice.operator.desired.AppWorkloads;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.InstanceFailures;
import dev.appservice.operator.model.InstanceFailures.Failure;
import dev.appservice.operator.model.InstanceFailures.Reason;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.ProcessRun;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 28's four images (src/test/containers: built with buildah, FROM scratch), each run with
 * podman exactly as its app's rendered pod says ({@link PodmanPods}): the image with {@code USER
 * 1000} that writes its own directory serves; the nginx-like root image on port 80 serves as a non-root
 * {@code spec.runAsUser} thanks to the pod's sysctl (and cannot bind without it), serves as root at
 * {@code Baseline}, and is refused at {@code Restricted} as the kubelet refuses it; the crashing one
 * exits with its code and message; the leaking one is killed at its memory limit. The states podman
 * reports, as the kubelet would put them in the pod's status, are then read by {@link
 * InstanceFailures}: the reasons and messages the WebApp's status shows.
 * <p>
 * Needs podman, buildah and Go. In CI ({@code CI=true}) missing tools fail the test; elsewhere it is
 * skipped, saying what is missing.
 */
class OwnContainersIT {
    static final String NAMESPACE = "team";
    /** Capability numbers (linux/capability.h). */
    static final int CAP_SETUID = 7;

    static final int CAP_NET_BIND_SERVICE = 10;
    static final int CAP_NET_RAW = 13;
    static final int CAP_SYS_ADMIN = 21;
    static final int CAP_MKNOD = 27;
    static java.util.Map<String, String> images;

    @BeforeAll
    static void buildImages() throws Exception {
        images = TestImages.build();
    }

    @Test
    void anImageWithUser1000WritesItsOwnDirectoryTmpAndHomeAndServes() throws Exception {
        WebApp app = app("shop", "user-1000", 8080);
        Pod pod = render(PodSecurityLevel.Restricted, app);
        assertThat(pod.getSpec().getSecurityContext().getRunAsUser())
                .as("the image's own user")
                .isNull();
        try (Started started = PodmanPods.start(pod)) {
            ProcessRun served = started.get("/", 20);
            assertThat(served.exitCode()).as(served.stderr()).isZero();
            assertThat(served.stdout())
                    .startsWith("200 user-1000 uid=1000 gid=0")
                    .contains("wrote /data/started /tmp/started " + AppPlatform.HOME_PATH + "/started")
                    .contains("site=shop");
            assertThat(failure(pod, started.status())).isEmpty();
        }
    }

    @Test
    void aRootImageOnPort80ServesAsANonRootRunAsUserThroughTheSysctl() throws Exception {
        WebApp app = app("web", "root-port-80", 80);
        app.getSpec().setRunAsUser(1000L);
        app.getSpec().setRunAsGroup(1000L);
        Pod pod = render(PodSecurityLevel.Restricted, app);
        try (Started started = PodmanPods.start(pod)) {
            ProcessRun served = started.get("/", 20);
            assertThat(served.exitCode()).as(served.stderr()).isZero();
            assertThat(served.stdout())
                    .startsWith("200 root-port-80 uid=1000 gid=1000")
                    .contains("site=web")
                    .as("no capability, no privilege escalation")
                    .contains("CapEff=0000000000000000 NoNewPrivs=1");
            assertThat(failure(pod, started.status())).isEmpty();
        }

        // The same pod without the platform's sysctl: a non-root process cannot bind port 80.
        Pod withoutSysctl = rename(render(PodSecurityLevel.Restricted, app));
        withoutSysctl.getSpec().getSecurityContext().setSysctls(List.of());
        try (Started started = PodmanPods.start(withoutSysctl)) {
            assertThat(started.awaitExit(20).exitCode()).isEqualTo(1);
            assertThat(started.logs().output()).contains("bind: permission denied");
        }
    }

    @Test
    void aRootImageServesAtBaselineAndIsRefusedAtRestricted() throws Exception {
        WebApp app = app("nginxish", "root-port-80", 80);
        Pod baseline = render(PodSecurityLevel.Baseline, app);
        try (Started started = PodmanPods.start(baseline)) {
            ProcessRun served = started.get("/", 20);
            assertThat(served.exitCode()).as(served.stderr()).isZero();
            assertThat(served.stdout())
                    .startsWith("200 root-port-80 uid=0 gid=0")
                    .contains("NoNewPrivs=1");
            long effective = Long.parseLong(
                    served.stdout()
                            .replaceAll("(?s).*CapEff=([0-9a-f]+).*", "$1")
                            .trim(),
                    16);
            // containerd's defaults less Baseline's dropped ones: a root web server's, and never NET_RAW or MKNOD.
            assertThat(effective & (1L << CAP_SETUID)).as("SETUID").isNotZero();
            assertThat(effective & (1L << CAP_NET_BIND_SERVICE))
                    .as("NET_BIND_SERVICE")
                    .isNotZero();
            assertThat(effective & (1L << CAP_NET_RAW)).as("NET_RAW").isZero();
            assertThat(effective & (1L << CAP_MKNOD)).as("MKNOD").isZero();
            assertThat(effective & (1L << CAP_SYS_ADMIN)).as("SYS_ADMIN").isZero();
            assertThat(failure(baseline, started.status())).isEmpty();
        }

        Pod restricted = render(PodSecurityLevel.Restricted, app);
        try (Started started = PodmanPods.start(restricted)) {
            assertThat(started.id).as("the kubelet creates no container").isNull();
            ContainerStatus status = started.status();
            assertThat(status.getState().getWaiting().getReason()).isEqualTo("CreateContainerConfigError");
            assertThat(status.getState().getWaiting().getMessage())
                    .startsWith("container has runAsNonRoot and image will run as root");
            Failure failure = failure(restricted, status).orElseThrow();
            assertThat(failure.reason()).isEqualTo(Reason.ImageRunsAsRoot);
            assertThat(failure.message())
                    .contains(restricted.getMetadata().getName(), images.get("root-port-80"))
                    .contains("spec.runAsUser", "spec.podSecurity to Baseline");
        }

        // An explicit runAsUser 0 (admission refuses it at Restricted; the kubelet too, past a bypassed webhook).
        app.getSpec().setRunAsUser(0L);
        Pod asRoot = render(PodSecurityLevel.Restricted, app);
        try (Started started = PodmanPods.start(asRoot)) {
            assertThat(started.id).isNull();
            assertThat(failure(asRoot, started.status()).orElseThrow().reason()).isEqualTo(Reason.ImageRunsAsRoot);
        }
    }

    @Test
    void aCrashingImageReportsItsExitCodeAndLastLine() throws Exception {
        WebApp app = app("crashy", "exits", 8080);
        Pod pod = render(PodSecurityLevel.Restricted, app);
        try (Started started = PodmanPods.start(pod)) {
            assertThat(started.awaitExit(20).exitCode()).isEqualTo(3);
            ContainerStatus status = started.status();
            assertThat(status.getState().getTerminated().getExitCode()).isEqualTo(3);
            assertThat(status.getState().getTerminated().getMessage())
                    .as("FallbackToLogsOnError: the log's last lines")
                    .contains("starting shop on port 8080")
                    .endsWith("fatal: DATABASE_URL is not set\n");
            Failure failure = failure(pod, status).orElseThrow();
            assertThat(failure.reason()).isEqualTo(Reason.ContainerExited);
            assertThat(failure.message())
                    .contains(pod.getMetadata().getName())
                    .contains("exited with code 3")
                    .endsWith("fatal: DATABASE_URL is not set");
        }
    }

    @Test
    void aLeakingImageIsKilledAtItsMemoryLimit() throws Exception {
        WebApp app = app("leaky", "memory-hog", 8080);
        Pod pod = render(PodSecurityLevel.Restricted, app);
        long limit = Quantity.getAmountInBytes(pod.getSpec()
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getLimits()
                        .get("memory"))
                .longValueExact();
        try (Started started = PodmanPods.start(pod)) {
            PodmanPods.Started.State state = started.awaitExit(90);
            assertThat(state.running()).as("still running after 90 s").isFalse();
            String log = started.logs().output();
            assertThat(log)
                    .contains("memory limit " + (limit >> 20) + " MiB")
                    .doesNotContain("no memory limit stopped me");
            assertThat(state.exitCode()).as("SIGKILL: " + log).isEqualTo(137);
            PodmanPods.requireOomEvidence(state);
            ContainerStatus status = started.status();
            assertThat(status.getState().getTerminated().getReason()).isEqualTo("OOMKilled");
            Failure failure = failure(pod, status).orElseThrow();
            assertThat(failure.reason()).isEqualTo(Reason.OutOfMemory);
            assertThat(failure.message()).contains(pod.getMetadata().getName(), "ran out of memory");
        }
    }

    /** The app's pod as the operator renders it (an I1 plan), named as a pod of its Deployment. */
    static Pod render(PodSecurityLevel level, WebApp app) {
        AppServiceEnvironment environment = Fixtures.environment(NAMESPACE, "ase1");
        environment.getSpec().setPodSecurity(level);
        IsolatedPlan plan = Fixtures.plan(NAMESPACE, "web", "ase1", InstanceSize.I1, 1);
        var topology = new EnvironmentTopology(environment, List.of(plan), List.of(app));
        var template = AppWorkloads.deployment(topology, plan, app).getSpec().getTemplate();
        return rename(new PodBuilder()
                .withNewMetadataLike(template.getMetadata())
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withSpec(template.getSpec())
                .build());
    }

    /** A fresh pod name and uid (the podman container's name). */
    static Pod rename(Pod pod) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        pod.getMetadata()
                .setName("appservice-test-"
                        + pod.getSpec().getContainers().get(0).getName() + "-" + suffix);
        pod.getMetadata().setUid(UUID.randomUUID().toString());
        return pod;
    }

    static WebApp app(String name, String image, int port) {
        WebApp app = Fixtures.app(NAMESPACE, name, "web", port);
        app.getSpec().setImage(images.get(image));
        return app;
    }

    /** What the operator reads from a pod whose container is in this state. */
    static Optional<Failure> failure(Pod pod, ContainerStatus container) {
        Pod reported = new PodBuilder(pod)
                .withNewStatus()
                .withPhase(container.getState().getTerminated() != null ? "Failed" : "Running")
                .withContainerStatuses(container)
                .endStatus()
                .build();
        return InstanceFailures.of(reported);
    }
}
