package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironmentSpec;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.model.Checksums;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.InstanceDeployment;
import dev.appservice.operator.model.PodSecurity;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.model.VipPorts;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Desired state of an environment's front ends: the nginx configuration and the Deployment that
 * runs it. Pure functions of the {@link EnvironmentTopology}.
 */
public final class FrontEnds {
    public static final String CONFIG_KEY = "nginx.conf";
    public static final String CONFIG_CHECKSUM_ANNOTATION = "appservice.dev/config-checksum";
    public static final String CONTAINER_NAME = "nginx";

    private FrontEnds() {
    }

    public static ConfigMap configMap(EnvironmentTopology topology, OperatorSettings settings) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(ResourceNames.frontEndConfig(topology.name()))
                .withNamespace(topology.namespace())
                .withLabels(StandardLabels.forEnvironment(topology.name(), StandardLabels.ROLE_FRONT_END))
                .withAnnotations(new TreeMap<>())
                .endMetadata()
                .withData(new TreeMap<>(Map.of(CONFIG_KEY, NginxConfig.render(topology, settings.upstreams()))))
                .build();
    }

    public static Deployment deployment(EnvironmentTopology topology, OperatorSettings settings) {
        AppServiceEnvironmentSpec spec = topology.environment().getSpec();
        String name = topology.name();
        Map<String, String> selector = StandardLabels.roleSelector(name, StandardLabels.ROLE_FRONT_END);
        Map<String, String> labels = StandardLabels.forEnvironment(name, StandardLabels.ROLE_FRONT_END);
        String tlsSecret = spec.tlsSecretName();
        List<String> zones = spec.effectiveZones();

        Map<String, String> podAnnotations = new LinkedHashMap<>();
        podAnnotations.put(CONFIG_CHECKSUM_ANNOTATION, Checksums.sha256(NginxConfig.render(topology, settings.upstreams())));

        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName("config")
                .withNewConfigMap().withName(ResourceNames.frontEndConfig(name)).endConfigMap().build());
        volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(new VolumeMountBuilder().withName("config").withMountPath("/etc/nginx/nginx.conf")
                .withSubPath(CONFIG_KEY).withReadOnly(true).build());
        mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
        if (tlsSecret != null) {
            volumes.add(new VolumeBuilder().withName("tls").withNewSecret().withSecretName(tlsSecret).endSecret().build());
            mounts.add(new VolumeMountBuilder().withName("tls").withMountPath(NginxConfig.TLS_DIRECTORY).withReadOnly(true).build());
        }

        ContainerBuilder container = new ContainerBuilder()
                .withName(CONTAINER_NAME)
                .withImage(spec.effectiveFrontEndImage());
        for (VipPorts.Mapping port : VipPorts.served(tlsSecret != null)) {
            container.addNewPort().withName(port.name()).withContainerPort(port.containerPort()).withProtocol("TCP").endPort();
        }
        Container nginx = container
                .withResources(InstanceDeployment.resources(spec.effectiveFrontEndSize()))
                .withReadinessProbe(healthProbe(5, 3))
                .withLivenessProbe(healthProbe(10, 6))
                .withSecurityContext(PodSecurity.restrictedContainer())
                .withVolumeMounts(mounts)
                .build();

        return new InstanceDeployment(ResourceNames.frontEndDeployment(name), topology.namespace(), labels, selector,
                topology.frontEndCount(), podAnnotations, zones, List.of(nginx), volumes).build();
    }

    private static Probe healthProbe(int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(NginxConfig.HEALTH_PATH).withPort(new IntOrString("management")).endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withFailureThreshold(failureThreshold)
                .withTimeoutSeconds(2)
                .build();
    }
}
