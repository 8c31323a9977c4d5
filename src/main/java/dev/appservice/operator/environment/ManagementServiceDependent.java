package dev.appservice.operator.environment;

import dev.appservice.operator.model.StandardLabels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The management Service: VIP port 454 of the front ends. */
@KubernetesDependent(informer = @Informer(labelSelector = StandardLabels.MANAGED_SELECTOR))
public class ManagementServiceDependent extends EnvironmentServiceDependent {

    public ManagementServiceDependent() {
        super(EnvironmentServices::management);
    }
}
