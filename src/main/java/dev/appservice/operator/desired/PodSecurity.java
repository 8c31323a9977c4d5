package dev.appservice.operator.desired;

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
     * The uid (and gid, and fsGroup) of front-end and capacity-placeholder pods: the uid the
     * unprivileged nginx image ({@code nginxinc/nginx-unprivileged}) runs as. App pods replace the
     * pod's security context with their own ({@code desired/AppPlatform}): the image's own user, or
     * the WebApp's {@code runAsUser}. See the README, "Pod security of apps".
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
