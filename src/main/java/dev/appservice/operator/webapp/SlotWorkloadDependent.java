package dev.appservice.operator.webapp;

import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.dependent.ControlledDependentResource;
import dev.appservice.operator.desired.AppChildren;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One kind of the app's deployment-slot workloads, one per slot of the spec, owned by the app, as
 * {@link AppChildren} has them; a slot removed from the spec loses its object. Built from the spec
 * alone ({@link dev.appservice.operator.desired.SlotWorkloads}), so a swap writes none of them.
 */
abstract class SlotWorkloadDependent<R extends HasMetadata> extends ControlledDependentResource<R, WebApp>
        implements CRUDKubernetesBulkDependentResource<R, WebApp>, KubernetesBulkDependentResource<R, WebApp> {
    private final Function<AppChildren, List<R>> selection;

    protected SlotWorkloadDependent(Class<R> type, Function<AppChildren, List<R>> selection) {
        super(type);
        this.selection = selection;
    }

    @Override
    public Map<ResourceID, R> desiredResources(WebApp app, Context<WebApp> context) {
        Map<ResourceID, R> desired = new LinkedHashMap<>();
        selection
                .apply(AppPlacement.children(app, context)
                        .orElseThrow(() -> new IllegalStateException("the precondition guarantees the app is placed")))
                .forEach(object -> desired.put(ResourceID.fromResource(object), object));
        return desired;
    }

    /** Read from this dependent's own informer: the app's other objects of the kind are watched by another. */
    @Override
    public Map<ResourceID, R> getSecondaryResources(WebApp app, Context<WebApp> context) {
        Set<R> owned =
                eventSource().map(source -> source.getSecondaryResources(app)).orElse(Set.of());
        Map<ResourceID, R> byId = new LinkedHashMap<>();
        owned.forEach(object -> byId.put(ResourceID.fromResource(object), object));
        return byId;
    }
}
