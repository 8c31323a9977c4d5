package dev.appservice.operator.desired;

import dev.appservice.operator.api.InstanceSize;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;

/**
 * The container that holds capacity nothing else requests: on a plan instance, what the plan's apps
 * do not request (all of it while the plan has no apps; see AppDensity), or a free worker of a V1
 * pool. Requests = limits, so the reservation is real; it answers its probes (an unprivileged nginx
 * on port 8080).
 */
public final class CapacityPlaceholder {
    public static final String CONTAINER_NAME = "capacity";
    public static final int PORT = 8080;

    private CapacityPlaceholder() {}

    public static Container container(InstanceSize size, String image) {
        return new ContainerBuilder()
                .withName(CONTAINER_NAME)
                .withImage(image)
                .addNewPort()
                .withName("placeholder")
                .withContainerPort(PORT)
                .withProtocol("TCP")
                .endPort()
                .withResources(InstanceDeployment.resources(size))
                .withReadinessProbe(tcpProbe(5))
                .withLivenessProbe(tcpProbe(10))
                .withSecurityContext(PodSecurity.restrictedContainer())
                .addNewVolumeMount()
                .withName("tmp")
                .withMountPath("/tmp")
                .endVolumeMount()
                .build();
    }

    /**
     * The placeholder on a Windows instance: the pause image (see {@code desired/WindowsPods}), which
     * listens on no port, so it has no probes (it is ready once it runs) and needs no scratch space;
     * its security context is the Windows one the caller gives its pod.
     */
    public static Container windowsContainer(InstanceSize size, String image) {
        return new ContainerBuilder()
                .withName(CONTAINER_NAME)
                .withImage(image)
                .withResources(InstanceDeployment.resources(size))
                .build();
    }

    /** The writable scratch space the container mounts at /tmp (its root file system is read-only). */
    public static Volume scratchVolume() {
        return new VolumeBuilder()
                .withName("tmp")
                .withNewEmptyDir()
                .endEmptyDir()
                .build();
    }

    private static Probe tcpProbe(int periodSeconds) {
        return new ProbeBuilder()
                .withNewTcpSocket()
                .withPort(new IntOrString(PORT))
                .endTcpSocket()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(2)
                .build();
    }
}
