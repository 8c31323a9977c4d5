package dev.appservice.operator.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.stream.Stream;

/**
 * An informer's store (keyed by namespace/name, as Fabric8's default) that keeps the one shared
 * copy of each object version: see {@link ObjectVersions}. Set on the controllers' informers with
 * {@code @Informer(itemStore = SharingItemStore.class)} or {@code withItemStore}, and on the
 * webhook's.
 */
public class SharingItemStore<R extends HasMetadata> implements ItemStore<R> {
    private final BasicItemStore<R> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

    @Override
    public String getKey(R object) {
        return store.getKey(object);
    }

    @Override
    public R put(String key, R object) {
        return store.put(key, ObjectVersions.shared(object));
    }

    @Override
    public R remove(String key) {
        return store.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return store.keySet();
    }

    @Override
    public Stream<R> values() {
        return store.values();
    }

    @Override
    public int size() {
        return store.size();
    }

    @Override
    public R get(String key) {
        return store.get(key);
    }
}
