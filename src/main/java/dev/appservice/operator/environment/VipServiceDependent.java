package dev.appservice.operator.environment;

import dev.appservice.operator.model.StandardLabels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The VIP Service: External (LoadBalancer) or Internal (ClusterIP) address of the front ends. */
@KubernetesDependent(informer = @Informer(labelSelector = StandardLabels.MANAGED_SELECTOR))
public class VipServiceDependent extends EnvironmentServiceDependent {

    public VipServiceDependent() {
        super(EnvironmentServices::vip);
    }
}
