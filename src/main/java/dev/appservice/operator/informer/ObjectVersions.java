package dev.appservice.operator.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One Java object per version of a Kubernetes object, however many informers hold it.
 * <p>
 * The three controllers and the webhook each watch the custom resources they need: a plan is
 * held by five caches (its controller, its environment's, its siblings', its apps', the
 * webhook's), an app by four. Each watch deserialises its own copy, so at 1,000 plans and 2,000
 * apps most of the cached custom resources were duplicates. Caches that store through
 * {@link SharingItemStore} keep the first copy of each version ({@code uid} and
 * {@code resourceVersion}) and drop the rest. Cached objects are never modified (the SDK hands
 * reconcilers a clone of the primary; secondaries and the webhook's objects are read only), so
 * sharing them is safe. An entry lives as long as some cache holds its object: the table refers
 * to objects weakly.
 */
public final class ObjectVersions {
    private static final ConcurrentMap<Version, Entry> BY_VERSION = new ConcurrentHashMap<>();
    private static final ReferenceQueue<HasMetadata> RELEASED = new ReferenceQueue<>();

    private record Version(Class<?> type, String uid, String resourceVersion) {}

    private static final class Entry extends WeakReference<HasMetadata> {
        final Version version;

        Entry(HasMetadata object, Version version) {
            super(object, RELEASED);
            this.version = version;
        }
    }

    private ObjectVersions() {}

    /** The object already held for this version, or this one (which is then held for it). */
    public static <R extends HasMetadata> R shared(R object) {
        return shared(object, java.util.function.UnaryOperator.identity());
    }

    /**
     * The object already held for this version, or this one as {@code prepare} makes it (which is
     * then held for it): the preparation is done once per version, not once per cache.
     */
    @SuppressWarnings("unchecked")
    public static <R extends HasMetadata> R shared(R object, java.util.function.UnaryOperator<R> prepare) {
        forgetReleased();
        if (object == null
                || object.getMetadata() == null
                || object.getMetadata().getUid() == null
                || object.getMetadata().getResourceVersion() == null) {
            return object;
        }
        Version version = new Version(
                object.getClass(),
                object.getMetadata().getUid(),
                object.getMetadata().getResourceVersion());
        while (true) {
            Entry held = BY_VERSION.get(version);
            HasMetadata existing = held == null ? null : held.get();
            if (existing != null) {
                return (R) existing;
            }
            object = prepare.apply(object);
            Entry mine = new Entry(object, version);
            if (held == null
                    ? BY_VERSION.putIfAbsent(version, mine) == null
                    : BY_VERSION.replace(version, held, mine)) {
                return object;
            }
        }
    }

    private static void forgetReleased() {
        Reference<? extends HasMetadata> released;
        while ((released = RELEASED.poll()) != null) {
            Entry entry = (Entry) released;
            BY_VERSION.remove(entry.version, entry);
        }
    }
}
