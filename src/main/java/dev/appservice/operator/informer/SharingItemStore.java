package dev.appservice.operator.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An informer's store (keyed by namespace/name, as Fabric8's default) that keeps the one shared
 * copy of each object version ({@link ObjectVersions}), without what the operator never reads:
 * {@code metadata.managedFields} (a real API server writes an entry per field manager, often
 * larger than the object's spec) and kubectl's {@code last-applied-configuration} annotation (a
 * second copy of the spec). The operator compares its children by the fields it sets
 * ({@code DesiredStateMatch}), writes with updates and patches that leave both untouched on the
 * server (an update without {@code managedFields} keeps the server's), and never reads them.
 * Apps' Deployments keep their pod template deflated ({@link StoredPodTemplates}), and the empty
 * maps and lists of every object are the shared immutable ones ({@link SharedEmptyCollections}).
 * Set on every informer of the operator, with {@code @Informer(itemStore = SharingItemStore.class)}
 * or {@code withItemStore}, and on the webhook's.
 */
public class SharingItemStore<R extends HasMetadata> extends StoreOfCopies<R> {
    /** kubectl's copy of the last applied manifest, kept on the object by client-side apply. */
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    @Override
    protected R kept(String key, R object) {
        return cached(object);
    }

    /**
     * The object as the caches keep it: the one shared copy of its version, without what no reader
     * needs. For an object the operator got from a write (a status patch's answer) that goes to the
     * SDK's cache of recent writes: the informers' copy of that version, arriving later by the
     * watch, is then this same object, not a second one with the server's {@code managedFields}.
     * The object may be changed by this call and must not be changed after it.
     */
    public static <R extends HasMetadata> R cached(R object) {
        return ObjectVersions.shared(unread(object), SharingItemStore::compact);
    }

    /** The object as it arrived from the watch, without the fields no reader of the caches needs. */
    static <R extends HasMetadata> R unread(R object) {
        ObjectMeta metadata = object == null ? null : object.getMetadata();
        if (metadata == null) {
            return object;
        }
        metadata.setManagedFields(null);
        Map<String, String> annotations = metadata.getAnnotations();
        if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
            Map<String, String> kept = new LinkedHashMap<>(annotations);
            kept.remove(LAST_APPLIED);
            metadata.setAnnotations(kept);
        }
        return object;
    }

    /** Done once per object version, however many caches hold it. */
    @SuppressWarnings("unchecked")
    private static <R extends HasMetadata> R compact(R object) {
        R compacted = object instanceof Deployment deployment ? (R) StoredPodTemplates.stored(deployment) : object;
        return SharedEmptyCollections.in(compacted);
    }
}
