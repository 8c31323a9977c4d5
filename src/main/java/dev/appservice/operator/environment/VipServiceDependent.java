package dev.appservice.operator.environment;

import dev.appservice.operator.desired.EnvironmentServices;


/** The VIP Service: External (LoadBalancer) or Internal (ClusterIP) address of the front ends. */
public class VipServiceDependent extends EnvironmentServiceDependent {

    public VipServiceDependent() {
        super(EnvironmentServices::vip);
    }
}
