package dev.appservice.operator.desired;

import dev.appservice.operator.api.OperatingSystem;
import dev.appservice.operator.api.PodSecurityLevel;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodOS;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.WindowsSecurityContextOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What makes a pod of a Windows plan ({@code spec.os: Windows}) a Windows pod: placed on Windows
 * nodes only ({@code kubernetes.io/os: windows}, tolerating the usual {@code os=windows:NoSchedule}
 * taint), {@code spec.os.name: windows}, and security contexts without the Linux-only fields.
 *
 * <p>With {@code os.name: windows} the API server refuses, on the pod, {@code seLinuxOptions},
 * {@code seccompProfile}, {@code appArmorProfile}, {@code runAsUser}, {@code runAsGroup},
 * {@code fsGroup}, {@code fsGroupChangePolicy}, {@code sysctls}, {@code supplementalGroupsPolicy}
 * and, on containers, those and {@code capabilities}, {@code readOnlyRootFilesystem},
 * {@code privileged}, {@code allowPrivilegeEscalation}, {@code procMount}
 * (pkg/apis/core/validation, validateWindows). The Pod Security Standards' restricted profile
 * skips its Linux-only controls for such pods (privilege escalation, seccomp, capabilities) and
 * still asks {@code runAsNonRoot: true}, which Windows enforces on the user name: here
 * {@code ContainerUser}, the unprivileged account of Windows base images, at Restricted; at
 * Baseline the image's own user.
 */
public final class WindowsPods {
    public static final String OS_LABEL = "kubernetes.io/os";
    /** The taint Windows node pools usually carry, so that Linux pods stay off them. */
    public static final String TAINT_KEY = "os";

    public static final String TAINT_EFFECT = "NoSchedule";
    /** The unprivileged account of Windows container base images. */
    public static final String CONTAINER_USER = "ContainerUser";
    /**
     * The placeholder's image on Windows instances: the Kubernetes pause image is a manifest list
     * with Windows images beside the Linux ones (Windows Server 2019 and 2022 since Kubernetes'
     * pull requests 75618 and 104438; 3.10.2 adds 2025), so it runs on either; it listens on no
     * port, so the Windows placeholder has no probes.
     */
    public static final String PLACEHOLDER_IMAGE = "registry.k8s.io/pause:3.10";

    private WindowsPods() {}

    /** Places the pod on Windows nodes as a Windows pod. */
    public static void place(PodSpec pod) {
        Map<String, String> selector =
                pod.getNodeSelector() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(pod.getNodeSelector());
        selector.put(OS_LABEL, OperatingSystem.Windows.podOsName());
        pod.setNodeSelector(selector);
        List<Toleration> tolerations =
                pod.getTolerations() == null ? new ArrayList<>() : new ArrayList<>(pod.getTolerations());
        tolerations.add(new Toleration(TAINT_EFFECT, TAINT_KEY, "Equal", null, OperatingSystem.Windows.podOsName()));
        pod.setTolerations(tolerations);
        pod.setOs(new PodOS(OperatingSystem.Windows.podOsName()));
    }

    /** The pod's security context: non-root as {@code ContainerUser} at Restricted; the image's user at Baseline. */
    public static PodSecurityContext podSecurity(PodSecurityLevel level) {
        PodSecurityContext context = new PodSecurityContext();
        if (level == PodSecurityLevel.Restricted) {
            context.setRunAsNonRoot(true);
            context.setWindowsOptions(containerUser());
        }
        return context;
    }

    /** A container's security context: nothing but non-root at Restricted (the pod names the user). */
    public static SecurityContext containerSecurity(PodSecurityLevel level) {
        SecurityContext context = new SecurityContext();
        if (level == PodSecurityLevel.Restricted) {
            context.setRunAsNonRoot(true);
        }
        return context;
    }

    /** Makes a pod spec built for Linux a Windows pod at the given level: placement and security contexts. */
    public static void convert(PodSpec pod, PodSecurityLevel level) {
        place(pod);
        pod.setSecurityContext(podSecurity(level));
        for (Container container : pod.getContainers()) {
            container.setSecurityContext(containerSecurity(level));
        }
    }

    private static WindowsSecurityContextOptions containerUser() {
        WindowsSecurityContextOptions options = new WindowsSecurityContextOptions();
        options.setRunAsUserName(CONTAINER_USER);
        return options;
    }
}
