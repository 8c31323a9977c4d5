package dev.appservice.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A primary's controlled children of one kind, as a selection of its desired children has them
 * (the parameter): each desired one is created or updated, and one of this dependent's own
 * informer that is no longer desired is deleted. Only this dependent's informer is read, so the
 * primary's other objects of the kind (watched by another dependent) are never taken for its own.
 * Children are keyed by name in the primary's namespace, where every controlled child lives.
 */
public abstract class ControlledChildrenDependent<R extends HasMetadata, P extends HasMetadata>
        extends ControlledDependentResource<R, P> implements CRUDKubernetesBulkDependentResource<R, P> {
    private final BiFunction<P, Context<P>, List<? extends R>> selection;

    protected ControlledChildrenDependent(Class<R> type, BiFunction<P, Context<P>, List<? extends R>> selection) {
        super(type);
        this.selection = selection;
    }

    @Override
    public Map<ResourceID, R> desiredResources(P primary, Context<P> context) {
        Map<ResourceID, R> desired = new LinkedHashMap<>();
        selection.apply(primary, context).forEach(child -> desired.put(key(primary, child), child));
        return desired;
    }

    @Override
    public Map<ResourceID, R> getSecondaryResources(P primary, Context<P> context) {
        Set<R> owned = eventSource()
                .map(source -> source.getSecondaryResources(primary))
                .orElse(Set.of());
        Map<ResourceID, R> actual = new LinkedHashMap<>();
        owned.forEach(child -> actual.put(key(primary, child), child));
        return actual;
    }

    private static ResourceID key(HasMetadata primary, HasMetadata child) {
        return new ResourceID(
                child.getMetadata().getName(), primary.getMetadata().getNamespace());
    }
}
