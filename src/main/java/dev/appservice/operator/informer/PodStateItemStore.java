package dev.appservice.operator.informer;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.stream.Stream;

/**
 * The store of the app pods' informer: it keeps of each pod only what an app's status reads
 * ({@code InstanceFailures}): its name, namespace, labels, version and deletion time, its
 * conditions and its containers' states. The spec (env, probes, volumes), annotations and managed
 * fields are dropped as a pod arrives, so thousands of app instances cost little memory.
 */
public class PodStateItemStore implements ItemStore<Pod> {
    private final BasicItemStore<Pod> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

    /** The pod, without what the status never reads. */
    public static Pod stripped(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        ObjectMeta kept = new ObjectMeta();
        kept.setName(meta.getName());
        kept.setNamespace(meta.getNamespace());
        kept.setUid(meta.getUid());
        kept.setResourceVersion(meta.getResourceVersion());
        kept.setGeneration(meta.getGeneration());
        kept.setLabels(meta.getLabels());
        kept.setDeletionTimestamp(meta.getDeletionTimestamp());
        Pod slim = new Pod();
        slim.setMetadata(kept);
        PodStatus status = pod.getStatus();
        if (status != null) {
            PodStatus state = new PodStatus();
            state.setPhase(status.getPhase());
            state.setConditions(status.getConditions());
            state.setContainerStatuses(status.getContainerStatuses());
            slim.setStatus(state);
        }
        return slim;
    }

    @Override
    public String getKey(Pod pod) {
        return store.getKey(pod);
    }

    @Override
    public Pod put(String key, Pod pod) {
        return store.put(key, stripped(pod));
    }

    @Override
    public Pod remove(String key) {
        return store.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return store.keySet();
    }

    @Override
    public Stream<Pod> values() {
        return store.values();
    }

    @Override
    public int size() {
        return store.size();
    }

    @Override
    public Pod get(String key) {
        return store.get(key);
    }
}
