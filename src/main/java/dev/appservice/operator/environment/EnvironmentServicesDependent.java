package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.dependent.ControlledChildrenDependent;
import io.fabric8.kubernetes.api.model.Service;

/** The environment's Services (VIP, internal, management), as {@link EnvironmentChildren} has them. */
public class EnvironmentServicesDependent extends ControlledChildrenDependent<Service, AppServiceEnvironment> {

    public EnvironmentServicesDependent() {
        super(
                Service.class,
                (environment, context) -> MemoisedChildren.of(context).services());
    }
}
