package dev.appservice.operator.environment;

import dev.appservice.operator.desired.EnvironmentServices;


/** The internal (ILB) Service of the front ends. */
public class InternalServiceDependent extends EnvironmentServiceDependent {

    public InternalServiceDependent() {
        super(EnvironmentServices::internal);
    }
}
