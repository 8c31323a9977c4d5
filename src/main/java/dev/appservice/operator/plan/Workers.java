package dev.appservice.operator.plan;

import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.model.CapacityPlaceholder;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.InstanceDeployment;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;

/**
 * Desired state of a plan's workers: one Deployment, one pod per granted instance, each pod sized
 * as one worker of the plan (V1: of its worker pool). A plan with no apps yet runs one placeholder
 * container per pod that holds the instance's capacity.
 */
public final class Workers {

    private Workers() {
    }

    public static Deployment deployment(EnvironmentTopology topology, IsolatedPlan plan, OperatorSettings settings) {
        String planName = plan.getMetadata().getName();
        return new InstanceDeployment(ResourceNames.workerDeployment(planName), plan.getMetadata().getNamespace(),
                StandardLabels.forPlan(topology.name(), planName), StandardLabels.workerSelector(topology.name(), planName),
                topology.grantedInstances(plan), Map.of(), topology.environment().getSpec().effectiveZones(),
                List.of(CapacityPlaceholder.container(topology.workerSize(plan), settings.placeholderImage())),
                List.of(CapacityPlaceholder.scratchVolume())).build();
    }
}
