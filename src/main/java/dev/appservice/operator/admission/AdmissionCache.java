package dev.appservice.operator.admission;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * The cluster as the webhook sees it: informer caches of environments, plans and apps, so a review
 * is answered from memory, without an API call.
 */
@ApplicationScoped
public class AdmissionCache implements ClusterView {

    @Inject
    KubernetesClient client;

    private SharedIndexInformer<AppServiceEnvironment> environments;
    private SharedIndexInformer<IsolatedPlan> plans;
    private SharedIndexInformer<WebApp> apps;

    void start(@Observes StartupEvent event) {
        environments = client.resources(AppServiceEnvironment.class).inAnyNamespace().inform();
        plans = client.resources(IsolatedPlan.class).inAnyNamespace().inform();
        apps = client.resources(WebApp.class).inAnyNamespace().inform();
    }

    void stop(@Observes ShutdownEvent event) {
        if (environments != null) {
            environments.close();
        }
        if (plans != null) {
            plans.close();
        }
        if (apps != null) {
            apps.close();
        }
    }

    /** True once both caches hold the cluster's objects. */
    public boolean synced() {
        return environments != null && plans != null && apps != null
                && environments.hasSynced() && plans.hasSynced() && apps.hasSynced();
    }

    @Override
    public Optional<AppServiceEnvironment> environment(String namespace, String name) {
        return Optional.ofNullable(environments.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name)));
    }

    @Override
    public List<IsolatedPlan> plans(String namespace) {
        return plans.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    @Override
    public List<WebApp> apps(String namespace) {
        return apps.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    @Override
    public Optional<IsolatedPlan> plan(String namespace, String name) {
        return Optional.ofNullable(plans.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name)));
    }
}
