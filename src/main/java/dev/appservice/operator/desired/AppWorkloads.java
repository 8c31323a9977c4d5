package dev.appservice.operator.desired;

import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.OperatingSystem;
import dev.appservice.operator.api.PodSecurityLevel;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.AppDensity;
import dev.appservice.operator.model.AppDeployments;
import dev.appservice.operator.model.AppServices;
import dev.appservice.operator.model.EndpointDrain;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.PlatformVariables;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.model.StartTimeLimit;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Desired state of what runs one app: a Deployment with one pod per instance of its plan (spread
 * across nodes, placed by the environment's zones) holding only the app's container, and a
 * ClusterIP Service selecting only those pods, so each app is rolled, probed and routed on its own.
 * Both depend on the app, its plan's worker size and granted instances and the environment's zones,
 * never on the plan's other apps. Built the same way by the WebApp controller and {@code render}.
 */
public final class AppWorkloads {
    /** The name of the app's port, on its container and its Service. */
    public static final String PORT_NAME = "http";

    /** An instance whose port stops accepting connections is restarted after this many checks... */
    public static final int LIVENESS_FAILURE_THRESHOLD = 3;
    /** ...this far apart. */
    public static final int LIVENESS_PERIOD_SECONDS = 10;

    private AppWorkloads() {}

    /** The app's Deployment: replicas = the instances the environment grants its plan. */
    public static Deployment deployment(EnvironmentTopology topology, IsolatedPlan plan, WebApp app) {
        String appName = app.getMetadata().getName();
        return deployment(
                topology,
                plan,
                app,
                ResourceNames.appWorkload(appName),
                topology.defaultHostName(appName),
                StandardLabels.forApp(topology.name(), plan.getMetadata().getName(), appName),
                StandardLabels.appSelector(topology.name(), appName),
                StandardLabels.forAppPods(topology.name(), appName),
                AppDeployments.PRODUCTION);
    }

    /**
     * A Deployment running the app's container (as {@code app} describes it) under the given name,
     * labels and selector, served at {@code hostName}: one of the app's {@code deployments}
     * (production or a slot's), on its plan's operating system; a function app's with the Functions
     * host's settings and the deployment's keys ({@link FunctionHost}).
     */
    static Deployment deployment(
            EnvironmentTopology topology,
            IsolatedPlan plan,
            WebApp app,
            String name,
            String hostName,
            Map<String, String> labels,
            Map<String, String> selector,
            Map<String, String> podLabels,
            String deploymentName) {
        PodSecurityLevel level = topology.environment().getSpec().effectivePodSecurity();
        Container container = container(app, topology.workerSize(plan), level, hostName);
        List<Volume> volumes = new ArrayList<>(AppPlatform.volumes());
        if (app.getSpec().functionApp() && app.getSpec().getFunctions() != null) {
            volumes.add(FunctionHost.keysVolume(app.getMetadata().getName(), deploymentName));
        }
        Deployment deployment = new InstanceDeployment(
                        name,
                        app.getMetadata().getNamespace(),
                        labels,
                        selector,
                        topology.grantedInstances(plan),
                        Map.of(),
                        topology.environment().getSpec().effectiveZones(),
                        List.of(container),
                        volumes)
                .build();
        deployment.getSpec().getTemplate().getSpec().setSecurityContext(AppPlatform.podSecurity(level, app.getSpec()));
        if (plan.getSpec().effectiveOs() == OperatingSystem.Windows) {
            WindowsPods.convert(deployment.getSpec().getTemplate().getSpec(), level);
        }
        Map<String, String> templateLabels = new LinkedHashMap<>(podLabels);
        if (topology.environment().getSpec().egressGateway().isPresent()) {
            // What the egress gateway and other environments' NSGs select these pods by.
            templateLabels.put(StandardLabels.OUTBOUND, StandardLabels.OUTBOUND_EGRESS_GATEWAY);
        }
        deployment.getSpec().getTemplate().getMetadata().setLabels(templateLabels);
        deployment.getSpec().getTemplate().getSpec().setTerminationGracePeriodSeconds((long)
                EndpointDrain.appTerminationGraceSeconds());
        return deployment;
    }

    /** The app's Service ({@link AppServices#service}), on the app's port. */
    public static Service service(EnvironmentTopology topology, IsolatedPlan plan, WebApp app) {
        String appName = app.getMetadata().getName();
        int port = AppServices.port(app);
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(AppServices.service(app))
                .withNamespace(app.getMetadata().getNamespace())
                .withLabels(StandardLabels.forApp(
                        topology.name(), plan.getMetadata().getName(), appName))
                .withAnnotations(new TreeMap<>())
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(StandardLabels.appSelector(topology.name(), appName))
                .addNewPort()
                .withName(PORT_NAME)
                .withProtocol("TCP")
                .withPort(port)
                .withTargetPort(new IntOrString(port))
                .endPort()
                .endSpec()
                .build();
    }

    /**
     * The app's container, served at {@code hostName}, at the environment's Pod Security
     * {@code level}: the platform's variables and scratch directories ({@link AppPlatform}), and
     * its last log lines as its termination message when it fails.
     */
    public static Container container(WebApp app, InstanceSize size, PodSecurityLevel level, String hostName) {
        int port = app.getSpec().effectivePort();
        List<EnvVar> env = AppPlatform.env(
                app.getMetadata().getName(), hostName, port, app.getSpec().getEnv());
        List<VolumeMount> mounts = new ArrayList<>(AppPlatform.mounts());
        if (app.getSpec().functionApp() && app.getSpec().getFunctions() != null) {
            // After the platform variables, before the app's own (which may not redefine them).
            env.addAll(
                    PlatformVariables.RESERVED.size(),
                    FunctionHost.env(app.getSpec().getFunctions()));
            mounts.add(FunctionHost.keysMount());
        }
        return new ContainerBuilder()
                .withName(ResourceNames.containerName(app.getMetadata().getName()))
                .withImage(app.getSpec().getImage())
                .addNewPort()
                .withName(PORT_NAME)
                .withContainerPort(port)
                .withProtocol("TCP")
                .endPort()
                .withEnv(env)
                .withVolumeMounts(mounts)
                .withTerminationMessagePolicy(AppPlatform.TERMINATION_MESSAGE_POLICY)
                .withResources(AppDensity.appResources(size))
                .withStartupProbe(portProbe(
                        port,
                        StartTimeLimit.STARTUP_PERIOD_SECONDS,
                        StartTimeLimit.failureThreshold(StartTimeLimit.of(app.getSpec()))))
                .withReadinessProbe(readinessProbe(app))
                .withLivenessProbe(portProbe(port, LIVENESS_PERIOD_SECONDS, LIVENESS_FAILURE_THRESHOLD))
                // Serve on while the endpoint goes and the front ends' pooled connections are recycled, then SIGTERM.
                .withNewLifecycle()
                .withNewPreStop()
                .withNewSleep()
                .withSeconds((long) EndpointDrain.appPreStopSeconds())
                .endSleep()
                .endPreStop()
                .endLifecycle()
                .withSecurityContext(AppPlatform.containerSecurity(level))
                .build();
    }

    /** Readiness on {@code healthCheckPath}, else the port: out of the endpoints within {@link EndpointDrain#readinessDetectionSeconds()}. */
    private static Probe readinessProbe(WebApp app) {
        if (app.getSpec().getHealthCheckPath() == null) {
            return portProbe(
                    app.getSpec().effectivePort(),
                    EndpointDrain.READINESS_PERIOD_SECONDS,
                    EndpointDrain.READINESS_FAILURE_THRESHOLD);
        }
        return new ProbeBuilder()
                .withPeriodSeconds(EndpointDrain.READINESS_PERIOD_SECONDS)
                .withFailureThreshold(EndpointDrain.READINESS_FAILURE_THRESHOLD)
                .withTimeoutSeconds(EndpointDrain.PROBE_TIMEOUT_SECONDS)
                .withNewHttpGet()
                .withPath(app.getSpec().getHealthCheckPath())
                .withPort(new IntOrString(app.getSpec().effectivePort()))
                .endHttpGet()
                .build();
    }

    /** A check that the port accepts connections. */
    private static Probe portProbe(int port, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withPeriodSeconds(periodSeconds)
                .withFailureThreshold(failureThreshold)
                .withTimeoutSeconds(EndpointDrain.PROBE_TIMEOUT_SECONDS)
                .withNewTcpSocket()
                .withPort(new IntOrString(port))
                .endTcpSocket()
                .build();
    }
}
