package dev.appservice.operator.model;

import dev.appservice.operator.api.InstanceSize;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Deployment whose every pod is one instance (a front end or a plan's worker): rolled one pod
 * at a time without losing capacity (max surge 1, max unavailable 0), placed by the environment's
 * zones, restricted pod security, no service-account token and no service links.
 */
public record InstanceDeployment(String name, String namespace, Map<String, String> labels, Map<String, String> selector,
        int replicas, Map<String, String> podAnnotations, List<String> zones, List<Container> containers, List<Volume> volumes) {

    public Deployment build() {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(labels)
                .withAnnotations(new TreeMap<>())
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector().withMatchLabels(selector).endSelector()
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate().withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString(1)).endRollingUpdate()
                .endStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).withAnnotations(podAnnotations.isEmpty() ? null : podAnnotations).endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withSecurityContext(PodSecurity.restrictedPod(PodSecurity.NGINX_UID))
                .withAffinity(ZonePlacement.affinity(zones))
                .withTopologySpreadConstraints(ZonePlacement.spread(zones, selector))
                .withTerminationGracePeriodSeconds(30L)
                .withContainers(containers)
                .withVolumes(volumes)
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** Requests equal limits: a front end or worker instance is a fixed reservation of its size. */
    public static ResourceRequirements resources(InstanceSize size) {
        Map<String, Quantity> amounts = new TreeMap<>();
        amounts.put("cpu", new Quantity(size.cpuQuantity()));
        amounts.put("memory", new Quantity(size.memoryQuantity()));
        return new ResourceRequirementsBuilder().withRequests(amounts).withLimits(amounts).build();
    }
}
