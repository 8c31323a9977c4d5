package dev.appservice.operator.validation;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.AppDensity;
import dev.appservice.operator.model.EnvironmentTopology;
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
                        + displacing(topology, plan, app, more - free)
                        + ": scale the plan up to a larger size first, or remove apps or slots"));
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
                        + displacing(before, previous, null, used - density)
                        + ": remove apps or slots first, or keep the size"));
    }

    /**
     * The running apps that would give up their room for {@code needed} more deployments: the
     * latest admitted first (admission order gives way from its end), never {@code except} itself.
     */
    private static String displacing(EnvironmentTopology topology, IsolatedPlan plan, WebApp except, int needed) {
        List<WebApp> running = new ArrayList<>(topology.apps(plan).stream()
                .filter(topology::isAdmitted)
                .filter(a -> except == null
                        || !a.getMetadata()
                                .getName()
                                .equals(except.getMetadata().getName()))
                .sorted(EnvironmentTopology.APP_ADMISSION_ORDER.reversed())
                .toList());
        List<String> displaced = new ArrayList<>();
        int freed = 0;
        for (WebApp app : running) {
            if (freed >= needed) {
                break;
            }
            freed += topology.room(app).map(r -> r.deployments().size()).orElse(0);
            displaced.add(app.getMetadata().getName());
        }
        if (displaced.isEmpty()) {
            return "";
        }
        int shown = Math.min(displaced.size(), DeletionRules.DEPENDENTS_NAMED);
        return "; it would displace running WebApp" + (displaced.size() == 1 ? " " : "s ")
                + String.join(", ", displaced.subList(0, shown))
                + (displaced.size() > shown ? " and " + (displaced.size() - shown) + " more" : "");
    }
}
