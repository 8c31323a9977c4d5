package dev.appservice.operator.environment;

import dev.appservice.operator.desired.EnvironmentServices;


/** The management Service: VIP port 454 of the front ends. */
public class ManagementServiceDependent extends EnvironmentServiceDependent {

    public ManagementServiceDependent() {
        super(EnvironmentServices::management);
    }
}
