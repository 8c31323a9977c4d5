package dev.appservice.operator.informer;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.EnvironmentMembership;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Indexes on the informer caches, so that "the plans of this environment" and "the apps of this
 * plan" are lookups, not scans. The SDK's {@code list(namespace)} walks the whole cache: at 1,000
 * plans and 2,000 apps, every reconcile of an environment walked the 2,000 apps once per plan.
 * Add the indexers before the informers start (in {@code prepareEventSources}); look up with
 * {@code byIndex(name, key(namespace, name))}.
 */
public final class CacheIndexes {
    /** Plans by {@code namespace/environmentName}. */
    public static final String PLANS_BY_ENVIRONMENT = "appservice.dev/plans-by-environment";
    /** Apps by {@code namespace/planName}. */
    public static final String APPS_BY_PLAN = "appservice.dev/apps-by-plan";
    /** Environments by {@code spec.virtualNetwork.name} (cluster-wide: a virtual network spans namespaces). */
    public static final String ENVIRONMENTS_BY_VIRTUAL_NETWORK = "appservice.dev/environments-by-virtual-network";
    /**
     * Apps by namespace and bucket of their extra host names ({@code spec.hostNames}): a lookup
     * ({@link #hostNameKey}) gives the apps that may hold a host name, which the caller narrows to
     * those that do ({@link #holdsHostName}). Buckets rather than the names themselves, because every
     * key of an informer's index is a set of its own (about 300 bytes): 500 apps of 64 host names in
     * one namespace were 32,000 of them in each cache that indexes apps (BENCHMARKS.md, "Bounded
     * memory"); in buckets they are at most {@link #HOST_NAME_BUCKETS} per namespace, of about 8
     * apps each at that size, and of one app each in the usual namespace.
     */
    public static final String APPS_BY_HOST_NAME = "appservice.dev/apps-by-host-name";
    /** How many buckets the host names of a namespace are hashed into for {@link #APPS_BY_HOST_NAME}. */
    static final int HOST_NAME_BUCKETS = 4096;
    /** Apps by {@code namespace/spec.tls.secretName}: the apps a Secret serves. */
    public static final String APPS_BY_TLS_SECRET = "appservice.dev/apps-by-tls-secret";

    private CacheIndexes() {}

    /** App pods (of the app and its slots) by namespace and app, as their instance label names it. */
    public static final String PODS_BY_APP = "appservice.dev/pods-by-app";

    /** The key of an app's pods in {@link #PODS_BY_APP}. */
    public static String appPodsKey(String namespace, String app) {
        return key(namespace, ResourceNames.labelValue(app));
    }

    public static Function<Pod, List<String>> podsByApp() {
        return pod -> {
            Map<String, String> labels = pod.getMetadata().getLabels();
            String app = labels == null ? null : labels.get(StandardLabels.INSTANCE);
            return app == null ? List.of() : List.of(key(pod.getMetadata().getNamespace(), app));
        };
    }

    public static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    public static Map<String, Function<IsolatedPlan, List<String>>> plansByEnvironment() {
        return Map.of(
                PLANS_BY_ENVIRONMENT,
                plan -> EnvironmentMembership.environmentOf(plan)
                        .map(environment -> List.of(key(environment)))
                        .orElseGet(List::of));
    }

    public static Function<WebApp, List<String>> appsByPlan() {
        return app -> EnvironmentMembership.planOf(app)
                .map(plan -> List.of(key(plan)))
                .orElseGet(List::of);
    }

    /** The key of a resource in the indexes by {@code namespace/name}. */
    public static String key(ResourceID resource) {
        return key(resource.getNamespace().orElse(null), resource.getName());
    }

    public static Function<WebApp, List<String>> appsByHostName() {
        return app -> app.getSpec() == null
                ? List.of()
                : app.getSpec().effectiveHostNames().stream()
                        .map(host -> hostNameKey(app.getMetadata().getNamespace(), host))
                        .distinct()
                        .toList();
    }

    /** The key of {@link #APPS_BY_HOST_NAME} under which the apps that may hold this host name are. */
    public static String hostNameKey(String namespace, String host) {
        return key(namespace, Integer.toString(Math.floorMod(host.hashCode(), HOST_NAME_BUCKETS)));
    }

    /** Whether the app has this extra host name (what narrows a bucket of {@link #APPS_BY_HOST_NAME}). */
    public static boolean holdsHostName(WebApp app, String host) {
        return app.getSpec() != null && app.getSpec().effectiveHostNames().contains(host);
    }

    /** Whether the two apps have an extra host name in common. */
    public static boolean shareHostName(WebApp app, WebApp other) {
        return app.getSpec() != null
                && other.getSpec() != null
                && app.getSpec().effectiveHostNames().stream().anyMatch(host -> holdsHostName(other, host));
    }

    public static Function<WebApp, List<String>> appsByTlsSecret() {
        return app -> app.getSpec() == null || app.getSpec().tlsSecretName() == null
                ? List.of()
                : List.of(key(app.getMetadata().getNamespace(), app.getSpec().tlsSecretName()));
    }

    /** The virtual network an environment is in: its name, or none when the spec lacks it. */
    public static List<String> virtualNetworkOf(AppServiceEnvironment environment) {
        return environment.getSpec() == null
                        || environment.getSpec().getVirtualNetwork() == null
                        || environment.getSpec().getVirtualNetwork().getName() == null
                ? List.of()
                : List.of(environment.getSpec().getVirtualNetwork().getName());
    }
}
