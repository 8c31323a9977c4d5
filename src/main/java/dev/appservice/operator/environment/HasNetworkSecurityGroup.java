package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The environment has a network security group: its inbound rules (or the defaults) guard the front ends. */
public class HasNetworkSecurityGroup implements Condition<NetworkPolicy, AppServiceEnvironment> {
    @Override
    public boolean isMet(DependentResource<NetworkPolicy, AppServiceEnvironment> dependent, AppServiceEnvironment primary,
            Context<AppServiceEnvironment> context) {
        return primary.getSpec().getNetworkSecurityGroup() != null;
    }
}
