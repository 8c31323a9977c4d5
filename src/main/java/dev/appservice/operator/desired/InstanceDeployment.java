package dev.appservice.operator.desired;

import dev.appservice.operator.api.InstanceSize;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Deployment whose every pod is one instance (a front end or a plan's worker): rolled one pod
 * at a time without losing capacity (max surge 1, max unavailable 0), placed by the environment's
 * zones, restricted pod security, no service-account token and no service links.
 */
public record InstanceDeployment(
        String name,
        String namespace,
        Map<String, String> labels,
        Map<String, String> selector,
        int replicas,
        Map<String, String> podAnnotations,
        List<String> zones,
        List<Container> containers,
        List<Volume> volumes) {

    /**
     * Built from the model's constructors rather than its fluent builders: the builders copy every
     * nested object (containers, probes, volumes) twice, and this runs for every instance
     * Deployment on every reconcile and for every one {@code render} prints.
     */
    public Deployment build() {
        ObjectMeta metadata = new ObjectMeta();
        metadata.setName(name);
        metadata.setNamespace(namespace);
        metadata.setLabels(new LinkedHashMap<>(labels));
        metadata.setAnnotations(new TreeMap<>());

        ObjectMeta podMetadata = new ObjectMeta();
        podMetadata.setLabels(new LinkedHashMap<>(labels));
        podMetadata.setAnnotations(podAnnotations.isEmpty() ? null : new LinkedHashMap<>(podAnnotations));
        PodSpec pod = new PodSpec();
        pod.setAutomountServiceAccountToken(false);
        pod.setEnableServiceLinks(false);
        pod.setSecurityContext(PodSecurity.restrictedPod(PodSecurity.NGINX_UID));
        pod.setAffinity(ZonePlacement.affinity(zones));
        pod.setTopologySpreadConstraints(ZonePlacement.spread(zones, selector));
        pod.setTerminationGracePeriodSeconds(30L);
        pod.setContainers(new ArrayList<>(containers));
        pod.setVolumes(new ArrayList<>(volumes));
        PodTemplateSpec template = new PodTemplateSpec();
        template.setMetadata(podMetadata);
        template.setSpec(pod);

        RollingUpdateDeployment rollingUpdate = new RollingUpdateDeployment();
        rollingUpdate.setMaxUnavailable(new IntOrString(0));
        rollingUpdate.setMaxSurge(new IntOrString(1));
        DeploymentStrategy strategy = new DeploymentStrategy();
        strategy.setType("RollingUpdate");
        strategy.setRollingUpdate(rollingUpdate);
        LabelSelector podSelector = new LabelSelector();
        podSelector.setMatchLabels(new LinkedHashMap<>(selector));
        DeploymentSpec spec = new DeploymentSpec();
        spec.setReplicas(replicas);
        spec.setSelector(podSelector);
        spec.setStrategy(strategy);
        spec.setTemplate(template);

        Deployment deployment = new Deployment();
        deployment.setMetadata(metadata);
        deployment.setSpec(spec);
        return deployment;
    }

    /** Whether a Deployment is rolled out and has every replica ready, at its current generation. */
    public static boolean readyAtGeneration(Deployment deployment) {
        var status = deployment.getStatus();
        int replicas = deployment.getSpec() == null || deployment.getSpec().getReplicas() == null
                ? 1
                : deployment.getSpec().getReplicas();
        return status != null
                && status.getObservedGeneration() != null
                && deployment.getMetadata().getGeneration() != null
                && status.getObservedGeneration() >= deployment.getMetadata().getGeneration()
                && (status.getReadyReplicas() == null ? 0 : status.getReadyReplicas()) >= replicas;
    }

    /** Requests equal limits: a front end or worker instance is a fixed reservation of its size. */
    public static ResourceRequirements resources(InstanceSize size) {
        Map<String, Quantity> amounts = new TreeMap<>();
        amounts.put("cpu", new Quantity(size.cpuQuantity()));
        amounts.put("memory", new Quantity(size.memoryQuantity()));
        return new ResourceRequirementsBuilder()
                .withRequests(amounts)
                .withLimits(amounts)
                .build();
    }
}
