package dev.appservice.operator.desired;

import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.OperatingSystem;
import dev.appservice.operator.api.PodSecurityLevel;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.model.AppDensity;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;

/**
 * Desired state of a plan's own workers: the placeholder Deployment {@code <plan>-workers}, one pod
 * per granted instance, each sized as one worker of the plan (V1: of its worker pool) less what the
 * plan's admitted apps request there ({@link AppDensity}). The apps run in Deployments of their
 * own (see {@code webapp/AppWorkloads}); this one holds the rest of the plan's capacity, so the
 * plan reserves {@code instances x size} however many apps it has. A plan with no apps holds all of
 * it; one whose apps take the whole instance runs no placeholder pod.
 */
public final class Workers {
    private Workers() {}

    public static Deployment deployment(EnvironmentTopology topology, IsolatedPlan plan, OperatorSettings settings) {
        String planName = plan.getMetadata().getName();
        InstanceSize size = topology.workerSize(plan);
        int apps = topology.admittedDeployments(plan);
        boolean windows = plan.getSpec().effectiveOs() == OperatingSystem.Windows;
        Container placeholder = windows
                ? CapacityPlaceholder.windowsContainer(size, WindowsPods.PLACEHOLDER_IMAGE)
                : CapacityPlaceholder.container(size, settings.placeholderImage());
        placeholder.setResources(AppDensity.placeholderResources(size, apps));
        int replicas = AppDensity.placeholderHoldsCapacity(size, apps) ? topology.grantedInstances(plan) : 0;
        Deployment deployment = new InstanceDeployment(
                        ResourceNames.workerDeployment(planName),
                        plan.getMetadata().getNamespace(),
                        StandardLabels.forPlan(topology.name(), planName),
                        StandardLabels.workerSelector(topology.name(), planName),
                        replicas,
                        Map.of(),
                        topology.environment().getSpec().effectiveZones(),
                        List.of(placeholder),
                        windows ? List.of() : List.of(CapacityPlaceholder.scratchVolume()))
                .build();
        if (windows) {
            // A Windows plan's instances are Windows nodes: its placeholder holds their capacity there.
            WindowsPods.convert(deployment.getSpec().getTemplate().getSpec(), PodSecurityLevel.Restricted);
        }
        return deployment;
    }
}
