package dev.appservice.operator.e2e;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/**
 * The cluster's nodes: kwok plays their kubelets (the annotation below tells it which nodes are
 * its own). One Linux node per zone of the examples ({@code zones: ["1", "2", "3"]}), each large enough
 * for the benchmark's 100 environments, so that scheduling is decided by the operator's placement rules, not by
 * room; and one Windows node per zone for the Windows plan's pods, labelled and tainted as Windows
 * node pools usually are ({@code kubernetes.io/os: windows}, {@code os=windows:NoSchedule}), so
 * that nothing else lands there.
 */
final class KwokNodes {
    static final String MANAGED_ANNOTATION = "kwok.x-k8s.io/node";
    static final List<String> ZONES = List.of("1", "2", "3");
    private static final Map<String, Quantity> CAPACITY = Map.of(
            "cpu", new Quantity("2000"),
            "memory", new Quantity("8Ti"),
            "pods", new Quantity("3000"),
            "ephemeral-storage", new Quantity("1Ti"));

    private KwokNodes() {}

    static List<String> create(KubernetesClient client) {
        List<String> names = new java.util.ArrayList<>(ZONES.stream()
                .map(zone -> create(client, "e2e-node-" + zone, zone, "linux"))
                .toList());
        ZONES.forEach(zone -> names.add(create(client, "e2e-windows-node-" + zone, zone, "windows")));
        return names;
    }

    private static String create(KubernetesClient client, String name, String zone, String os) {
        Node node = new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .addToAnnotations(MANAGED_ANNOTATION, "fake")
                .addToLabels("kubernetes.io/hostname", name)
                .addToLabels("kubernetes.io/os", os)
                .addToLabels("kubernetes.io/arch", "amd64")
                .addToLabels("topology.kubernetes.io/zone", zone)
                .addToLabels("type", "kwok")
                .endMetadata()
                .withNewSpec()
                .withTaints(
                        os.equals("windows")
                                ? List.of(
                                        new io.fabric8.kubernetes.api.model.Taint("NoSchedule", "os", null, "windows"))
                                : List.of())
                .endSpec()
                .withNewStatus()
                .withCapacity(CAPACITY)
                .withAllocatable(CAPACITY)
                .endStatus()
                .build();
        client.resource(node).create();
        return name;
    }
}
