package dev.appservice.operator.validation;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.informer.CacheIndexes;
import dev.appservice.operator.model.EnvironmentMembership;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What the cross-object admission rules read: the environments, plans and apps that exist. In the
 * webhook it is the informer caches; in {@code validate} it is the manifests being checked.
 */
public interface ClusterView {

    Optional<AppServiceEnvironment> environment(String namespace, String name);

    /** The plans of one namespace. */
    List<IsolatedPlan> plans(String namespace);

    Optional<IsolatedPlan> plan(String namespace, String name);

    /** The web apps of one namespace. */
    List<WebApp> apps(String namespace);

    /** The environments of one virtual network ({@code spec.virtualNetwork.name}), in every namespace. */
    List<AppServiceEnvironment> environmentsInVirtualNetwork(String virtualNetwork);

    /**
     * Every environment, in every namespace: the other environments' fixed outbound addresses
     * and VIPs, which an NSG's inbound rules may name. A view that cannot list them returns none.
     */
    default List<AppServiceEnvironment> environments() {
        return List.of();
    }

    /** One web app by name. A view may index them; this one reads the namespace's apps. */
    default Optional<WebApp> app(String namespace, String name) {
        return apps(namespace).stream()
                .filter(a -> name.equals(a.getMetadata().getName()))
                .findFirst();
    }

    /** The web apps of one plan. A view may index them; this one reads the namespace's apps. */
    default List<WebApp> appsOfPlan(String namespace, String planName) {
        return apps(namespace).stream()
                .filter(a -> a.getSpec() != null && planName.equals(a.getSpec().getPlanName()))
                .toList();
    }

    /**
     * The web apps of an environment that list {@code host} among their extra host names
     * ({@code spec.hostNames}). A view may index them; this one reads the namespace's apps.
     */
    default List<WebApp> appsWithHostName(String namespace, String environmentName, String host) {
        return apps(namespace).stream()
                .filter(a ->
                        a.getSpec() != null && a.getSpec().effectiveHostNames().contains(host))
                .filter(a -> inEnvironment(a, environmentName))
                .toList();
    }

    /** Whether the app's plan is one of the environment's (in the app's namespace). */
    default boolean inEnvironment(WebApp app, String environmentName) {
        return EnvironmentMembership.environmentOf(app, this::plan)
                .filter(new ResourceID(environmentName, app.getMetadata().getNamespace())::equals)
                .isPresent();
    }

    /** A plan by its identity ({@link EnvironmentMembership#planOf}). */
    default Optional<IsolatedPlan> plan(ResourceID plan) {
        return plan(plan.getNamespace().orElse(null), plan.getName());
    }

    /** The environment the plan belongs to ({@link EnvironmentMembership#environmentOf}), if it exists. */
    default Optional<AppServiceEnvironment> environmentOf(IsolatedPlan plan) {
        return EnvironmentMembership.environmentOf(plan)
                .flatMap(environment -> environment(environment.getNamespace().orElse(null), environment.getName()));
    }

    /** The plans of one namespace that belong to the environment. */
    default List<IsolatedPlan> plansOf(AppServiceEnvironment environment) {
        return plans(environment.getMetadata().getNamespace()).stream()
                .filter(p -> EnvironmentMembership.belongsTo(p, environment))
                .toList();
    }

    /**
     * Whether cert-manager's Certificate API is served: empty when it cannot be known (offline,
     * as {@code validate} runs, or the API server did not answer), and then nothing is refused for it.
     */
    default Optional<Boolean> certManagerInstalled() {
        return Optional.empty();
    }

    /** A view over a fixed set of objects (the manifests given to {@code validate}). */
    static ClusterView of(
            Collection<AppServiceEnvironment> environments, Collection<IsolatedPlan> plans, Collection<WebApp> apps) {
        return new ClusterView() {
            @Override
            public Optional<AppServiceEnvironment> environment(String namespace, String name) {
                return environments.stream()
                        .filter(e -> namespace.equals(e.getMetadata().getNamespace())
                                && name.equals(e.getMetadata().getName()))
                        .findFirst();
            }

            @Override
            public List<IsolatedPlan> plans(String namespace) {
                return plans.stream()
                        .filter(p -> namespace.equals(p.getMetadata().getNamespace()))
                        .toList();
            }

            @Override
            public Optional<IsolatedPlan> plan(String namespace, String name) {
                return plans(namespace).stream()
                        .filter(p -> name.equals(p.getMetadata().getName()))
                        .findFirst();
            }

            @Override
            public List<WebApp> apps(String namespace) {
                return apps.stream()
                        .filter(a -> namespace.equals(a.getMetadata().getNamespace()))
                        .toList();
            }

            @Override
            public List<AppServiceEnvironment> environments() {
                return List.copyOf(environments);
            }

            @Override
            public List<AppServiceEnvironment> environmentsInVirtualNetwork(String virtualNetwork) {
                return environments.stream()
                        .filter(e -> CacheIndexes.virtualNetworkOf(e).contains(virtualNetwork))
                        .toList();
            }
        };
    }
}
