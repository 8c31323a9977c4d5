package dev.appservice.operator.webapp;

import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.dependent.ControlledChildrenDependent;
import dev.appservice.operator.desired.AppChildren;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The PodDisruptionBudgets of the app's deployments (its own and its slots') that run more than
 * one instance, as {@link AppChildren} has them; owned by the app. One that is no longer desired
 * (the plan scaled in to one instance, a slot removed) is deleted.
 */
@KubernetesDependent(
        informer =
                @Informer(
                        itemStore = SharingItemStore.class,
                        name = WebAppReconciler.DISRUPTION_BUDGETS,
                        labelSelector = StandardLabels.APP_WORKLOADS_SELECTOR))
public class AppDisruptionBudgetDependent extends ControlledChildrenDependent<PodDisruptionBudget, WebApp> {

    public AppDisruptionBudgetDependent() {
        super(
                PodDisruptionBudget.class,
                (app, context) -> AppPlacement.placedChildren(app, context).disruptionBudgets());
    }
}
