package dev.appservice.operator.testing;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Stands in for Kubernetes' Deployment controller, which the mock API server does not run. */
public final class DeploymentRollout {
    private DeploymentRollout() {}

    /** Every Deployment the operator owns in the namespace, rolled out and ready at its generation (a status write where it is not yet). */
    public static void completeAll(KubernetesClient client, String namespace) {
        for (Deployment d :
                client.apps().deployments().inNamespace(namespace).list().getItems()) {
            if (d.getMetadata().getOwnerReferences() == null
                    || d.getMetadata().getOwnerReferences().isEmpty()) {
                continue; // not the operator's
            }
            int replicas = d.getSpec().getReplicas();
            if (d.getStatus() == null
                    || !d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration())
                    || d.getStatus().getReadyReplicas() == null
                    || d.getStatus().getReadyReplicas() != replicas) {
                d.setStatus(new DeploymentStatusBuilder()
                        .withObservedGeneration(d.getMetadata().getGeneration())
                        .withReplicas(replicas)
                        .withReadyReplicas(replicas)
                        .withUpdatedReplicas(replicas)
                        .withAvailableReplicas(replicas)
                        .build());
                client.resource(d).updateStatus();
            }
        }
    }
}
