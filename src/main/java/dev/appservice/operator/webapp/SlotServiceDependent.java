package dev.appservice.operator.webapp;

import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.dependent.ControlledDependentResource;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The Services through which the front ends reach the app's deployment slots: one per slot of the spec, owned by the app; a slot removed from the spec loses its
 * Service. Built from the spec alone ({@link dev.appservice.operator.desired.SlotWorkloads}), so a swap writes none of them.
 */
@KubernetesDependent(
        informer =
                @Informer(
                        name = WebAppReconciler.SLOT_SERVICES,
                        labelSelector = StandardLabels.SLOT_WORKLOADS_SELECTOR))
public class SlotServiceDependent extends ControlledDependentResource<Service, WebApp>
        implements CRUDKubernetesBulkDependentResource<Service, WebApp>,
                KubernetesBulkDependentResource<Service, WebApp> {

    public SlotServiceDependent() {
        super(Service.class);
    }

    @Override
    public Map<ResourceID, Service> desiredResources(WebApp app, Context<WebApp> context) {
        Map<ResourceID, Service> desired = new LinkedHashMap<>();
        AppPlacement.children(app, context)
                .orElseThrow(() -> new IllegalStateException("the precondition guarantees the app is placed"))
                .slotServices()
                .forEach(object -> desired.put(ResourceID.fromResource(object), object));
        return desired;
    }

    /** Read from this dependent's own informer: the app's other Services are watched by another. */
    @Override
    public Map<ResourceID, Service> getSecondaryResources(WebApp app, Context<WebApp> context) {
        Set<Service> owned =
                eventSource().map(source -> source.getSecondaryResources(app)).orElse(Set.of());
        Map<ResourceID, Service> byId = new LinkedHashMap<>();
        owned.forEach(object -> byId.put(ResourceID.fromResource(object), object));
        return byId;
    }
}
