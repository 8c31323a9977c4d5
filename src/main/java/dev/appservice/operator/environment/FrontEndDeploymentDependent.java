package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.dependent.ControlledDependentResource;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The front-end Deployment: nginx proxies, as many as the environment's plans call for. */
@KubernetesDependent(
        informer =
                @Informer(
                        itemStore = SharingItemStore.class,
                        labelSelector = StandardLabels.MANAGED_SELECTOR + "," + StandardLabels.ROLE + "="
                                + StandardLabels.ROLE_FRONT_END))
public class FrontEndDeploymentDependent extends ControlledDependentResource<Deployment, AppServiceEnvironment> {
    public FrontEndDeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(AppServiceEnvironment primary, Context<AppServiceEnvironment> context) {
        return MemoisedChildren.of(context).frontEnds();
    }
}
