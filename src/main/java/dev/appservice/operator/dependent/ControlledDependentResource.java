package dev.appservice.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
    private static final int HTTP_CONFLICT = 409;

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

    /**
     * Updates from the informer's copy; when the API server answers 409 (another controller, the
     * Deployment controller writing its status, changed the child since that copy), reads the
     * child again and updates from what is current, once, as client-go's RetryOnConflict does, so
     * that a routine conflict costs one request instead of a failed reconcile and a backoff.
     */
    @Override
    public R update(R actual, R desired, P primary, Context<P> context) {
        try {
            return super.update(actual, desired, primary, context);
        } catch (KubernetesClientException e) {
            if (e.getCode() != HTTP_CONFLICT) {
                throw e;
            }
            R current = context.getClient().resource(actual).get();
            if (current == null) {
                throw e;
            }
            return super.update(current, desired, primary, context);
        }
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
