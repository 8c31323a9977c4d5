package dev.appservice.operator.plan;

import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.InstanceDeployment;
import dev.appservice.operator.model.PodSecurity;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;

/**
 * Desired state of a plan's workers: one Deployment, one pod per granted instance, each pod sized
 * as one worker of the plan. A plan with no apps yet runs one placeholder container per pod that
 * holds the instance's capacity (an unprivileged nginx that answers its probes).
 */
public final class Workers {
    public static final String PLACEHOLDER_CONTAINER = "capacity";
    public static final int PLACEHOLDER_PORT = 8080;

    private Workers() {
    }

    public static Deployment deployment(EnvironmentTopology topology, IsolatedPlan plan, OperatorSettings settings) {
        String planName = plan.getMetadata().getName();
        Map<String, String> selector = StandardLabels.workerSelector(topology.name(), planName);
        Map<String, String> labels = StandardLabels.forPlan(topology.name(), planName);
        List<String> zones = topology.environment().getSpec().effectiveZones();

        Container placeholder = new ContainerBuilder()
                .withName(PLACEHOLDER_CONTAINER)
                .withImage(settings.placeholderImage())
                .addNewPort().withName("placeholder").withContainerPort(PLACEHOLDER_PORT).withProtocol("TCP").endPort()
                .withResources(InstanceDeployment.resources(topology.workerSize(plan)))
                .withReadinessProbe(tcpProbe(5))
                .withLivenessProbe(tcpProbe(10))
                .withSecurityContext(PodSecurity.restrictedContainer())
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .build();

        return new InstanceDeployment(ResourceNames.workerDeployment(planName), plan.getMetadata().getNamespace(), labels, selector,
                topology.grantedInstances(plan), Map.of(), zones, List.of(placeholder),
                List.of(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build())).build();
    }

    private static Probe tcpProbe(int periodSeconds) {
        return new ProbeBuilder()
                .withNewTcpSocket().withPort(new IntOrString(PLACEHOLDER_PORT)).endTcpSocket()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(2)
                .build();
    }
}
