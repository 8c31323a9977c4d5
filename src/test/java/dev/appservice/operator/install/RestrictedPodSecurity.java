package dev.appservice.operator.install;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Pod Security Standards "restricted" profile (its baseline and restricted controls, as the
 * Pod Security admission enforces them from Kubernetes 1.25), checked on a pod spec, plus the
 * read-only root file system this project asks of every Linux pod. An empty list means the pod
 * passes.
 *
 * <p>Windows pods ({@code spec.os.name: windows}): the profile's Linux-only controls are skipped
 * for them, as the standard says from 1.25 ("Privilege Escalation", "Seccomp" and "Capabilities"
 * apply where {@code spec.os.name != windows}), and so is the read-only root (the API server
 * refuses {@code readOnlyRootFilesystem} on Windows pods); "Running as Non-root" still applies,
 * and baseline's "HostProcess" forbids {@code windowsOptions.hostProcess: true}.
 */
final class RestrictedPodSecurity {
    private static final Set<String> RESTRICTED_VOLUME_TYPES = Set.of(
            "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret");
    private static final Set<String> SAFE_SYSCTLS = Set.of(
            "kernel.shm_rmid_forced",
            "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start",
            "net.ipv4.tcp_syncookies",
            "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports",
            "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes");
    private static final Set<String> SELINUX_TYPES =
            Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t");

    private RestrictedPodSecurity() {}

    static List<String> violations(PodSpec pod) {
        List<String> problems = new ArrayList<>();
        boolean windows = pod.getOs() != null && "windows".equals(pod.getOs().getName());
        PodSecurityContext podContext =
                Optional.ofNullable(pod.getSecurityContext()).orElseGet(PodSecurityContext::new);
        if (Boolean.TRUE.equals(pod.getHostNetwork())
                || Boolean.TRUE.equals(pod.getHostPID())
                || Boolean.TRUE.equals(pod.getHostIPC())) {
            problems.add("pod: host namespaces (hostNetwork, hostPID, hostIPC) must not be used");
        }
        for (Volume volume : Optional.ofNullable(pod.getVolumes()).orElse(List.of())) {
            String type = volumeType(volume);
            if (!RESTRICTED_VOLUME_TYPES.contains(type)) {
                problems.add("volume " + volume.getName() + ": type " + type + " is not allowed");
            }
        }
        if (podContext.getSysctls() != null) {
            podContext.getSysctls().stream()
                    .filter(s -> !SAFE_SYSCTLS.contains(s.getName()))
                    .forEach(s -> problems.add("pod: sysctl " + s.getName() + " is not in the safe set"));
        }
        if (podContext.getRunAsUser() != null && podContext.getRunAsUser() == 0) {
            problems.add("pod: runAsUser must not be 0");
        }
        if (Boolean.FALSE.equals(podContext.getRunAsNonRoot())) {
            problems.add("pod: runAsNonRoot must not be false");
        }
        if (podContext.getSeLinuxOptions() != null) {
            problems.addAll(seLinux("pod", podContext.getSeLinuxOptions()));
        }
        if (podContext.getWindowsOptions() != null
                && Boolean.TRUE.equals(podContext.getWindowsOptions().getHostProcess())) {
            problems.add("pod: windowsOptions.hostProcess must not be true");
        }
        String podSeccomp = seccompType(podContext.getSeccompProfile());
        if ("Unconfined".equals(podSeccomp)) {
            problems.add("pod: seccompProfile must not be Unconfined");
        }
        List<Container> containers = Stream.of(pod.getInitContainers(), pod.getContainers())
                .filter(l -> l != null)
                .flatMap(List::stream)
                .toList();
        if (containers.isEmpty()) {
            problems.add("pod: no containers");
        }
        for (Container container : containers) {
            String where = "container " + container.getName();
            SecurityContext context =
                    Optional.ofNullable(container.getSecurityContext()).orElseGet(SecurityContext::new);
            if (Boolean.TRUE.equals(context.getPrivileged())) {
                problems.add(where + ": privileged");
            }
            if (context.getWindowsOptions() != null
                    && Boolean.TRUE.equals(context.getWindowsOptions().getHostProcess())) {
                problems.add(where + ": windowsOptions.hostProcess must not be true");
            }
            if (!windows && !Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
                problems.add(where + ": allowPrivilegeEscalation must be false");
            }
            boolean nonRoot = context.getRunAsNonRoot() != null
                    ? context.getRunAsNonRoot()
                    : Boolean.TRUE.equals(podContext.getRunAsNonRoot());
            if (!nonRoot) {
                problems.add(where + ": runAsNonRoot must be true (on the container or the pod)");
            }
            if (context.getRunAsUser() != null && context.getRunAsUser() == 0) {
                problems.add(where + ": runAsUser must not be 0");
            }
            String seccomp =
                    context.getSeccompProfile() != null ? seccompType(context.getSeccompProfile()) : podSeccomp;
            if (!windows && !"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) {
                problems.add(where
                        + ": seccompProfile must be RuntimeDefault or Localhost (on the container or the pod), is "
                        + seccomp);
            }
            Capabilities capabilities =
                    Optional.ofNullable(context.getCapabilities()).orElseGet(Capabilities::new);
            if (!windows
                    && (capabilities.getDrop() == null
                            || !capabilities.getDrop().contains("ALL"))) {
                problems.add(where + ": capabilities must drop ALL");
            }
            if (capabilities.getAdd() != null) {
                capabilities.getAdd().stream()
                        .filter(c -> !c.equals("NET_BIND_SERVICE"))
                        .forEach(c -> problems.add(where + ": capability " + c + " must not be added"));
            }
            if (context.getSeLinuxOptions() != null) {
                problems.addAll(seLinux(where, context.getSeLinuxOptions()));
            }
            if (context.getProcMount() != null && !"Default".equals(context.getProcMount())) {
                problems.add(where + ": procMount must be Default");
            }
            if (container.getPorts() != null
                    && container.getPorts().stream().anyMatch(p -> p.getHostPort() != null && p.getHostPort() != 0)) {
                problems.add(where + ": hostPort must not be used");
            }
            // Beyond the profile: this project's pods have a read-only root file system.
            if (!windows && !Boolean.TRUE.equals(context.getReadOnlyRootFilesystem())) {
                problems.add(where + ": readOnlyRootFilesystem must be true");
            }
        }
        return problems;
    }

    private static List<String> seLinux(String where, io.fabric8.kubernetes.api.model.SELinuxOptions options) {
        List<String> problems = new ArrayList<>();
        if (!SELINUX_TYPES.contains(Optional.ofNullable(options.getType()).orElse(""))) {
            problems.add(where + ": seLinuxOptions.type " + options.getType() + " is not allowed");
        }
        if (options.getUser() != null && !options.getUser().isEmpty()
                || options.getRole() != null && !options.getRole().isEmpty()) {
            problems.add(where + ": seLinuxOptions user and role must not be set");
        }
        return problems;
    }

    private static String seccompType(SeccompProfile profile) {
        return profile == null ? "unset" : profile.getType();
    }

    private static String volumeType(Volume v) {
        if (v.getConfigMap() != null) return "configMap";
        if (v.getCsi() != null) return "csi";
        if (v.getDownwardAPI() != null) return "downwardAPI";
        if (v.getEmptyDir() != null) return "emptyDir";
        if (v.getEphemeral() != null) return "ephemeral";
        if (v.getPersistentVolumeClaim() != null) return "persistentVolumeClaim";
        if (v.getProjected() != null) return "projected";
        if (v.getSecret() != null) return "secret";
        if (v.getHostPath() != null) return "hostPath";
        return "other";
    }
}
