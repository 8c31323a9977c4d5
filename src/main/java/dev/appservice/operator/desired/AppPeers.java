package dev.appservice.operator.desired;

import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The NetworkPolicy that lets an app's instances reach each other: its own pods and its slots'
 * pods accept connections, on any port, from one another. The environment's worker policy admits
 * only the front ends to every app pod (isolation by default: one app cannot call another's pods
 * and bypass its access restrictions); policies add up, so with this one an app's instances also
 * reach their siblings, as the instances of one App Service app do inside their virtual network.
 * Owned by the app, so it goes with it.
 */
public final class AppPeers {
    /** The policy's name suffix: {@code <app>-peers}, cut and hashed as every child name. */
    static final String SUFFIX = "peers";

    private AppPeers() {}

    public static String name(String app) {
        return ResourceNames.child(app, SUFFIX);
    }

    public static NetworkPolicy of(EnvironmentTopology topology, WebApp app) {
        String appName = app.getMetadata().getName();
        LabelSelector instances = instancesOf(topology, app);
        Map<String, String> labels = new TreeMap<>(StandardLabels.forAppPods(topology.name(), appName));
        labels.keySet()
                .retainAll(List.of(
                        StandardLabels.NAME,
                        StandardLabels.INSTANCE,
                        StandardLabels.PART_OF,
                        StandardLabels.MANAGED_BY,
                        StandardLabels.ENVIRONMENT,
                        StandardLabels.WEBAPP));
        labels.put(StandardLabels.COMPONENT, "network-policy");
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(name(appName))
                .withNamespace(topology.namespace())
                .withLabels(labels)
                .withAnnotations(new TreeMap<>())
                .endMetadata()
                .withNewSpec()
                .withPodSelector(instances)
                .withPolicyTypes(List.of("Ingress"))
                .withIngress(new NetworkPolicyIngressRuleBuilder()
                        .withFrom(new NetworkPolicyPeerBuilder()
                                .withPodSelector(instances)
                                .build())
                        .build())
                .endSpec()
                .build();
    }

    /** The app's own pods and its slots' pods: the environment's workers whose app label is one of theirs. */
    private static LabelSelector instancesOf(EnvironmentTopology topology, WebApp app) {
        String appName = app.getMetadata().getName();
        List<String> workloads = new ArrayList<>();
        workloads.add(ResourceNames.labelValue(appName));
        for (DeploymentSlot slot : app.getSpec().effectiveSlots()) {
            workloads.add(ResourceNames.labelValue(ResourceNames.slotWorkload(appName, slot.getName())));
        }
        return new LabelSelectorBuilder()
                .withMatchLabels(
                        new TreeMap<>(StandardLabels.roleSelector(topology.name(), StandardLabels.ROLE_WORKER)))
                .addNewMatchExpression()
                .withKey(StandardLabels.WEBAPP)
                .withOperator("In")
                .withValues(workloads)
                .endMatchExpression()
                .build();
    }
}
