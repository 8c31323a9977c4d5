package dev.appservice.operator.desired;

import dev.appservice.operator.api.PodSecurityLevel;
import dev.appservice.operator.api.WebAppSpec;
import dev.appservice.operator.model.PlatformVariables;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * What the platform gives an app's container beside its image, as App Service does: the image's
 * own user (or {@code spec.runAsUser}/{@code runAsGroup}) at the environment's Pod Security level,
 * any port (ports below 1024 for non-root users through the namespaced, "safe" sysctl
 * {@link #UNPRIVILEGED_PORT_START}), writable {@code /tmp} and {@code HOME}, and the platform
 * variables ({@link PlatformVariables}).
 *
 * <p>Capabilities. {@code Restricted} drops them all (the profile requires it; the sysctl, not
 * {@code NET_BIND_SERVICE}, lets a non-root process bind port 80). {@code Baseline} is for images
 * that run as root (nginx, httpd): those need the container runtime's default capabilities a root
 * process uses to start (CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID to switch to their worker user,
 * KILL, NET_BIND_SERVICE), so none of those is dropped and none is added; the defaults no web
 * server needs are dropped ({@link #BASELINE_DROPPED}: raw sockets, device nodes, chroot, audit
 * writes, file and process capability changes). Privilege escalation is off at both levels.
 */
public final class AppPlatform {
    /** The sysctl that lets a non-root process bind ports below 1024; in Kubernetes' safe set, allowed by restricted. */
    public static final String UNPRIVILEGED_PORT_START = "net.ipv4.ip_unprivileged_port_start";
    /** Every port is unprivileged in the app's network namespace. */
    public static final String EVERY_PORT = "0";

    public static final String TMP_VOLUME = "tmp";
    public static final String TMP_PATH = "/tmp";
    public static final String HOME_VOLUME = "home";
    /**
     * The container's HOME: a directory of its own under {@code /home}, so that nothing the image
     * keeps in {@code /home} (a {@code USER}'s home directory and files) is hidden by the mount.
     */
    public static final String HOME_PATH = "/home/appservice";

    public static final String HOME_VARIABLE = "HOME";
    /** Writable scratch space of each: an instance writing more is evicted. */
    public static final String SCRATCH_SIZE_LIMIT = "1Gi";

    /** The container runtime's default capabilities that Baseline drops all the same. */
    public static final List<String> BASELINE_DROPPED =
            List.of("NET_RAW", "MKNOD", "SYS_CHROOT", "AUDIT_WRITE", "SETFCAP", "SETPCAP");

    public static final String ALL_CAPABILITIES = "ALL";
    public static final String RUNTIME_DEFAULT_SECCOMP = "RuntimeDefault";
    /** A container that fails says why in its termination message: its last log lines unless it wrote one. */
    public static final String TERMINATION_MESSAGE_POLICY = "FallbackToLogsOnError";

    private AppPlatform() {}

    /**
     * The pod's security context: the image's user (a uid only when the spec sets one), non-root at
     * {@code Restricted}, and every port bindable.
     */
    public static PodSecurityContext podSecurity(PodSecurityLevel level, WebAppSpec spec) {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(level == PodSecurityLevel.Restricted ? Boolean.TRUE : null)
                .withRunAsUser(spec.getRunAsUser())
                .withRunAsGroup(spec.getRunAsGroup())
                .withSysctls(new Sysctl(UNPRIVILEGED_PORT_START, EVERY_PORT))
                .withNewSeccompProfile()
                .withType(RUNTIME_DEFAULT_SECCOMP)
                .endSeccompProfile()
                .build();
    }

    /** The app container's security context at the environment's level (see the class comment). */
    public static SecurityContext containerSecurity(PodSecurityLevel level) {
        boolean restricted = level == PodSecurityLevel.Restricted;
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withPrivileged(false)
                .withReadOnlyRootFilesystem(false)
                .withRunAsNonRoot(restricted ? Boolean.TRUE : null)
                .withNewCapabilities()
                .withDrop(restricted ? List.of(ALL_CAPABILITIES) : BASELINE_DROPPED)
                .endCapabilities()
                .withNewSeccompProfile()
                .withType(RUNTIME_DEFAULT_SECCOMP)
                .endSeccompProfile()
                .build();
    }

    /**
     * The platform variables, then {@code HOME} (unless the spec sets it), then the spec's own
     * (which may not redefine a platform variable; any that does anyway, past a bypassed webhook,
     * is left out).
     */
    public static List<EnvVar> env(String siteName, String hostName, int port, List<EnvVar> own) {
        List<EnvVar> env = new ArrayList<>();
        env.add(value(PlatformVariables.SITE_NAME, siteName));
        env.add(value(PlatformVariables.HOSTNAME, hostName));
        env.add(new EnvVarBuilder()
                .withName(PlatformVariables.INSTANCE_ID)
                .withNewValueFrom()
                .withNewFieldRef()
                .withApiVersion("v1")
                .withFieldPath("metadata.name")
                .endFieldRef()
                .endValueFrom()
                .build());
        env.add(value(PlatformVariables.SKU, PlatformVariables.SKU_ISOLATED));
        env.add(value(PlatformVariables.PORT, Integer.toString(port)));
        env.add(value(PlatformVariables.WEBSITES_PORT, Integer.toString(port)));
        List<EnvVar> given = own == null
                ? List.of()
                : own.stream()
                        .filter(e -> !PlatformVariables.reserved(e.getName()))
                        .toList();
        if (given.stream().noneMatch(e -> HOME_VARIABLE.equals(e.getName()))) {
            env.add(value(HOME_VARIABLE, HOME_PATH));
        }
        env.addAll(given);
        return env;
    }

    /** The writable scratch directories: empty directories of the instance. */
    public static List<Volume> volumes() {
        return List.of(scratch(TMP_VOLUME), scratch(HOME_VOLUME));
    }

    public static List<VolumeMount> mounts() {
        return List.of(
                new VolumeMountBuilder()
                        .withName(TMP_VOLUME)
                        .withMountPath(TMP_PATH)
                        .build(),
                new VolumeMountBuilder()
                        .withName(HOME_VOLUME)
                        .withMountPath(HOME_PATH)
                        .build());
    }

    private static Volume scratch(String name) {
        return new VolumeBuilder()
                .withName(name)
                .withNewEmptyDir()
                .withSizeLimit(new Quantity(SCRATCH_SIZE_LIMIT))
                .endEmptyDir()
                .build();
    }

    private static EnvVar value(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }
}
