package dev.appservice.operator.cli;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.desired.AppChildren;
import dev.appservice.operator.desired.EnvironmentChildren;
import dev.appservice.operator.desired.PlanChildren;
import dev.appservice.operator.model.AppDensity;
import dev.appservice.operator.model.EnvironmentMembership;
import dev.appservice.operator.model.EnvironmentTopology;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Every object the operator creates for a set of custom resources, in a stable order: per
 * environment (by namespace, then name) its front-end config, front-end Deployment and Services,
 * then per plan in admission order its placeholder Deployment and, per app it runs (admission
 * order), the app's Deployment and Service. The same builders the
 * reconcilers' dependents call, so {@code render} shows exactly what the operator writes (less the
 * owner references, which need the live objects' UIDs).
 */
public final class DesiredObjects {
    private DesiredObjects() {}

    public static List<HasMetadata> of(
            List<AppServiceEnvironment> environments,
            List<IsolatedPlan> plans,
            List<WebApp> apps,
            OperatorSettings settings,
            Consumer<String> warnings) {
        List<HasMetadata> objects = new ArrayList<>();
        List<AppServiceEnvironment> sorted = environments.stream()
                .sorted(Comparator.comparing(
                                (AppServiceEnvironment e) -> e.getMetadata().getNamespace())
                        .thenComparing(e -> e.getMetadata().getName()))
                .toList();
        // Grouped once, so each environment reads only its own plans and apps: O(objects), not O(environments x
        // objects).
        Map<ResourceID, List<IsolatedPlan>> plansByEnvironment = new HashMap<>();
        plans.forEach(p -> EnvironmentMembership.environmentOf(p)
                .ifPresent(environment -> plansByEnvironment
                        .computeIfAbsent(environment, k -> new ArrayList<>())
                        .add(p)));
        Map<ResourceID, List<WebApp>> appsByPlan = new HashMap<>();
        apps.forEach(a -> EnvironmentMembership.planOf(a)
                .ifPresent(plan ->
                        appsByPlan.computeIfAbsent(plan, k -> new ArrayList<>()).add(a)));
        Map<ResourceID, EnvironmentTopology> topologies = new HashMap<>();
        for (AppServiceEnvironment environment : sorted) {
            List<IsolatedPlan> own = plansByEnvironment.getOrDefault(ResourceID.fromResource(environment), List.of());
            List<WebApp> ownApps = own.stream()
                    .flatMap(p -> appsByPlan.getOrDefault(ResourceID.fromResource(p), List.of()).stream())
                    .toList();
            topologies.put(ResourceID.fromResource(environment), new EnvironmentTopology(environment, own, ownApps));
        }
        // Environments are independent: built on every core, kept in order.
        sorted.parallelStream()
                .map(environment -> ofEnvironment(
                        topologies.get(ResourceID.fromResource(environment)),
                        settings,
                        dev.appservice.operator.network.FixedOutbound.of(sorted, environment)))
                .forEachOrdered(objects::addAll);
        Set<ResourceID> planKeys = new HashSet<>();
        for (IsolatedPlan plan : plans) {
            planKeys.add(ResourceID.fromResource(plan));
            if (EnvironmentMembership.environmentOf(plan)
                    .filter(topologies::containsKey)
                    .isEmpty()) {
                warnings.accept("IsolatedPlan " + plan.getMetadata().getNamespace() + "/"
                        + plan.getMetadata().getName()
                        + ": " + EnvironmentMembership.describeEnvironmentOf(plan)
                        + " is not in the input; no workers rendered (the operator waits for it: EnvironmentNotFound)");
            }
        }
        for (AppServiceEnvironment environment : sorted) {
            EnvironmentTopology topology = topologies.get(ResourceID.fromResource(environment));
            for (IsolatedPlan plan : topology.plans()) {
                List<WebApp> admitted = topology.admittedApps(plan);
                Set<String> running =
                        admitted.stream().map(a -> a.getMetadata().getName()).collect(Collectors.toSet());
                for (WebApp app : topology.apps(plan)) {
                    if (!running.contains(app.getMetadata().getName())) {
                        warnings.accept("WebApp " + app.getMetadata().getNamespace() + "/"
                                + app.getMetadata().getName() + ": IsolatedPlan "
                                + plan.getMetadata().getNamespace() + "/"
                                + plan.getMetadata().getName() + " runs at most "
                                + AppDensity.appsPerInstance(topology.workerSize(plan)) + " apps and slots on its "
                                + topology.workerSize(plan)
                                + " instances; the app is not rendered (the operator reports PlanCapacityExceeded)");
                    }
                }
            }
        }
        for (WebApp app : apps) {
            if (EnvironmentMembership.planOf(app).filter(planKeys::contains).isEmpty()) {
                warnings.accept("WebApp " + app.getMetadata().getNamespace() + "/"
                        + app.getMetadata().getName() + ": IsolatedPlan "
                        + app.getMetadata().getNamespace() + "/" + app.getSpec().getPlanName()
                        + " is not in the input; the app is not rendered");
            }
        }
        return objects;
    }

    private static List<HasMetadata> ofEnvironment(
            EnvironmentTopology topology,
            OperatorSettings settings,
            List<dev.appservice.operator.network.FixedOutbound> fixedOutbound) {
        List<HasMetadata> objects = new ArrayList<>();
        // No cluster, so no Service has an address: the apps' servers answer 503 until one has.
        objects.addAll(
                EnvironmentChildren.offline(topology, settings, fixedOutbound).all());
        for (IsolatedPlan plan : topology.plans()) {
            objects.addAll(PlanChildren.of(plan, java.util.Optional.of(topology), settings)
                    .all());
            for (WebApp app : topology.admittedApps(plan)) {
                objects.addAll(AppChildren.of(topology, plan, app).all());
            }
        }
        return objects;
    }
}
