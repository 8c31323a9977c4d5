package dev.appservice.operator.plan;

import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.environment.FrontEnds;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.PodSecurity;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.model.ZonePlacement;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
                .withResources(FrontEnds.resources(topology.workerSize(plan)))
                .withReadinessProbe(tcpProbe(5))
                .withLivenessProbe(tcpProbe(10))
                .withSecurityContext(PodSecurity.restrictedContainer())
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .build();

        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(ResourceNames.workerDeployment(planName))
                .withNamespace(plan.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(new TreeMap<>())
                .endMetadata()
                .withNewSpec()
                .withReplicas(topology.grantedInstances(plan))
                .withNewSelector().withMatchLabels(selector).endSelector()
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate().withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString(1)).endRollingUpdate()
                .endStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withSecurityContext(PodSecurity.restrictedPod(PodSecurity.NGINX_UID))
                .withAffinity(ZonePlacement.affinity(zones))
                .withTopologySpreadConstraints(ZonePlacement.spread(zones, selector))
                .withContainers(placeholder)
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Probe tcpProbe(int periodSeconds) {
        return new ProbeBuilder()
                .withNewTcpSocket().withPort(new IntOrString(PLACEHOLDER_PORT)).endTcpSocket()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(2)
                .build();
    }
}
