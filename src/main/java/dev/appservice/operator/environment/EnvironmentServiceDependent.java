package dev.appservice.operator.environment;

import dev.appservice.operator.desired.EnvironmentServices;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.model.EnvironmentTopology;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import dev.appservice.operator.dependent.ControlledDependentResource;
import java.util.function.Function;

/** One of an environment's Services, built by a function of {@link EnvironmentServices}. */
abstract class EnvironmentServiceDependent extends ControlledDependentResource<Service, AppServiceEnvironment> {
    private final Function<EnvironmentTopology, Service> builder;

    protected EnvironmentServiceDependent(Function<EnvironmentTopology, Service> builder) {
        super(Service.class);
        this.builder = builder;
    }

    @Override
    protected Service desired(AppServiceEnvironment primary, Context<AppServiceEnvironment> context) {
        return builder.apply(EnvironmentTopologies.from(primary, context));
    }
}
