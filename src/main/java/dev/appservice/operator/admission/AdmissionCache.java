package dev.appservice.operator.admission;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.informer.CacheIndexes;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.validation.ClusterView;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The cluster as the webhook sees it: informer caches of environments, plans and apps, so a review
 * is answered from memory, without an API call. It watches what the controllers watch: every
 * namespace, or only the namespaces the controllers watch (the chart's watchNamespaces), so it needs
 * no permission beyond the controllers'.
 */
@ApplicationScoped
public class AdmissionCache implements ClusterView {
    @Inject
    KubernetesClient client;

    @Inject
    Operator operator;

    /** Subnets must not overlap within a virtual network: the environments of one are a lookup. */
    private static final Map<String, Function<AppServiceEnvironment, List<String>>> VIRTUAL_NETWORK_INDEX =
            Map.of(CacheIndexes.ENVIRONMENTS_BY_VIRTUAL_NETWORK, CacheIndexes::virtualNetworkOf);

    private final List<SharedIndexInformer<AppServiceEnvironment>> environments = new ArrayList<>();
    private final List<SharedIndexInformer<IsolatedPlan>> plans = new ArrayList<>();

    private static final Map<String, Function<WebApp, List<String>>> APP_INDEXES = Map.of(
            CacheIndexes.APPS_BY_PLAN,
            CacheIndexes.appsByPlan(),
            CacheIndexes.APPS_BY_HOST_NAME,
            CacheIndexes.appsByHostName());
    private final List<SharedIndexInformer<WebApp>> apps = new ArrayList<>();
    /** How long an answer about cert-manager's presence is used before it is asked again. */
    static final java.time.Duration CERT_MANAGER_FRESHNESS = java.time.Duration.ofSeconds(5);

    private final java.util.concurrent.atomic.AtomicReference<Optional<Boolean>> certManagerPresence =
            new java.util.concurrent.atomic.AtomicReference<>(Optional.empty());
    private final java.util.concurrent.atomic.AtomicLong certManagerAskedAt =
            new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - 2 * CERT_MANAGER_FRESHNESS.toNanos());
    private final java.util.concurrent.atomic.AtomicBoolean certManagerRefreshing =
            new java.util.concurrent.atomic.AtomicBoolean();

    void start(@Observes StartupEvent event) {
        // What the controllers watch (the chart's watchNamespaces end up there).
        Set<String> watched = new java.util.TreeSet<>();
        boolean all = false;
        for (RegisteredController<?> controller : operator.getRegisteredControllers()) {
            var informer = controller.getConfiguration().getInformerConfig();
            if (informer.watchAllNamespaces()) {
                all = true;
            } else if (informer.watchCurrentNamespace()) {
                watched.add(client.getNamespace());
            } else {
                watched.addAll(informer.getNamespaces());
            }
        }
        if (all || watched.isEmpty()) {
            environments.add(
                    inform(client.resources(AppServiceEnvironment.class).inAnyNamespace(), VIRTUAL_NETWORK_INDEX));
            plans.add(inform(client.resources(IsolatedPlan.class).inAnyNamespace(), Map.of()));
            apps.add(inform(client.resources(WebApp.class).inAnyNamespace(), APP_INDEXES));
        } else {
            for (String namespace : watched) {
                environments.add(inform(
                        client.resources(AppServiceEnvironment.class).inNamespace(namespace), VIRTUAL_NETWORK_INDEX));
                plans.add(inform(client.resources(IsolatedPlan.class).inNamespace(namespace), Map.of()));
                apps.add(inform(client.resources(WebApp.class).inNamespace(namespace), APP_INDEXES));
            }
        }
        // Asked once now, so the first review of an app with an issuer already knows.
        refreshCertManagerPresence();
    }

    /**
     * An informer holding the shared copy of each version the controllers' caches also hold. It is
     * started, not waited for: start-up goes on while it lists, and the webhook reports ready only
     * once every cache is {@link #synced()}.
     */
    private static <T extends HasMetadata> SharedIndexInformer<T> inform(
            Informable<T> resources, Map<String, Function<T, List<String>>> indexers) {
        SharedIndexInformer<T> informer = resources.runnableInformer(0).itemStore(new SharingItemStore<>());
        if (!indexers.isEmpty()) {
            informer.addIndexers(indexers);
        }
        informer.start();
        return informer;
    }

    void stop(@Observes ShutdownEvent event) {
        environments.forEach(SharedIndexInformer::close);
        plans.forEach(SharedIndexInformer::close);
        apps.forEach(SharedIndexInformer::close);
    }

    /** True once every cache holds the cluster's objects. */
    public boolean synced() {
        return !environments.isEmpty()
                && environments.stream().allMatch(SharedIndexInformer::hasSynced)
                && plans.stream().allMatch(SharedIndexInformer::hasSynced)
                && apps.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    @Override
    public Optional<AppServiceEnvironment> environment(String namespace, String name) {
        return byKey(environments, namespace, name);
    }

    @Override
    public List<IsolatedPlan> plans(String namespace) {
        return inNamespace(plans, namespace);
    }

    @Override
    public List<WebApp> apps(String namespace) {
        return inNamespace(apps, namespace);
    }

    /** Looked up, not scanned: admitting an app reads its plan's apps and the apps holding its host names. */
    @Override
    public List<WebApp> appsOfPlan(String namespace, String planName) {
        return byIndex(apps, CacheIndexes.APPS_BY_PLAN, CacheIndexes.key(namespace, planName));
    }

    @Override
    public List<WebApp> appsWithHostName(String namespace, String environmentName, String host) {
        return byIndex(apps, CacheIndexes.APPS_BY_HOST_NAME, CacheIndexes.hostNameKey(namespace, host)).stream()
                .filter(a -> CacheIndexes.holdsHostName(a, host))
                .filter(a -> inEnvironment(a, environmentName))
                .toList();
    }

    private static <T extends HasMetadata> List<T> byIndex(
            List<SharedIndexInformer<T>> informers, String index, String key) {
        List<T> found = new ArrayList<>();
        informers.forEach(i -> found.addAll(i.getIndexer().byIndex(index, key)));
        return found;
    }

    @Override
    public List<AppServiceEnvironment> environments() {
        List<AppServiceEnvironment> all = new ArrayList<>();
        environments.forEach(i -> all.addAll(i.getStore().list()));
        return all;
    }

    @Override
    public List<AppServiceEnvironment> environmentsInVirtualNetwork(String virtualNetwork) {
        List<AppServiceEnvironment> all = new ArrayList<>();
        environments.forEach(
                i -> all.addAll(i.getIndexer().byIndex(CacheIndexes.ENVIRONMENTS_BY_VIRTUAL_NETWORK, virtualNetwork)));
        return all;
    }

    /**
     * Whether cert-manager is installed, as last asked: the webhook answers on the event loop and
     * never waits for the API server, so the answer is refreshed in the background when it is older
     * than {@link #CERT_MANAGER_FRESHNESS} (and at start-up). Unknown until the first answer: then an
     * issuer is not refused here, and the app's reconcile reports it.
     */
    @Override
    public Optional<Boolean> certManagerInstalled() {
        if (System.nanoTime() - certManagerAskedAt.get() > CERT_MANAGER_FRESHNESS.toNanos()) {
            refreshCertManagerPresence();
        }
        return certManagerPresence.get();
    }

    private void refreshCertManagerPresence() {
        if (certManagerRefreshing.compareAndSet(false, true)) {
            java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    certManagerPresence.set(dev.appservice.operator.presence.CertManagerPresence.installed(client));
                    certManagerAskedAt.set(System.nanoTime());
                } finally {
                    certManagerRefreshing.set(false);
                }
            });
        }
    }

    @Override
    public Optional<IsolatedPlan> plan(String namespace, String name) {
        return byKey(plans, namespace, name);
    }

    @Override
    public Optional<WebApp> app(String namespace, String name) {
        return byKey(apps, namespace, name);
    }

    private static <T extends HasMetadata> Optional<T> byKey(
            List<SharedIndexInformer<T>> informers, String namespace, String name) {
        String key = Cache.namespaceKeyFunc(namespace, name);
        return informers.stream()
                .map(i -> i.getStore().getByKey(key))
                .filter(o -> o != null)
                .findFirst();
    }

    private static <T extends HasMetadata> List<T> inNamespace(
            List<SharedIndexInformer<T>> informers, String namespace) {
        List<T> all = new ArrayList<>();
        informers.forEach(i -> all.addAll(i.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)));
        return all;
    }
}
