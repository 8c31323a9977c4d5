package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.dependent.ControlledDependentResource;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The front ends' PodDisruptionBudget: a drain takes one front end at a time. */
@KubernetesDependent(
        informer =
                @Informer(
                        itemStore = SharingItemStore.class,
                        labelSelector = StandardLabels.MANAGED_SELECTOR + "," + StandardLabels.ROLE + "="
                                + StandardLabels.ROLE_FRONT_END))
public class FrontEndDisruptionBudgetDependent
        extends ControlledDependentResource<PodDisruptionBudget, AppServiceEnvironment> {
    public FrontEndDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected PodDisruptionBudget desired(AppServiceEnvironment primary, Context<AppServiceEnvironment> context) {
        return MemoisedChildren.of(context).frontEndBudget();
    }
}
