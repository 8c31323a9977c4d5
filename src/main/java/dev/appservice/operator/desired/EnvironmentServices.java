package dev.appservice.operator.desired;

import dev.appservice.operator.api.AppServiceEnvironmentSpec;
import dev.appservice.operator.api.ServiceType;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.model.VipPorts;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Desired state of an environment's Services, all selecting its front ends:
 * <ul>
 * <li>the VIP: External = LoadBalancer, Internal = ClusterIP (or {@code loadBalancer.serviceType}),
 * with {@code externalTrafficPolicy: Local} when it is reached from outside the cluster, so that
 * the front ends see client addresses and the NSG's address rules can match them;</li>
 * <li>the internal (ILB) address: always ClusterIP, HTTP and HTTPS;</li>
 * <li>the management endpoint, VIP ports 454 and 455: ClusterIP.</li>
 * </ul>
 */
public final class EnvironmentServices {

    private EnvironmentServices() {}

    public static Service vip(EnvironmentTopology topology) {
        AppServiceEnvironmentSpec spec = topology.environment().getSpec();
        ServiceType type = spec.effectiveServiceType();
        Map<String, String> annotations =
                spec.getLoadBalancer() == null || spec.getLoadBalancer().getAnnotations() == null
                        ? null
                        : new TreeMap<>(spec.getLoadBalancer().getAnnotations());
        ServiceBuilder builder = base(topology, ResourceNames.vipService(topology.name()), "vip", annotations);
        var specBuilder = builder.editSpec().withType(type.name()).withPorts(appPorts(spec));
        if (type != ServiceType.ClusterIP) {
            specBuilder.withExternalTrafficPolicy("Local");
        }
        return specBuilder.endSpec().build();
    }

    public static Service internal(EnvironmentTopology topology) {
        return base(topology, ResourceNames.internalService(topology.name()), "internal", null)
                .editSpec()
                .withType(ServiceType.ClusterIP.name())
                .withPorts(appPorts(topology.environment().getSpec()))
                .endSpec()
                .build();
    }

    public static Service management(EnvironmentTopology topology) {
        return base(topology, ResourceNames.managementService(topology.name()), "management", null)
                .editSpec()
                .withType(ServiceType.ClusterIP.name())
                .withPorts(VipPorts.served(false).stream()
                        .filter(p -> p.vipPort() == VipPorts.MANAGEMENT || p.vipPort() == VipPorts.MANAGEMENT_SECONDARY)
                        .map(p -> port(p.name(), p.vipPort(), p.containerPort()))
                        .toList())
                .endSpec()
                .build();
    }

    private static ServiceBuilder base(
            EnvironmentTopology topology, String name, String component, Map<String, String> annotations) {
        Map<String, String> labels = StandardLabels.forEnvironment(topology.name(), StandardLabels.ROLE_FRONT_END);
        labels.put(StandardLabels.COMPONENT, component);
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(topology.namespace())
                .withLabels(labels)
                .withAnnotations(annotations == null ? new TreeMap<>() : annotations)
                .endMetadata()
                .withNewSpec()
                .withSelector(StandardLabels.roleSelector(topology.name(), StandardLabels.ROLE_FRONT_END))
                .endSpec();
    }

    private static List<ServicePort> appPorts(AppServiceEnvironmentSpec spec) {
        List<ServicePort> ports = new ArrayList<>();
        for (VipPorts.Mapping p : VipPorts.served(spec.tlsSecretName() != null)) {
            if (p.vipPort() == VipPorts.HTTP || p.vipPort() == VipPorts.HTTPS) {
                ports.add(port(p.name(), p.vipPort(), p.containerPort()));
            }
        }
        return ports;
    }

    private static ServicePort port(String name, int port, int targetPort) {
        return new ServicePortBuilder()
                .withName(name)
                .withProtocol("TCP")
                .withPort(port)
                .withTargetPort(new IntOrString(targetPort))
                .build();
    }
}
