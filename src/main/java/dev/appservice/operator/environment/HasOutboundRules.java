package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The environment's NSG has outbound rules: egress is restricted. */
public class HasOutboundRules implements Condition<NetworkPolicy, AppServiceEnvironment> {
    @Override
    public boolean isMet(DependentResource<NetworkPolicy, AppServiceEnvironment> dependent, AppServiceEnvironment primary,
            Context<AppServiceEnvironment> context) {
        var nsg = primary.getSpec().getNetworkSecurityGroup();
        return nsg != null && nsg.getOutboundRules() != null && !nsg.getOutboundRules().isEmpty();
    }
}
