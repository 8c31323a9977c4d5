package dev.appservice.operator.validation;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.OperatingSystem;
import dev.appservice.operator.api.PodSecurityLevel;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * An app's uid against its environment's Pod Security level. The restricted profile of the Pod
 * Security Standards forbids {@code runAsUser: 0} ("Running as Non-root user"); it does not restrict
 * {@code runAsGroup} (neither does baseline), so a gid of 0 is allowed at both levels. An app (or a
 * slot) whose {@code runAsUser} is 0 in an environment at {@code Restricted} is refused: the kubelet
 * would refuse to start its container ("runAsUser breaks non-root policy"). At {@code Baseline} it
 * runs as root. On a Windows plan, see {@link #checkOnWindows}.
 */
final class PodSecurityRules {
    /** The most apps an environment's warning names. */
    static final int NAMED_APPS = 10;

    private PodSecurityRules() {}

    /** Refuses a uid 0 of the app or of one of its slots at the environment's Restricted level. */
    static void checkApp(String object, WebApp app, AppServiceEnvironment environment, List<Violation> problems) {
        if (environment.getSpec().effectivePodSecurity() != PodSecurityLevel.Restricted) {
            return;
        }
        if (isRoot(app.getSpec().getRunAsUser())) {
            problems.add(Violation.error(object, "spec.runAsUser", refusal(environment)));
        }
        List<DeploymentSlot> slots = app.getSpec().effectiveSlots();
        for (int i = 0; i < slots.size(); i++) {
            if (isRoot(slots.get(i).getRunAsUser())) {
                problems.add(Violation.error(object, "spec.slots[" + i + "].runAsUser", refusal(environment)));
            }
        }
    }

    /**
     * An environment moved to Restricted while apps of its plans run as uid 0: a warning naming them
     * (their new instances will not start until each sets another uid).
     */
    static void checkEnvironment(
            String object,
            AppServiceEnvironment environment,
            AppServiceEnvironment previous,
            ClusterView view,
            List<IsolatedPlan> plans,
            List<Violation> problems) {
        if (environment.getSpec().effectivePodSecurity() != PodSecurityLevel.Restricted
                || previous == null
                || previous.getSpec() == null
                || previous.getSpec().effectivePodSecurity() == PodSecurityLevel.Restricted) {
            return;
        }
        String namespace = environment.getMetadata().getNamespace();
        List<String> asRoot = new ArrayList<>();
        for (IsolatedPlan plan : plans) {
            for (WebApp app : view.appsOfPlan(namespace, plan.getMetadata().getName())) {
                if (app.getSpec() != null
                        && (isRoot(app.getSpec().getRunAsUser())
                                || app.getSpec().effectiveSlots().stream().anyMatch(s -> isRoot(s.getRunAsUser())))) {
                    asRoot.add(SpecValidation.describe(app));
                }
            }
        }
        if (!asRoot.isEmpty()) {
            asRoot.sort(null);
            problems.add(Violation.warning(
                    object,
                    "spec.podSecurity",
                    "Restricted forbids runAsUser 0, which " + asRoot.size() + " app" + (asRoot.size() == 1 ? "" : "s")
                            + " set (" + String.join(", ", asRoot.subList(0, Math.min(NAMED_APPS, asRoot.size())))
                            + (asRoot.size() > NAMED_APPS ? ", ..." : "")
                            + "): their new instances will not start (ImageRunsAsRoot) until each sets a non-zero"
                            + " uid"));
        }
    }

    /**
     * An app of a Windows plan: the restricted profile's Linux-only controls do not apply to its
     * pods ({@code spec.os.name: windows}; the operator sets none of their fields there), and what
     * the app (or one of its slots) sets that is Linux-only is refused: {@code runAsUser} and
     * {@code runAsGroup}, uids and gids, which the API server refuses on Windows pods. Slots run on
     * their app's plan, so a slot never has another operating system than its app.
     */
    static void checkOnWindows(String object, WebApp app, IsolatedPlan plan, List<Violation> problems) {
        if (plan.getSpec() == null || plan.getSpec().effectiveOs() != OperatingSystem.Windows) {
            return;
        }
        String why = linuxOnly(plan);
        WebAppSpec spec = app.getSpec();
        if (spec.getRunAsUser() != null) {
            problems.add(Violation.error(object, "spec.runAsUser", why));
        }
        if (spec.getRunAsGroup() != null) {
            problems.add(Violation.error(object, "spec.runAsGroup", why));
        }
        List<DeploymentSlot> slots = spec.effectiveSlots();
        for (int i = 0; i < slots.size(); i++) {
            DeploymentSlot slot = slots.get(i);
            if (slot == null) {
                continue;
            }
            if (slot.getRunAsUser() != null) {
                problems.add(Violation.error(object, "spec.slots[" + i + "].runAsUser", why));
            }
            if (slot.getRunAsGroup() != null) {
                problems.add(Violation.error(object, "spec.slots[" + i + "].runAsGroup", why));
            }
        }
    }

    static String linuxOnly(IsolatedPlan plan) {
        return "is Linux-only (a uid or gid): IsolatedPlan "
                + plan.getMetadata().getNamespace() + "/"
                + plan.getMetadata().getName()
                + " runs Windows, whose pods the API server refuses it on; remove it (Windows apps run as"
                + " ContainerUser at the Restricted level, else as the image's own user)";
    }

    static String refusal(AppServiceEnvironment environment) {
        return "0 (root) is not allowed: AppServiceEnvironment "
                + environment.getMetadata().getNamespace() + "/"
                + environment.getMetadata().getName() + " runs apps at the Restricted Pod Security level, whose"
                + " rule \"Running as Non-root user\" forbids runAsUser 0; set a non-zero uid, leave it unset to run"
                + " as the image's own non-root user, or set the environment's spec.podSecurity to Baseline";
    }

    private static boolean isRoot(Long uid) {
        return uid != null && uid == 0L;
    }
}
