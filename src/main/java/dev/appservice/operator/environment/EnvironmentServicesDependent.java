package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.dependent.ControlledDependentResource;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.BulkDependentResource;
import java.util.LinkedHashMap;
import java.util.Map;

/** The environment's Services (VIP, internal, management), as {@link dev.appservice.operator.desired.EnvironmentChildren} has them. */
public class EnvironmentServicesDependent extends ControlledDependentResource<Service, AppServiceEnvironment>
        implements BulkDependentResource<Service, AppServiceEnvironment, String> {

    public EnvironmentServicesDependent() {
        super(Service.class);
    }

    @Override
    public Map<String, Service> desiredResources(AppServiceEnvironment primary, Context<AppServiceEnvironment> context) {
        Map<String, Service> desired = new LinkedHashMap<>();
        MemoisedChildren.of(context).services().forEach(service -> desired.put(service.getMetadata().getName(), service));
        return desired;
    }

    @Override
    public Map<String, Service> getSecondaryResources(AppServiceEnvironment primary, Context<AppServiceEnvironment> context) {
        Map<String, Service> actual = new LinkedHashMap<>();
        eventSource().orElseThrow().getSecondaryResources(primary).forEach(service -> actual.put(service.getMetadata().getName(), service));
        return actual;
    }

    @Override
    public void deleteTargetResource(AppServiceEnvironment primary, Service resource, String key, Context<AppServiceEnvironment> context) {
        context.getClient().resource(resource).delete();
    }
}
