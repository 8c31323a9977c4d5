package dev.appservice.operator.environment;


/** The management Service: VIP port 454 of the front ends. */
public class ManagementServiceDependent extends EnvironmentServiceDependent {

    public ManagementServiceDependent() {
        super(EnvironmentServices::management);
    }
}
