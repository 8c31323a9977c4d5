package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.dependent.ControlledChildrenDependent;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The front ends' nginx configuration: the main ConfigMap and, for environments with many apps,
 * one ConfigMap per further shard (see {@link dev.appservice.operator.desired.FrontEnds#configMaps}); a shard no longer needed is
 * deleted.
 */
@KubernetesDependent(
        informer = @Informer(itemStore = SharingItemStore.class, labelSelector = StandardLabels.MANAGED_SELECTOR))
public class FrontEndConfigDependent extends ControlledChildrenDependent<ConfigMap, AppServiceEnvironment> {

    public FrontEndConfigDependent() {
        super(
                ConfigMap.class,
                (environment, context) -> MemoisedChildren.of(context).frontEndConfig());
    }
}
