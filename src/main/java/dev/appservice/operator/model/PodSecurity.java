package dev.appservice.operator.model;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/**
 * Security contexts that meet the Pod Security Standards "restricted" profile: non-root, no
 * privilege escalation, every capability dropped, the RuntimeDefault seccomp profile, and a
 * read-only root file system (writable scratch space comes from an emptyDir).
 */
public final class PodSecurity {
    /**
     * The uid (and gid, and fsGroup) of every front-end and worker pod: the uid the unprivileged
     * nginx image ({@code nginxinc/nginx-unprivileged}) runs as. Worker pods share it because front
     * ends and workers are built from one pod template ({@link InstanceDeployment}); the restricted
     * profile needs a non-root uid, and this one suits nginx. So an app's container runs as uid and
     * gid 101 whatever its image's {@code USER} says: its files must be readable by 101, it must
     * listen on a port of 1024 or more (no capabilities), and write only where 101 may, such as
     * {@code /tmp} (its root file system is not read-only, but root-owned directories are not
     * writable by 101). Not configurable; a per-app uid would be a {@code runAsUser} on the app's
     * container (any non-zero uid meets the profile), leaving the pod's uid to nginx. See the
     * README, "Pod security of apps".
     */
    public static final long NGINX_UID = 101L;

    private PodSecurity() {}

    public static PodSecurityContext restrictedPod(long uid) {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(uid)
                .withRunAsGroup(uid)
                .withFsGroup(uid)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build();
    }

    public static SecurityContext restrictedContainer() {
        return restrictedContainer(true);
    }

    /**
     * Restricted, with or without a read-only root file system: the operator's own containers have
     * one; a user's app may need to write where its image expects (the profile does not require it).
     */
    public static SecurityContext restrictedContainer(boolean readOnlyRoot) {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withPrivileged(false)
                .withReadOnlyRootFilesystem(readOnlyRoot)
                .withRunAsNonRoot(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build();
    }
}
