package dev.appservice.operator.environment;


/** The internal (ILB) Service of the front ends. */
public class InternalServiceDependent extends EnvironmentServiceDependent {

    public InternalServiceDependent() {
        super(EnvironmentServices::internal);
    }
}
