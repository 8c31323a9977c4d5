package dev.appservice.operator.environment;


import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.dependent.ControlledDependentResource;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.BulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The front ends' nginx configuration: the main ConfigMap and, for environments with many apps,
 * one ConfigMap per further shard (see {@link dev.appservice.operator.desired.FrontEnds#configMaps}); a shard no longer needed is
 * deleted.
 */
@KubernetesDependent(informer = @Informer(labelSelector = StandardLabels.MANAGED_SELECTOR))
public class FrontEndConfigDependent extends ControlledDependentResource<ConfigMap, AppServiceEnvironment>
        implements BulkDependentResource<ConfigMap, AppServiceEnvironment, String> {

    public FrontEndConfigDependent() {
        super(ConfigMap.class);
    }

    @Override
    public Map<String, ConfigMap> desiredResources(AppServiceEnvironment primary, Context<AppServiceEnvironment> context) {
        Map<String, ConfigMap> desired = new LinkedHashMap<>();
        for (ConfigMap map : MemoisedChildren.of(context).frontEndConfig()) {
            desired.put(map.getMetadata().getName(), map);
        }
        return desired;
    }

    @Override
    public Map<String, ConfigMap> getSecondaryResources(AppServiceEnvironment primary, Context<AppServiceEnvironment> context) {
        Map<String, ConfigMap> actual = new LinkedHashMap<>();
        eventSource().orElseThrow().getSecondaryResources(primary).forEach(map -> actual.put(map.getMetadata().getName(), map));
        return actual;
    }

    @Override
    public void deleteTargetResource(AppServiceEnvironment primary, ConfigMap resource, String key, Context<AppServiceEnvironment> context) {
        context.getClient().resource(resource).delete();
    }
}
