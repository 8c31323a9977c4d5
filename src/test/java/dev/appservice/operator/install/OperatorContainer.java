package dev.appservice.operator.install;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code podman run} of the operator's image as the chart runs its pod: the chart's user and
 * group, no capabilities, no new privileges, a read-only root with {@code /tmp} in memory, and the
 * chart's memory limit as the JVM sees it. Used by {@code ContainerImageIT} and the start-up
 * benchmark.
 */
public final class OperatorContainer {
    private OperatorContainer() {}

    /** The command, on podman's {@code network} ({@code none}, or {@code host} to reach a server on loopback). */
    public static List<String> runCommand(String network, List<String> options, String image, String... args) {
        PodSecurityContext pod = chartPodSecurity();
        List<String> command = new ArrayList<>(List.of(
                "podman",
                "run",
                "--rm",
                // crun and the default ulimits fail in sandboxes without cgroups; runc works everywhere.
                "--runtime",
                "runc",
                "--ulimit",
                "nofile=1024:1024",
                "--ulimit",
                "nproc=4096:4096",
                "--read-only",
                "--tmpfs",
                "/tmp:size=64m",
                "--user",
                pod.getRunAsUser() + ":" + pod.getRunAsGroup(),
                "--cap-drop",
                "ALL",
                "--security-opt",
                "no-new-privileges",
                "--network",
                network,
                "-e",
                javaToolOptions()));
        command.addAll(options);
        command.add(image);
        command.addAll(List.of(args));
        return command;
    }

    /**
     * What the JVM sees in a pod with the chart's memory limit: its cgroup limit. podman cannot set
     * one where there are no cgroups, so the same figure is given as MaxRAM.
     */
    static String javaToolOptions() {
        return "JAVA_TOOL_OPTIONS=-XX:MaxRAM=" + chartMemoryLimit();
    }

    public static long chartMemoryLimit() {
        Container operator = HelmChart.render()
                .one("Deployment", Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        return Quantity.getAmountInBytes(operator.getResources().getLimits().get("memory"))
                .longValueExact();
    }

    static PodSecurityContext chartPodSecurity() {
        return HelmChart.render()
                .one("Deployment", Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getSecurityContext();
    }
}
