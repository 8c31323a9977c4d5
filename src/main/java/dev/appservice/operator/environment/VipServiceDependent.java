package dev.appservice.operator.environment;


/** The VIP Service: External (LoadBalancer) or Internal (ClusterIP) address of the front ends. */
public class VipServiceDependent extends EnvironmentServiceDependent {

    public VipServiceDependent() {
        super(EnvironmentServices::vip);
    }
}
