package dev.appservice.operator.informer;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;

/**
 * The store of the app pods' informer: it keeps of each pod only what an app's status reads
 * ({@code InstanceFailures}): its name, namespace, labels, version and deletion time, its
 * conditions and its containers' states. The spec (env, probes, volumes), annotations and managed
 * fields are dropped as a pod arrives, so thousands of app instances cost little memory.
 */
public class PodStateItemStore extends StoreOfCopies<Pod> {
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
        return SharedEmptyCollections.in(slim);
    }

    @Override
    protected Pod kept(String key, Pod pod) {
        return stripped(pod);
    }
}
