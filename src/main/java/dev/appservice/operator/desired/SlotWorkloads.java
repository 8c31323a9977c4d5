package dev.appservice.operator.desired;

import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.AppDeployments;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Desired state of what runs one deployment slot of an app: built as the app's own workload
 * ({@link AppWorkloads}, from the slot's view of the app, {@link AppDeployments#asApp}), named
 * {@link ResourceNames#slotWorkload} and labelled so that neither the app's selector nor another
 * slot's matches its pods: {@link StandardLabels#WEBAPP} is the slot's workload name, and
 * {@link StandardLabels#SLOT} the slot's name. Nothing in it depends on which deployment serves
 * production, so a swap rewrites none of it.
 */
public final class SlotWorkloads {
    private SlotWorkloads() {}

    public static Deployment deployment(EnvironmentTopology topology, IsolatedPlan plan, WebApp app, String slot) {
        String workload = ResourceNames.slotWorkload(app.getMetadata().getName(), slot);
        Map<String, String> podLabels = new LinkedHashMap<>(
                StandardLabels.forAppPods(topology.name(), app.getMetadata().getName()));
        podLabels.putAll(selector(topology, workload, slot));
        return AppWorkloads.deployment(
                topology,
                plan,
                AppDeployments.asApp(app, slot),
                workload,
                AppDeployments.slotHost(
                        app.getMetadata().getName(),
                        slot,
                        topology.environment().getSpec().effectiveDnsSuffix(topology.name())),
                labels(topology, plan, app, workload, slot),
                selector(topology, workload, slot),
                podLabels,
                slot);
    }

    public static Service service(EnvironmentTopology topology, IsolatedPlan plan, WebApp app, String slot) {
        String workload = ResourceNames.slotWorkload(app.getMetadata().getName(), slot);
        Service service = AppWorkloads.service(topology, plan, app);
        service.getMetadata().setName(workload);
        service.getMetadata().setLabels(labels(topology, plan, app, workload, slot));
        service.getSpec().setSelector(selector(topology, workload, slot));
        return service;
    }

    private static Map<String, String> labels(
            EnvironmentTopology topology, IsolatedPlan plan, WebApp app, String workload, String slot) {
        Map<String, String> labels = new LinkedHashMap<>(StandardLabels.forApp(
                topology.name(), plan.getMetadata().getName(), app.getMetadata().getName()));
        labels.put(StandardLabels.WEBAPP, workload);
        labels.put(StandardLabels.SLOT, slot);
        return labels;
    }

    private static Map<String, String> selector(EnvironmentTopology topology, String workload, String slot) {
        Map<String, String> selector = StandardLabels.appSelector(topology.name(), workload);
        selector.put(StandardLabels.SLOT, slot);
        return selector;
    }
}
