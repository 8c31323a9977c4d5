package dev.appservice.operator.cli;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.informer.CacheIndexes;
import dev.appservice.operator.model.EnvironmentMembership;
import dev.appservice.operator.validation.ClusterView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The objects {@code validate} has admitted so far, indexed as the webhook's informer caches are:
 * by namespace, by plan, by host name. Each admission reads only the objects it concerns, so
 * checking a set of n manifests costs O(n), not O(n²).
 */
final class AdmittedSet implements ClusterView {
    private final Map<String, AppServiceEnvironment> environments = new HashMap<>();
    private final Map<String, List<AppServiceEnvironment>> environmentsByNetwork = new HashMap<>();
    private final Map<String, List<IsolatedPlan>> plansByNamespace = new HashMap<>();
    private final Map<String, IsolatedPlan> plans = new HashMap<>();
    private final Map<String, List<WebApp>> appsByNamespace = new HashMap<>();
    private final Map<String, WebApp> apps = new HashMap<>();
    private final Map<String, List<WebApp>> appsByPlan = new HashMap<>();
    private final Map<String, List<WebApp>> appsByHostName = new HashMap<>();

    void add(Object resource) {
        if (resource instanceof AppServiceEnvironment environment) {
            environments.put(
                    key(
                            environment.getMetadata().getNamespace(),
                            environment.getMetadata().getName()),
                    environment);
            for (String network : CacheIndexes.virtualNetworkOf(environment)) {
                environmentsByNetwork
                        .computeIfAbsent(network, n -> new ArrayList<>())
                        .add(environment);
            }
        } else if (resource instanceof IsolatedPlan plan) {
            plansByNamespace
                    .computeIfAbsent(plan.getMetadata().getNamespace(), n -> new ArrayList<>())
                    .add(plan);
            plans.put(key(plan.getMetadata().getNamespace(), plan.getMetadata().getName()), plan);
        } else if (resource instanceof WebApp app) {
            String namespace = app.getMetadata().getNamespace();
            appsByNamespace.computeIfAbsent(namespace, n -> new ArrayList<>()).add(app);
            apps.put(key(namespace, app.getMetadata().getName()), app);
            EnvironmentMembership.planOf(app)
                    .ifPresent(plan -> appsByPlan
                            .computeIfAbsent(CacheIndexes.key(plan), n -> new ArrayList<>())
                            .add(app));
            EnvironmentMembership.environmentOf(app, this::plan).ifPresent(environment -> {
                for (String host : app.getSpec().effectiveHostNames()) {
                    appsByHostName
                            .computeIfAbsent(CacheIndexes.key(environment) + "/" + host, h -> new ArrayList<>())
                            .add(app);
                }
            });
        }
    }

    @Override
    public Optional<AppServiceEnvironment> environment(String namespace, String name) {
        return Optional.ofNullable(environments.get(key(namespace, name)));
    }

    @Override
    public List<IsolatedPlan> plans(String namespace) {
        return plansByNamespace.getOrDefault(namespace, List.of());
    }

    @Override
    public Optional<IsolatedPlan> plan(String namespace, String name) {
        return Optional.ofNullable(plans.get(key(namespace, name)));
    }

    @Override
    public List<WebApp> apps(String namespace) {
        return appsByNamespace.getOrDefault(namespace, List.of());
    }

    @Override
    public Optional<WebApp> app(String namespace, String name) {
        return Optional.ofNullable(apps.get(key(namespace, name)));
    }

    @Override
    public List<WebApp> appsOfPlan(String namespace, String planName) {
        return appsByPlan.getOrDefault(key(namespace, planName), List.of());
    }

    @Override
    public List<WebApp> appsWithHostName(String namespace, String environmentName, String host) {
        return appsByHostName.getOrDefault(key(namespace, environmentName) + "/" + host, List.of());
    }

    @Override
    public List<AppServiceEnvironment> environmentsInVirtualNetwork(String virtualNetwork) {
        return environmentsByNetwork.getOrDefault(virtualNetwork, List.of());
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
