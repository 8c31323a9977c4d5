package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.dependent.ControlledDependentResource;
import dev.appservice.operator.desired.EnvironmentChildren;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.BulkDependentResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A set of an environment's children of one kind, by name, as {@link EnvironmentChildren} has
 * them: each desired one is created or updated, and one of this dependent's informer that is no
 * longer desired is deleted (the informer sees only the environment's own, labelled children).
 */
abstract class EnvironmentChildrenDependent<R extends HasMetadata>
        extends ControlledDependentResource<R, AppServiceEnvironment>
        implements BulkDependentResource<R, AppServiceEnvironment, String> {
    private final Function<EnvironmentChildren, List<? extends R>> selection;

    protected EnvironmentChildrenDependent(Class<R> type, Function<EnvironmentChildren, List<? extends R>> selection) {
        super(type);
        this.selection = selection;
    }

    @Override
    public Map<String, R> desiredResources(AppServiceEnvironment primary, Context<AppServiceEnvironment> context) {
        Map<String, R> desired = new LinkedHashMap<>();
        selection
                .apply(MemoisedChildren.of(context))
                .forEach(child -> desired.put(child.getMetadata().getName(), child));
        return desired;
    }

    @Override
    public Map<String, R> getSecondaryResources(AppServiceEnvironment primary, Context<AppServiceEnvironment> context) {
        Map<String, R> actual = new LinkedHashMap<>();
        eventSource()
                .orElseThrow()
                .getSecondaryResources(primary)
                .forEach(child -> actual.put(child.getMetadata().getName(), child));
        return actual;
    }

    @Override
    public void deleteTargetResource(
            AppServiceEnvironment primary, R resource, String key, Context<AppServiceEnvironment> context) {
        context.getClient().resource(resource).delete();
    }
}
