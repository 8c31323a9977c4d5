package dev.appservice.operator.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.stream.Stream;

/**
 * An informer's store, keyed by namespace/name as Fabric8's default, that holds what
 * {@link #kept} makes of each object as it arrives rather than the object itself: the one place
 * the operator's stores decide what of an object stays in memory.
 */
abstract class StoreOfCopies<R extends HasMetadata> implements ItemStore<R> {
    private final BasicItemStore<R> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

    /** What is held of an object that arrives under {@code key}. */
    protected abstract R kept(String key, R object);

    @Override
    public final R put(String key, R object) {
        return store.put(key, kept(key, object));
    }

    @Override
    public String getKey(R object) {
        return store.getKey(object);
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
