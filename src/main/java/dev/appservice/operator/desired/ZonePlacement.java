package dev.appservice.operator.desired;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pod placement from an environment's {@code spec.zones}. One zone pins pods to it (required node
 * affinity); several zones restrict pods to those zones and spread them evenly (max skew 1, hard).
 * Pods of one set are always spread across nodes as far as possible (soft), so one node failure
 * does not take out every front end or every instance of a plan.
 */
public final class ZonePlacement {
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    public static final String HOST_LABEL = "kubernetes.io/hostname";

    private ZonePlacement() {}

    /** Node affinity for the zones, or null without zones. */
    public static Affinity affinity(List<String> zones) {
        if (zones.isEmpty()) {
            return null;
        }
        return new AffinityBuilder()
                .withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm()
                .addNewMatchExpression()
                .withKey(ZONE_LABEL)
                .withOperator("In")
                .withValues(zones)
                .endMatchExpression()
                .endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity()
                .build();
    }

    /** Spread constraints for pods matching the selector. */
    public static List<TopologySpreadConstraint> spread(List<String> zones, Map<String, String> podSelector) {
        List<TopologySpreadConstraint> constraints = new ArrayList<>();
        if (zones.size() > 1) {
            constraints.add(constraint(ZONE_LABEL, "DoNotSchedule", podSelector));
        }
        constraints.add(constraint(HOST_LABEL, "ScheduleAnyway", podSelector));
        return constraints;
    }

    /**
     * As {@link #spread}, but across nodes as a rule (max skew 1, {@code DoNotSchedule}), so that
     * no single node holds every pod of the set while the cluster has another node the pods may
     * run on. Nodes the pods cannot go to (cordoned for a drain, tainted) are not counted
     * ({@code nodeTaintsPolicy: Honor}), so a drain's replacement pod still finds a place; on a
     * single-node cluster the skew is always 0 and every pod runs there.
     */
    public static List<TopologySpreadConstraint> spreadAcrossNodes(
            List<String> zones, Map<String, String> podSelector) {
        List<TopologySpreadConstraint> constraints = new ArrayList<>();
        if (zones.size() > 1) {
            constraints.add(constraint(ZONE_LABEL, "DoNotSchedule", podSelector));
        }
        TopologySpreadConstraint acrossNodes = constraint(HOST_LABEL, "DoNotSchedule", podSelector);
        acrossNodes.setNodeTaintsPolicy("Honor");
        constraints.add(acrossNodes);
        return constraints;
    }

    private static TopologySpreadConstraint constraint(
            String key, String whenUnsatisfiable, Map<String, String> podSelector) {
        return new TopologySpreadConstraintBuilder()
                .withMaxSkew(1)
                .withTopologyKey(key)
                .withWhenUnsatisfiable(whenUnsatisfiable)
                .withNewLabelSelector()
                .withMatchLabels(podSelector)
                .endLabelSelector()
                .build();
    }
}
