package dev.appservice.operator.webapp;

import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.dependent.ControlledDependentResource;
import dev.appservice.operator.desired.AppChildren;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

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
public class AppDisruptionBudgetDependent extends ControlledDependentResource<PodDisruptionBudget, WebApp>
        implements CRUDKubernetesBulkDependentResource<PodDisruptionBudget, WebApp>,
                KubernetesBulkDependentResource<PodDisruptionBudget, WebApp> {

    public AppDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class);
    }

    @Override
    public Map<ResourceID, PodDisruptionBudget> desiredResources(WebApp app, Context<WebApp> context) {
        Map<ResourceID, PodDisruptionBudget> desired = new LinkedHashMap<>();
        AppPlacement.children(app, context)
                .orElseThrow(() -> new IllegalStateException("the precondition guarantees the app is placed"))
                .disruptionBudgets()
                .forEach(budget -> desired.put(ResourceID.fromResource(budget), budget));
        return desired;
    }

    @Override
    public Map<ResourceID, PodDisruptionBudget> getSecondaryResources(WebApp app, Context<WebApp> context) {
        Set<PodDisruptionBudget> owned =
                eventSource().map(source -> source.getSecondaryResources(app)).orElse(Set.of());
        Map<ResourceID, PodDisruptionBudget> byId = new LinkedHashMap<>();
        owned.forEach(budget -> byId.put(ResourceID.fromResource(budget), budget));
        return byId;
    }
}
