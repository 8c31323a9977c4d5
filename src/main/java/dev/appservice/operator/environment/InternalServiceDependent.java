package dev.appservice.operator.environment;

import dev.appservice.operator.model.StandardLabels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The internal (ILB) Service of the front ends. */
@KubernetesDependent(informer = @Informer(labelSelector = StandardLabels.MANAGED_SELECTOR))
public class InternalServiceDependent extends EnvironmentServiceDependent {

    public InternalServiceDependent() {
        super(EnvironmentServices::internal);
    }
}
