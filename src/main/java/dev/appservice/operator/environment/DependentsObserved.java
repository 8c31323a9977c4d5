package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.Utils;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The environment's children as its dependents observe them: for every dependent of the workflow
 * (the {@code @Workflow} of {@link AppServiceEnvironmentReconciler}, as the controller's
 * configuration holds it), the children its informer relates to the environment. The status calls
 * the environment ready when every child of {@code EnvironmentChildren.all()} is among them, so a
 * new kind of child is one dependent class and one line in the workflow: nothing here to keep in
 * step. ({@code DependentsObservedTest} checks that the workflow's dependents cover every kind of
 * {@code all()}; the egress gateway, reconciled by hand, is added by the reconciler.)
 */
final class DependentsObserved {
    private DependentsObserved() {}

    /** What the workflow's dependents observe of the environment's children. */
    static List<HasMetadata> of(AppServiceEnvironment environment, Context<AppServiceEnvironment> context) {
        List<HasMetadata> observed = new ArrayList<>();
        var workflow = context.getControllerConfiguration()
                .getWorkflowSpec()
                .orElseThrow(() -> new IllegalStateException("the environment controller has no workflow"));
        for (DependentResourceSpec<?, ?, ?> dependent : workflow.getDependentResourceSpecs()) {
            String eventSource = dependent.getUseEventSourceWithName().orElse(dependent.getName());
            EventSource<? extends HasMetadata, AppServiceEnvironment> source = context.eventSourceRetriever()
                    .getEventSourceFor(resourceType(dependent.getDependentResourceClass()), eventSource);
            observed.addAll(source.getSecondaryResources(environment));
        }
        return observed;
    }

    /** The kinds of children the dependents of the reconciler's {@code @Workflow} annotation write. */
    static List<Class<? extends HasMetadata>> kindsOf(Class<?> reconciler) {
        return Arrays.stream(reconciler.getAnnotation(Workflow.class).dependents())
                .map(Dependent::type)
                .<Class<? extends HasMetadata>>map(DependentsObserved::resourceType)
                .toList();
    }

    /**
     * The kind of child a dependent writes: its resource type argument, resolved once per dependent
     * class rather than by reflection at every reconcile of every environment.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Class<? extends HasMetadata> resourceType(Class<? extends DependentResource> dependent) {
        return (Class<? extends HasMetadata>) RESOURCE_TYPES.get(dependent);
    }

    private static final ClassValue<Class<?>> RESOURCE_TYPES = new ClassValue<>() {
        @Override
        protected Class<?> computeValue(Class<?> dependent) {
            return Utils.getTypeArgumentFromHierarchyByIndex(dependent, HasMetadata.class, 0);
        }
    };
}
