package dev.appservice.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import java.util.ArrayList;
import java.util.List;

/**
 * A child the operator creates, updates (when it differs from the desired state) and leaves to the
 * garbage collector. Its owner reference marks the custom resource as its controller
 * ({@code controller: true}, {@code blockOwnerDeletion: true}), as Kubernetes' own controllers do,
 * so {@code kubectl describe} shows "Controlled By" and deleting the owner removes the child.
 */
public abstract class ControlledDependentResource<R extends HasMetadata, P extends HasMetadata>
        extends CRUDKubernetesDependentResource<R, P> {

    protected ControlledDependentResource(Class<R> resourceType) {
        super(resourceType);
    }

    /**
     * Compares as {@link DesiredStateMatch} does: the server's defaults are never taken for a
     * difference, so an unchanged child is never written.
     */
    @Override
    public Result<R> match(R actualResource, R desired, P primary, Context<P> context) {
        addMetadata(true, actualResource, desired, primary, context);
        return Result.computed(
                DesiredStateMatch.matches(
                        desired, actualResource, context.getClient().getKubernetesSerialization()),
                desired);
    }

    @Override
    protected void addReferenceHandlingMetadata(R desired, P primary) {
        OwnerReference controller = new OwnerReferenceBuilder()
                .withApiVersion(primary.getApiVersion())
                .withKind(primary.getKind())
                .withName(primary.getMetadata().getName())
                .withUid(primary.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
        List<OwnerReference> references = new ArrayList<>();
        references.add(controller);
        desired.getMetadata().setOwnerReferences(references);
    }
}
