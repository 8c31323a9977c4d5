package dev.appservice.operator.validation;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.AppDensity;
import dev.appservice.operator.model.EnvironmentTopology;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;

/**
 * Capacity already given is kept: a change that would leave a running app or slot without room on
 * its plan is refused, naming the apps it would displace and the limit. What runs is what the
 * plan gives room to ({@link EnvironmentTopology#room}): in the cluster the apps' recorded
 * {@code status.admittedDeployments}, offline the admission order. A newcomer is never refused
 * for room (it waits, {@code PlanCapacityExceeded}); an update that asks for more is.
 */
final class CapacityRules {
    private CapacityRules() {}

    /** An app's update that adds slots past the room its plan has left. */
    static void appGrowth(
            String object,
            WebApp app,
            WebApp previous,
            AppServiceEnvironment environment,
            IsolatedPlan plan,
            List<WebApp> siblings,
            List<Violation> problems) {
        if (previous == null || previous.getSpec() == null || !SpecValidation.acceptable(previous)) {
            return;
        }
        List<WebApp> before = new ArrayList<>(siblings);
        before.add(previous);
        EnvironmentTopology topology = new EnvironmentTopology(environment, List.of(plan), before);
        List<String> given = topology.room(previous)
                .map(EnvironmentTopology.Room::deployments)
                .orElse(List.of());
        if (given.isEmpty()) {
            return; // the app does not run: it waits whatever it asks for, displacing no one
        }
        List<String> asked = EnvironmentTopology.deploymentNames(app);
        int more = (int) asked.stream().filter(d -> !given.contains(d)).count();
        InstanceSize size = topology.workerSize(plan);
        int density = AppDensity.appsPerInstance(size);
        int used = topology.admittedDeployments(plan);
        int free = density - used;
        if (more <= free) {
            return;
        }
        problems.add(Violation.error(
                object,
                "spec.slots",
                more + " more deployment" + (more == 1 ? "" : "s") + " (this app and its slots would be "
                        + asked.size() + ") do not fit IsolatedPlan "
                        + plan.getMetadata().getNamespace() + "/"
                        + plan.getMetadata().getName() + ", which runs at most " + density
                        + " apps and slots on its " + size + " instances (" + used + " running, " + free + " free)"
                        + displacing(topology, plan, environment, plan, withChange(siblings, app), app)
                        + ": scale the plan up to a larger size first, or remove apps or slots"));
    }

    private static List<WebApp> withChange(List<WebApp> siblings, WebApp app) {
        List<WebApp> all = new ArrayList<>(siblings);
        all.add(app);
        return all;
    }

    /** A plan's update that lowers its size below what its running apps and slots take. */
    static void planShrink(
            String object,
            IsolatedPlan plan,
            IsolatedPlan previous,
            AppServiceEnvironment environment,
            List<WebApp> apps,
            List<Violation> problems) {
        if (previous == null || previous.getSpec() == null || !SpecValidation.acceptable(previous)) {
            return;
        }
        EnvironmentTopology before = new EnvironmentTopology(environment, List.of(previous), apps);
        EnvironmentTopology after = new EnvironmentTopology(environment, List.of(plan), List.of());
        if (before.plans().isEmpty() || after.plans().isEmpty()) {
            return;
        }
        int used = before.admittedDeployments(previous);
        InstanceSize size = after.workerSize(plan);
        int density = AppDensity.appsPerInstance(size);
        if (used <= density) {
            return;
        }
        problems.add(Violation.error(
                object,
                "spec.size",
                size + " runs at most " + density + " apps and slots per instance, below the " + used
                        + " its apps and slots run on " + before.workerSize(previous)
                        + displacing(before, previous, environment, plan, apps, null)
                        + ": remove apps or slots first, or keep the size"));
    }

    /**
     * The running apps that would give up their room if the plan's room were handed out afresh
     * for the change (what {@code render} does with the manifests, which carry no status): the
     * apps {@code before} runs that {@code after}, placed by the same {@link EnvironmentTopology}
     * with no room recorded, does not. One decision, so the webhook names the apps {@code render}
     * leaves out. The latest admitted first; {@code changed}, when it would not fit even so, is
     * named last.
     */
    private static String displacing(
            EnvironmentTopology before,
            IsolatedPlan plan,
            AppServiceEnvironment environment,
            IsolatedPlan planAfter,
            List<WebApp> appsAfter,
            WebApp changed) {
        EnvironmentTopology after = new EnvironmentTopology(
                environment,
                List.of(planAfter),
                appsAfter.stream().map(CapacityRules::unrecorded).toList());
        List<String> runsAfter = after.admittedApps(planAfter).stream()
                .map(a -> a.getMetadata().getName())
                .toList();
        List<String> displaced = before.apps(plan).stream()
                .filter(before::isAdmitted)
                .filter(a -> changed == null
                        || !a.getMetadata()
                                .getName()
                                .equals(changed.getMetadata().getName()))
                .sorted(EnvironmentTopology.APP_ADMISSION_ORDER.reversed())
                .map(a -> a.getMetadata().getName())
                .filter(name -> !runsAfter.contains(name))
                .toList();
        boolean itself =
                changed != null && !runsAfter.contains(changed.getMetadata().getName());
        if (displaced.isEmpty() && !itself) {
            return "";
        }
        int shown = Math.min(displaced.size(), DeletionRules.DEPENDENTS_NAMED);
        return (displaced.isEmpty()
                        ? ""
                        : "; it would displace running WebApp" + (displaced.size() == 1 ? " " : "s ")
                                + String.join(", ", displaced.subList(0, shown))
                                + (displaced.size() > shown ? " and " + (displaced.size() - shown) + " more" : ""))
                + (itself ? "; " + NOT_EVEN_ITSELF : "");
    }

    /** Said when the app and its slots are more than its plan runs even with every other app gone. */
    static final String NOT_EVEN_ITSELF =
            "this app and its slots do not fit the plan even alone, so this app would not run either";

    private static final KubernetesSerialization COPIES = new KubernetesSerialization();

    /** The app with no room recorded, as manifests carry it. */
    private static WebApp unrecorded(WebApp app) {
        if (app.getStatus() == null || app.getStatus().getAdmittedDeployments() == null) {
            return app;
        }
        WebApp copy = COPIES.clone(app);
        copy.getStatus().setAdmittedDeployments(null);
        return copy;
    }
}
