package dev.appservice.operator.testing;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.ObservedStatus;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The Ready condition of the custom resources, whatever their kind, as the tests read it. */
public final class ReadyConditions {
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static final List<Class<? extends CustomResource<?, ? extends ObservedStatus>>> KINDS =
            (List) List.of(AppServiceEnvironment.class, IsolatedPlan.class, WebApp.class);

    private ReadyConditions() {}

    /** The resource's Ready condition; null while it has none. */
    public static Condition of(
            KubernetesClient client,
            Class<? extends CustomResource<?, ? extends ObservedStatus>> kind,
            String namespace,
            String name) {
        CustomResource<?, ? extends ObservedStatus> resource =
                client.resources(kind).inNamespace(namespace).withName(name).get();
        return resource == null || resource.getStatus() == null
                ? null
                : Conditions.find(resource.getStatus().getConditions(), Conditions.READY);
    }

    /**
     * Every custom resource of the namespace that is not Ready=True at its current generation,
     * "Kind name" to what its Ready condition says (or "no status").
     */
    public static Map<String, String> notReady(KubernetesClient client, String namespace) {
        Map<String, String> waiting = new TreeMap<>();
        for (var kind : KINDS) {
            for (CustomResource<?, ? extends ObservedStatus> r :
                    client.resources(kind).inNamespace(namespace).list().getItems()) {
                ObservedStatus status = r.getStatus();
                Condition ready = status == null ? null : Conditions.find(status.getConditions(), Conditions.READY);
                if (!readyAtGeneration(r)) {
                    waiting.put(
                            r.getKind() + " " + r.getMetadata().getName(),
                            ready == null ? "no status" : ready.getReason() + ": " + ready.getMessage());
                }
            }
        }
        return waiting;
    }

    /** Whether the resource says Ready=True for its current generation. */
    public static boolean readyAtGeneration(CustomResource<?, ? extends ObservedStatus> resource) {
        ObservedStatus status = resource.getStatus();
        Condition ready = status == null ? null : Conditions.find(status.getConditions(), Conditions.READY);
        return ready != null
                && Conditions.TRUE.equals(ready.getStatus())
                && resource.getMetadata().getGeneration().equals(status.getObservedGeneration());
    }
}
