package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.dependent.ControlledChildrenDependent;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

/**
 * The NetworkPolicies compiled from the environment's network security group: the workers'
 * always, the front ends' when there is an NSG, the egress policy when it has outbound rules (the
 * compiler decides, {@link EnvironmentChildren} holds the result). A policy no longer compiled is
 * deleted.
 */
public class NetworkPoliciesDependent extends ControlledChildrenDependent<NetworkPolicy, AppServiceEnvironment> {

    public NetworkPoliciesDependent() {
        super(
                NetworkPolicy.class,
                (environment, context) -> MemoisedChildren.of(context).networkPolicies());
    }
}
