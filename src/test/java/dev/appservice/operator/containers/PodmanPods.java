package dev.appservice.operator.containers;

import dev.appservice.operator.testing.ProcessRun;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs a rendered pod's (single) app container with podman, as the kubelet would run it, and reports
 * its state as the kubelet reports it in the pod's status. What is translated, and nothing else
 * (anything else the container asks for is refused, so that a rendered field this class does not
 * know fails the test instead of being ignored):
 * <ul>
 *   <li>the user and group: the container's {@code runAsUser}/{@code runAsGroup}, else the pod's,
 *       else the image's own {@code USER};
 *   <li>{@code runAsNonRoot}, checked before anything runs exactly as the kubelet checks it
 *       ({@code verifyRunAsNonRoot}): a {@code runAsUser} of 0, an image whose user is root (or
 *       unset), or an image whose user is a name fails the container with
 *       {@code CreateContainerConfigError} and the kubelet's message;
 *   <li>capabilities: containerd's default set, less those dropped ({@code ALL}: every one), plus
 *       those added (podman's own defaults differ from containerd's);
 *   <li>{@code allowPrivilegeEscalation: false} as {@code no-new-privileges}; {@code privileged} and
 *       {@code readOnlyRootFilesystem}; the seccomp profile (RuntimeDefault: podman's default);
 *   <li>the pod's sysctls; each emptyDir mount as a tmpfs of the emptyDir's size limit, mode 1777;
 *   <li>env values, and {@code fieldRef} to the pod's name and namespace;
 *   <li>the memory and CPU limits; command and args;
 *   <li>the termination message: with {@code FallbackToLogsOnError}, a container that fails gets its
 *       log's last 80 lines (at most 2048 bytes), as the kubelet gives it.
 * </ul>
 * The container has no network but its loopback: a client in it ({@code podman exec}) reaches the
 * app's port as a probe of the kubelet or a front end would. Probes and restarts are not run: the
 * state reported is the kubelet's right after the container started, exited, or was refused.
 */
final class PodmanPods {
    /** containerd's (and the CRI's) default capabilities of a container. */
    static final List<String> CONTAINERD_DEFAULT_CAPABILITIES = List.of(
            "CHOWN",
            "DAC_OVERRIDE",
            "FSETID",
            "FOWNER",
            "MKNOD",
            "NET_RAW",
            "SETGID",
            "SETUID",
            "SETFCAP",
            "SETPCAP",
            "NET_BIND_SERVICE",
            "SYS_CHROOT",
            "KILL",
            "AUDIT_WRITE");
    /** The kubelet's bounds on a termination message read from the log. */
    static final int LOG_MESSAGE_LINES = 80;

    static final int LOG_MESSAGE_BYTES = 2048;

    private PodmanPods() {}

    /** A pod's app container, started or refused; {@link #close()} removes it. */
    static final class Started implements AutoCloseable {
        final Pod pod;
        final Container container;
        /** The podman container's id; null when the kubelet's checks refused to create it. */
        final String id;
        /** The kubelet's CreateContainerConfigError message, when it refused. */
        final String refusal;

        Started(Pod pod, Container container, String id, String refusal) {
            this.pod = pod;
            this.container = container;
            this.id = id;
            this.refusal = refusal;
        }

        /** The container's state as the kubelet reports it, once it has exited or serves. */
        ContainerStatus status() throws Exception {
            ContainerStatusBuilder status = new ContainerStatusBuilder()
                    .withName(container.getName())
                    .withImage(container.getImage())
                    .withRestartCount(0);
            if (refusal != null) {
                return status.withReady(false)
                        .withStarted(false)
                        .withNewState()
                        .withNewWaiting()
                        .withReason("CreateContainerConfigError")
                        .withMessage(refusal)
                        .endWaiting()
                        .endState()
                        .build();
            }
            State state = state();
            if (state.running()) {
                return status.withReady(true)
                        .withStarted(true)
                        .withNewState()
                        .withNewRunning()
                        .endRunning()
                        .endState()
                        .build();
            }
            String message =
                    state.exitCode() != 0 && "FallbackToLogsOnError".equals(container.getTerminationMessagePolicy())
                            ? lastLogLines()
                            : null;
            return status.withReady(false)
                    .withStarted(false)
                    .withNewState()
                    .withNewTerminated()
                    .withExitCode(state.exitCode())
                    .withReason(state.oomKilled() ? "OOMKilled" : state.exitCode() == 0 ? "Completed" : "Error")
                    .withMessage(message)
                    .endTerminated()
                    .endState()
                    .build();
        }

        record State(boolean running, int exitCode, boolean oomKilled) {}

        /**
         * podman's state of the container. OOMKilled is podman's flag or, where conmon cannot see
         * the cgroup's OOM events (cgroup v1 nested in a sandbox's cgroup), the kernel's log naming
         * the container's memory cgroup in an OOM kill.
         */
        State state() throws Exception {
            ProcessRun inspect = ProcessRun.of(
                    List.of(
                            "podman",
                            "inspect",
                            "--format",
                            "{{.State.Running}} {{.State.ExitCode}} {{.State.OOMKilled}}",
                            id),
                    60);
            if (inspect.exitCode() != 0) {
                throw new AssertionError("podman inspect " + id + ": " + inspect.stderr());
            }
            String[] fields = inspect.stdout().trim().split(" ");
            boolean running = Boolean.parseBoolean(fields[0]);
            boolean oom = Boolean.parseBoolean(fields[2]) || (!running && kernelLoggedOomKill(id));
            return new State(running, Integer.parseInt(fields[1]), oom);
        }

        /** Waits until the container has exited, at most {@code seconds}. */
        State awaitExit(int seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            State state = state();
            while (state.running() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                state = state();
            }
            return state;
        }

        /**
         * A GET of {@code path} on the app's port from inside the pod (its network namespace), by
         * the image's own client ({@code /app probe URL}), retried while the app starts, at most
         * {@code seconds}: the status and body, or what the last attempt said.
         */
        ProcessRun get(String path, int seconds) throws Exception {
            int port = container.getPorts().get(0).getContainerPort();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            ProcessRun last;
            do {
                if (!state().running()) {
                    return new ProcessRun(-1, "", "the container is not running: " + logs().output());
                }
                last = ProcessRun.of(
                        List.of("podman", "exec", id, "/app", "probe", "http://127.0.0.1:" + port + path), 60);
                if (last.exitCode() == 0) {
                    return last;
                }
                Thread.sleep(200);
            } while (System.nanoTime() < deadline);
            return last;
        }

        ProcessRun logs() throws Exception {
            return ProcessRun.of(List.of("podman", "logs", id), 60);
        }

        /** The kubelet's FallbackToLogsOnError message: the log's last 80 lines, at most its last 2048 bytes. */
        String lastLogLines() throws Exception {
            ProcessRun logs =
                    ProcessRun.of(List.of("podman", "logs", "--tail", Integer.toString(LOG_MESSAGE_LINES), id), 60);
            String text = logs.stdout() + logs.stderr();
            byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return bytes.length <= LOG_MESSAGE_BYTES
                    ? text
                    : new String(
                            bytes,
                            bytes.length - LOG_MESSAGE_BYTES,
                            LOG_MESSAGE_BYTES,
                            java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws Exception {
            if (id != null) {
                ProcessRun.of(List.of("podman", "rm", "--force", "--time", "0", id), 60);
            }
        }
    }

    /** Runs the pod's container as the kubelet would (see the class comment). */
    static Started start(Pod pod) throws Exception {
        List<Container> containers = pod.getSpec().getContainers();
        if (containers.size() != 1
                || pod.getSpec().getInitContainers() != null
                        && !pod.getSpec().getInitContainers().isEmpty()) {
            throw new IllegalArgumentException("one app container, no init containers: " + containers);
        }
        Container container = containers.get(0);
        PodSecurityContext podSecurity =
                Objects.requireNonNullElseGet(pod.getSpec().getSecurityContext(), PodSecurityContext::new);
        SecurityContext security = Objects.requireNonNullElseGet(container.getSecurityContext(), SecurityContext::new);
        Long runAsUser = first(security.getRunAsUser(), podSecurity.getRunAsUser());
        Long runAsGroup = first(security.getRunAsGroup(), podSecurity.getRunAsGroup());
        boolean runAsNonRoot = Boolean.TRUE.equals(first(security.getRunAsNonRoot(), podSecurity.getRunAsNonRoot()));
        String imageUser = imageUser(container.getImage());

        if (runAsNonRoot) {
            String refusal = verifyRunAsNonRoot(pod, container, runAsUser, imageUser);
            if (refusal != null) {
                return new Started(pod, container, null, refusal);
            }
        }

        List<String> command = new ArrayList<>(List.of(
                "podman",
                "run",
                "--detach",
                "--name",
                pod.getMetadata().getName(),
                "--runtime",
                "runc",
                "--ulimit",
                "nofile=1024:1024",
                "--ulimit",
                "nproc=4096:4096",
                "--network",
                "none",
                "--pull",
                "never"));
        if (runAsUser != null || runAsGroup != null) {
            String user = runAsUser != null
                    ? runAsUser.toString()
                    : imageUser.isEmpty() ? "0" : imageUser.split(":")[0];
            command.addAll(List.of("--user", runAsGroup == null ? user : user + ":" + runAsGroup));
        }
        if (Boolean.TRUE.equals(security.getPrivileged())) {
            command.add("--privileged");
        }
        command.addAll(List.of("--cap-drop", "ALL"));
        for (String capability : capabilities(security.getCapabilities())) {
            command.addAll(List.of("--cap-add", capability));
        }
        if (Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())) {
            command.addAll(List.of("--security-opt", "no-new-privileges"));
        }
        if (Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())) {
            command.add("--read-only");
        }
        var seccomp = first(security.getSeccompProfile(), podSecurity.getSeccompProfile());
        if (seccomp != null && !"RuntimeDefault".equals(seccomp.getType())) {
            if (!"Unconfined".equals(seccomp.getType())) {
                throw new IllegalArgumentException("seccomp profile " + seccomp.getType() + " is not translated");
            }
            command.addAll(List.of("--security-opt", "seccomp=unconfined"));
        }
        for (Sysctl sysctl : list(podSecurity.getSysctls())) {
            command.addAll(List.of("--sysctl", sysctl.getName() + "=" + sysctl.getValue()));
        }
        for (VolumeMount mount : list(container.getVolumeMounts())) {
            Volume volume = list(pod.getSpec().getVolumes()).stream()
                    .filter(v -> v.getName().equals(mount.getName()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no volume " + mount.getName()));
            if (volume.getEmptyDir() == null) {
                throw new IllegalArgumentException("only emptyDir volumes are translated: " + volume);
            }
            String options = "rw,exec,mode=1777"
                    + (volume.getEmptyDir().getSizeLimit() == null
                            ? ""
                            : ",size="
                                    + Quantity.getAmountInBytes(
                                                    volume.getEmptyDir().getSizeLimit())
                                            .toBigInteger());
            command.addAll(List.of("--tmpfs", mount.getMountPath() + ":" + options));
        }
        for (EnvVar env : list(container.getEnv())) {
            command.addAll(List.of("--env", env.getName() + "=" + value(pod, env)));
        }
        if (container.getResources() != null && container.getResources().getLimits() != null) {
            Quantity memory = container.getResources().getLimits().get("memory");
            if (memory != null) {
                command.addAll(List.of(
                        "--memory",
                        Quantity.getAmountInBytes(memory).toBigInteger().toString()));
            }
            Quantity cpu = container.getResources().getLimits().get("cpu");
            if (cpu != null) {
                command.addAll(List.of("--cpus", Quantity.getAmountInBytes(cpu).toPlainString()));
            }
        }
        if (container.getCommand() != null && !container.getCommand().isEmpty()) {
            command.addAll(List.of("--entrypoint", toJson(container.getCommand())));
        }
        command.add(container.getImage());
        command.addAll(list(container.getArgs()));
        ProcessRun created = ProcessRun.of(command, 120);
        if (created.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + ": " + created.stderr());
        }
        return new Started(pod, container, created.stdout().trim(), null);
    }

    /** The kubelet's verifyRunAsNonRoot: its error message, or null when the container may run. */
    static String verifyRunAsNonRoot(Pod pod, Container container, Long runAsUser, String imageUser) {
        String which = "(pod: \"" + pod.getMetadata().getName() + "_"
                + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid() + ")\", container: "
                + container.getName() + ")";
        if (runAsUser != null) {
            return runAsUser == 0 ? "container's runAsUser breaks non-root policy " + which : null;
        }
        String user = imageUser.split(":")[0];
        if (user.isEmpty() || user.equals("0")) {
            return "container has runAsNonRoot and image will run as root " + which;
        }
        if (!user.chars().allMatch(Character::isDigit)) {
            return "container has runAsNonRoot and image has non-numeric user (" + user
                    + "), cannot verify user is non-root " + which;
        }
        return null;
    }

    /** The capabilities the container runs with: containerd's defaults, less those dropped, plus those added. */
    static Set<String> capabilities(Capabilities capabilities) {
        Set<String> result = new LinkedHashSet<>(CONTAINERD_DEFAULT_CAPABILITIES);
        if (capabilities == null) {
            return result;
        }
        for (String dropped : list(capabilities.getDrop())) {
            if ("ALL".equals(dropped)) {
                result.clear();
            } else {
                result.remove(dropped);
            }
        }
        result.addAll(list(capabilities.getAdd()));
        return result;
    }

    /** The image's USER, as the runtime reads it ("" when it has none: root). */
    static String imageUser(String image) throws Exception {
        ProcessRun inspect =
                ProcessRun.of(List.of("podman", "image", "inspect", "--format", "{{.Config.User}}", image), 60);
        if (inspect.exitCode() != 0) {
            throw new AssertionError("podman image inspect " + image + ": " + inspect.stderr());
        }
        return inspect.stdout().trim();
    }

    /** Whether the kernel's log names the container's memory cgroup in an OOM kill (false when it cannot be read). */
    static boolean kernelLoggedOomKill(String id) throws Exception {
        ProcessRun dmesg;
        try {
            dmesg = ProcessRun.of(List.of("dmesg"), 30);
        } catch (IOException noDmesg) {
            return false;
        }
        return dmesg.stdout()
                .lines()
                .anyMatch(l -> l.contains("oom-kill:") && l.contains("oom_memcg=") && l.contains(id));
    }

    /**
     * A container SIGKILLed at its memory limit is known to be OOM-killed (podman's flag or the
     * kernel's log); where neither can tell, the test is skipped saying so (failed in CI).
     */
    static void requireOomEvidence(Started.State state) throws Exception {
        if (state.oomKilled()) {
            return;
        }
        String why = "podman did not flag the kill as OOMKilled and the kernel's log cannot be read here"
                + " (dmesg), although the container was SIGKILLed (exit " + state.exitCode() + ") at its limit";
        org.assertj.core.api.Assertions.assertThat(kernelLogReadable()).as(why).isFalse();
        org.assertj.core.api.Assertions.assertThat("true".equals(System.getenv("CI")))
                .as(why)
                .isFalse();
        org.junit.jupiter.api.Assumptions.abort(why);
    }

    /** Whether the kernel's log can be read here (it is the OOM evidence where podman's flag is not set). */
    static boolean kernelLogReadable() throws Exception {
        try {
            return ProcessRun.of(List.of("dmesg"), 30).exitCode() == 0;
        } catch (IOException noDmesg) {
            return false;
        }
    }

    private static String value(Pod pod, EnvVar env) {
        if (env.getValueFrom() == null) {
            return env.getValue() == null ? "" : env.getValue();
        }
        if (env.getValueFrom().getFieldRef() == null) {
            throw new IllegalArgumentException("only fieldRef is translated: " + env);
        }
        return switch (env.getValueFrom().getFieldRef().getFieldPath()) {
            case "metadata.name" -> pod.getMetadata().getName();
            case "metadata.namespace" -> pod.getMetadata().getNamespace();
            default -> throw new IllegalArgumentException("fieldRef not translated: " + env);
        };
    }

    private static String toJson(List<String> strings) {
        StringBuilder json = new StringBuilder("[");
        for (String s : strings) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"')
                    .append(s.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return json.append(']').toString();
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static <T> List<T> list(List<T> items) {
        return items == null ? List.of() : items;
    }
}
