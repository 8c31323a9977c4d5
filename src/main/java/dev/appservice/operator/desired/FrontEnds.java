package dev.appservice.operator.desired;

import dev.appservice.operator.api.AppServiceEnvironmentSpec;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.FrontEndTraffic;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.model.VipPorts;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.VolumeProjectionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Desired state of an environment's front ends: the nginx configuration (ConfigMaps) and the
 * Deployment that runs it. Pure functions of the {@link EnvironmentTopology}.
 *
 * <p>The pod template does not depend on the apps: the configuration is mounted as a directory
 * (a projected volume of the main ConfigMap and every possible shard ConfigMap, the shards
 * optional), which the kubelet updates in place, and {@link FrontEndProcess} reloads nginx
 * gracefully when it changes; likewise the apps' own certificates, copied into operator-owned
 * Secrets ({@link AppCertificates}) mounted as one projected directory whose every source is there
 * from the start, optional. So apps, host names and certificates reach running front ends
 * without a restart; only the front-end pods' own settings (size, image, count, TLS on or off,
 * zones) roll them, one at a time.
 */
public final class FrontEnds {
    public static final String CONTAINER_NAME = "nginx";
    /**
     * Allowed for the load balancer in front of the VIP to stop sending a stopping front end new
     * connections: cloud load balancers take 10 to 30 s to deregister a target (their health
     * checks' interval times the unhealthy threshold).
     */
    public static final int LOAD_BALANCER_DEREGISTRATION_SECONDS = 20;
    /**
     * nginx's {@code keepalive_time} for client connections: a connection older than this is
     * answered with {@code Connection: close} and closed after its next response. So a client's
     * keep-alive connection to a stopping front end ends cleanly, between two requests, before
     * nginx quits, instead of being closed under a request the client is sending (which a client
     * resends only if it is idempotent).
     */
    public static final int CLIENT_CONNECTION_SECONDS = 10;
    /**
     * Seconds a front end keeps serving after it is told to stop: the load balancer's
     * deregistration, then the client connections it has are recycled; then SIGTERM.
     */
    public static final int PRE_STOP_SECONDS = LOAD_BALANCER_DEREGISTRATION_SECONDS + CLIENT_CONNECTION_SECONDS;
    /** After SIGTERM, beyond the requests' own time ({@code requestTimeout}), for nginx's master to exit. */
    public static final int QUIT_MARGIN_SECONDS = 5;

    public static final int READINESS_PERIOD_SECONDS = 5;
    public static final int READINESS_FAILURE_THRESHOLD = 3;
    public static final int LIVENESS_PERIOD_SECONDS = 10;
    public static final int LIVENESS_FAILURE_THRESHOLD = 6;
    public static final int PROBE_TIMEOUT_SECONDS = 2;

    private FrontEnds() {}

    /** The main ConfigMap ({@code nginx.conf} and the first shard), then one per further shard. */
    public static List<ConfigMap> configMaps(EnvironmentTopology topology, FrontEndConfiguration configuration) {
        List<ConfigMap> maps = new ArrayList<>();
        Map<String, String> main = new TreeMap<>();
        main.put(NginxConfig.MAIN_FILE, configuration.main());
        int index = 0;
        for (Map.Entry<String, String> shard : configuration.shards().entrySet()) {
            if (index == 0) {
                main.put(shard.getKey(), shard.getValue());
                maps.add(configMap(topology, ResourceNames.frontEndConfig(topology.name()), main));
            } else {
                maps.add(configMap(
                        topology,
                        shardConfigMapName(topology.name(), index),
                        Map.of(shard.getKey(), shard.getValue())));
            }
            index++;
        }
        return maps;
    }

    /** The ConfigMap of shard {@code index} (1 to 15; shard 0 is in the main ConfigMap). */
    public static String shardConfigMapName(String environment, int index) {
        return ResourceNames.child(environment, String.format("frontend-config-%02d", index));
    }

    private static ConfigMap configMap(EnvironmentTopology topology, String name, Map<String, String> data) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(topology.namespace())
                .withLabels(StandardLabels.forEnvironment(topology.name(), StandardLabels.ROLE_FRONT_END))
                .withAnnotations(new TreeMap<>())
                .endMetadata()
                .withData(new TreeMap<>(data))
                .build();
    }

    public static Deployment deployment(EnvironmentTopology topology) {
        AppServiceEnvironmentSpec spec = topology.environment().getSpec();
        String name = topology.name();
        Map<String, String> selector = StandardLabels.roleSelector(name, StandardLabels.ROLE_FRONT_END);
        Map<String, String> labels = StandardLabels.forEnvironment(name, StandardLabels.ROLE_FRONT_END);
        String tlsSecret = spec.tlsSecretName();
        List<String> zones = spec.effectiveZones();

        List<VolumeProjection> sources = new ArrayList<>();
        sources.add(new VolumeProjectionBuilder()
                .withNewConfigMap()
                .withName(ResourceNames.frontEndConfig(name))
                .endConfigMap()
                .build());
        for (int i = 1; i < NginxConfig.MAX_SHARDS; i++) {
            sources.add(new VolumeProjectionBuilder()
                    .withNewConfigMap()
                    .withName(shardConfigMapName(name, i))
                    .withOptional(true)
                    .endConfigMap()
                    .build());
        }
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder()
                .withName("config")
                .withNewProjected()
                .withSources(sources)
                .endProjected()
                .build());
        // The apps' own certificates: every possible Secret of copies, optional, so one added later needs no restart.
        List<VolumeProjection> certificates = new ArrayList<>();
        for (int i = 0; i < AppCertificates.MAX_SECRETS; i++) {
            certificates.add(new VolumeProjectionBuilder()
                    .withNewSecret()
                    .withName(AppCertificates.secretName(name, i))
                    .withOptional(true)
                    .endSecret()
                    .build());
        }
        volumes.add(new VolumeBuilder()
                .withName("app-certificates")
                .withNewProjected()
                .withSources(certificates)
                .endProjected()
                .build());
        volumes.add(new VolumeBuilder()
                .withName("tmp")
                .withNewEmptyDir()
                .endEmptyDir()
                .build());
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(new VolumeMountBuilder()
                .withName("config")
                .withMountPath(NginxConfig.CONFIG_DIRECTORY)
                .withReadOnly(true)
                .build());
        mounts.add(new VolumeMountBuilder()
                .withName("app-certificates")
                .withMountPath(AppCertificates.DIRECTORY)
                .withReadOnly(true)
                .build());
        mounts.add(
                new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
        if (tlsSecret != null) {
            volumes.add(new VolumeBuilder()
                    .withName("tls")
                    .withNewSecret()
                    .withSecretName(tlsSecret)
                    .endSecret()
                    .build());
            mounts.add(new VolumeMountBuilder()
                    .withName("tls")
                    .withMountPath(NginxConfig.TLS_DIRECTORY)
                    .withReadOnly(true)
                    .build());
        }

        ContainerBuilder container = new ContainerBuilder()
                .withName(CONTAINER_NAME)
                .withImage(spec.effectiveFrontEndImage())
                .withCommand("/bin/sh", "-c", FrontEndProcess.SCRIPT);
        for (VipPorts.Mapping port : VipPorts.served(tlsSecret != null)) {
            container
                    .addNewPort()
                    .withName(port.name())
                    .withContainerPort(port.containerPort())
                    .withProtocol("TCP")
                    .endPort();
        }
        Container nginx = container
                .withResources(InstanceDeployment.resources(spec.effectiveFrontEndSize()))
                .withReadinessProbe(healthProbe(READINESS_PERIOD_SECONDS, READINESS_FAILURE_THRESHOLD))
                .withLivenessProbe(healthProbe(LIVENESS_PERIOD_SECONDS, LIVENESS_FAILURE_THRESHOLD))
                .withNewLifecycle()
                .withNewPreStop()
                .withNewExec()
                .withCommand("/bin/sleep", Integer.toString(PRE_STOP_SECONDS))
                .endExec()
                .endPreStop()
                .endLifecycle()
                .withSecurityContext(PodSecurity.restrictedContainer())
                .withVolumeMounts(mounts)
                .build();

        Deployment deployment = new InstanceDeployment(
                        ResourceNames.frontEndDeployment(name),
                        topology.namespace(),
                        labels,
                        selector,
                        topology.frontEndCount(),
                        Map.of(),
                        zones,
                        List.of(nginx),
                        volumes)
                .build();
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        pod.setTopologySpreadConstraints(ZonePlacement.spreadAcrossNodes(zones, selector));
        pod.setTerminationGracePeriodSeconds(terminationGraceSeconds(spec));
        return deployment;
    }

    /**
     * The pre-stop pause, then the longest a request may still take ({@code requestTimeout}, which
     * also bounds nginx's old workers, {@code worker_shutdown_timeout}), then the master's exit.
     */
    public static long terminationGraceSeconds(AppServiceEnvironmentSpec spec) {
        long requestSeconds = (FrontEndTraffic.of(spec).requestTimeout().toMillis() + 999) / 1000;
        return PRE_STOP_SECONDS + requestSeconds + QUIT_MARGIN_SECONDS;
    }

    private static Probe healthProbe(int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath(NginxConfig.HEALTH_PATH)
                .withPort(new IntOrString("management"))
                .endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withFailureThreshold(failureThreshold)
                .withTimeoutSeconds(PROBE_TIMEOUT_SECONDS)
                .build();
    }
}
