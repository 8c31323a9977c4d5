package dev.appservice.operator.informer;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The store of the informers of the apps' {@code kubernetes.io/tls} Secrets: it keeps a Secret's
 * data (certificate and private key) only while some app names it in {@code spec.tls.secretName};
 * of every other TLS Secret of the watched namespaces it keeps the name, labels and version only,
 * so the operator's memory holds no private key it does not serve, and no tenant's Secrets grow it.
 *
 * <p>A Secret that arrived before an app named it was kept without its data; the first
 * {@link #read} after an app names it fetches it once from the API server ({@code fetch}) and keeps
 * that copy for its version. The next version the watch delivers replaces it, with its data, as
 * long as an app still names it.
 */
public class AppSecretStore extends StoreOfCopies<Secret> {
    private final Predicate<ResourceID> named;
    private final Function<ResourceID, Secret> fetch;
    /** Keys of the Secrets held without their data. */
    private final Set<String> withoutData = ConcurrentHashMap.newKeySet();
    /** Secrets fetched because an app named them after they arrived, by key; one version each. */
    private final Map<String, Secret> fetched = new ConcurrentHashMap<>();

    /**
     * @param named whether some app names this Secret (read when a Secret arrives: the apps' cache)
     * @param fetch reads a Secret from the API server (null when it does not exist)
     */
    public AppSecretStore(Predicate<ResourceID> named, Function<ResourceID, Secret> fetch) {
        this.named = named;
        this.fetch = fetch;
    }

    /**
     * The Secret with its data, if it exists: the cached one when it was kept with its data, else
     * the one fetched for its current version (fetched now if need be).
     */
    public Optional<Secret> read(ResourceID id) {
        String key = Cache.namespaceKeyFunc(id.getNamespace().orElse(null), id.getName());
        Secret cached = get(key);
        if (cached == null) {
            return Optional.empty();
        }
        if (!withoutData.contains(key)) {
            return Optional.of(cached);
        }
        String version = cached.getMetadata().getResourceVersion();
        Secret copy = fetched.get(key);
        if (copy == null || !Objects.equals(copy.getMetadata().getResourceVersion(), version)) {
            copy = fetch.apply(id);
            if (copy == null) {
                fetched.remove(key);
                return Optional.empty();
            }
            fetched.put(key, copy);
        }
        return Optional.of(copy);
    }

    /** Whether the store holds this Secret's data (for tests and metrics). */
    public boolean holdsDataOf(ResourceID id) {
        String key = Cache.namespaceKeyFunc(id.getNamespace().orElse(null), id.getName());
        return get(key) != null && !withoutData.contains(key) || fetched.containsKey(key);
    }

    @Override
    protected Secret kept(String key, Secret secret) {
        SharingItemStore.unread(secret);
        fetched.remove(key);
        if (named.test(ResourceID.fromResource(secret))) {
            withoutData.remove(key);
            return secret;
        }
        withoutData.add(key);
        return withoutData(secret);
    }

    /** The Secret's name, namespace, labels, type and version: what tells a watcher it changed. */
    static Secret withoutData(Secret secret) {
        ObjectMeta meta = secret.getMetadata();
        ObjectMeta kept = new ObjectMeta();
        kept.setName(meta.getName());
        kept.setNamespace(meta.getNamespace());
        kept.setUid(meta.getUid());
        kept.setResourceVersion(meta.getResourceVersion());
        kept.setLabels(meta.getLabels());
        kept.setDeletionTimestamp(meta.getDeletionTimestamp());
        Secret slim = new Secret();
        slim.setMetadata(kept);
        slim.setType(secret.getType());
        return slim;
    }

    @Override
    public Secret remove(String key) {
        withoutData.remove(key);
        fetched.remove(key);
        return super.remove(key);
    }
}
