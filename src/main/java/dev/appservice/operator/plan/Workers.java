package dev.appservice.operator.plan;

import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.model.CapacityPlaceholder;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.InstanceDeployment;
import dev.appservice.operator.model.PodSecurity;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Desired state of a plan's workers: one Deployment, one pod per granted instance, each pod sized
 * as one worker of the plan (V1: of its worker pool) and holding one container per app of the
 * plan. The apps share the instance: their requests add up to its size and each may burst to all
 * of it. A plan with no apps runs one placeholder container that holds the capacity. A Service in
 * front of the workers exposes the apps' ports to the front ends.
 */
public final class Workers {
    public static final String APP_PORT_PREFIX = "app-";

    private Workers() {
    }

    public static Deployment deployment(EnvironmentTopology topology, IsolatedPlan plan, OperatorSettings settings) {
        String planName = plan.getMetadata().getName();
        InstanceSize size = topology.workerSize(plan);
        List<WebApp> apps = topology.apps(plan);
        List<Container> containers = new ArrayList<>();
        for (int i = 0; i < apps.size(); i++) {
            containers.add(appContainer(apps.get(i), i, size, apps.size()));
        }
        if (containers.isEmpty()) {
            containers.add(CapacityPlaceholder.container(size, settings.placeholderImage()));
        }
        return new InstanceDeployment(ResourceNames.workerDeployment(planName), plan.getMetadata().getNamespace(),
                StandardLabels.forPlan(topology.name(), planName), StandardLabels.workerSelector(topology.name(), planName),
                topology.grantedInstances(plan), Map.of(), topology.environment().getSpec().effectiveZones(),
                containers, List.of(CapacityPlaceholder.scratchVolume())).build();
    }

    /** The Service the front ends proxy to: one port per app. Only for plans with apps. */
    public static Service service(EnvironmentTopology topology, IsolatedPlan plan) {
        String planName = plan.getMetadata().getName();
        List<ServicePort> ports = new ArrayList<>();
        List<WebApp> apps = topology.apps(plan);
        for (int i = 0; i < apps.size(); i++) {
            int port = apps.get(i).getSpec().effectivePort();
            ports.add(new ServicePortBuilder().withName(APP_PORT_PREFIX + i).withProtocol("TCP").withPort(port)
                    .withTargetPort(new IntOrString(port)).build());
        }
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(ResourceNames.workerService(planName))
                .withNamespace(plan.getMetadata().getNamespace())
                .withLabels(StandardLabels.forPlan(topology.name(), planName))
                .withAnnotations(new TreeMap<>())
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(StandardLabels.workerSelector(topology.name(), planName))
                .withPorts(ports)
                .endSpec()
                .build();
    }

    static Container appContainer(WebApp app, int index, InstanceSize size, int apps) {
        int port = app.getSpec().effectivePort();
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName("PORT").withValue(Integer.toString(port)).build());
        if (app.getSpec().getEnv() != null) {
            app.getSpec().getEnv().stream().filter(e -> !"PORT".equals(e.getName())).forEach(env::add);
        }
        Map<String, Quantity> requests = new TreeMap<>();
        requests.put("cpu", new Quantity(size.cpuShare(apps, index == 0)));
        requests.put("memory", new Quantity(size.memoryShare(apps, index == 0)));
        Map<String, Quantity> limits = new TreeMap<>();
        limits.put("cpu", new Quantity(size.cpuQuantity()));
        limits.put("memory", new Quantity(size.memoryQuantity()));
        return new ContainerBuilder()
                .withName(ResourceNames.containerName(app.getMetadata().getName()))
                .withImage(app.getSpec().getImage())
                .addNewPort().withName(APP_PORT_PREFIX + index).withContainerPort(port).withProtocol("TCP").endPort()
                .withEnv(env)
                .withResources(new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build())
                .withReadinessProbe(probe(app, 5, 3))
                .withLivenessProbe(probe(app, 10, 6))
                .withSecurityContext(PodSecurity.restrictedContainer(false))
                .build();
    }

    private static Probe probe(WebApp app, int periodSeconds, int failureThreshold) {
        int port = app.getSpec().effectivePort();
        ProbeBuilder probe = new ProbeBuilder().withPeriodSeconds(periodSeconds).withFailureThreshold(failureThreshold).withTimeoutSeconds(2);
        if (app.getSpec().getHealthCheckPath() != null) {
            probe.withNewHttpGet().withPath(app.getSpec().getHealthCheckPath()).withPort(new IntOrString(port)).endHttpGet();
        } else {
            probe.withNewTcpSocket().withPort(new IntOrString(port)).endTcpSocket();
        }
        return probe.build();
    }
}
