package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.dependent.ControlledDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The front ends' nginx configuration. */
@KubernetesDependent(informer = @Informer(labelSelector = StandardLabels.MANAGED_SELECTOR))
public class FrontEndConfigDependent extends ControlledDependentResource<ConfigMap, AppServiceEnvironment> {
    private final OperatorSettings settings = OperatorSettings.fromConfig();

    public FrontEndConfigDependent() {
        super(ConfigMap.class);
    }

    @Override
    protected ConfigMap desired(AppServiceEnvironment primary, Context<AppServiceEnvironment> context) {
        return FrontEnds.configMap(EnvironmentTopologies.from(primary, context), settings);
    }
}
