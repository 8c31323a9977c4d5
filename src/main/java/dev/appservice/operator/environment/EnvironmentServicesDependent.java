package dev.appservice.operator.environment;

import dev.appservice.operator.desired.EnvironmentChildren;
import io.fabric8.kubernetes.api.model.Service;

/** The environment's Services (VIP, internal, management), as {@link EnvironmentChildren} has them. */
public class EnvironmentServicesDependent extends EnvironmentChildrenDependent<Service> {

    public EnvironmentServicesDependent() {
        super(Service.class, EnvironmentChildren::services);
    }
}
