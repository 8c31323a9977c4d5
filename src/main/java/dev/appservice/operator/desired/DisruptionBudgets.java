package dev.appservice.operator.desired;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpec;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * PodDisruptionBudgets for the sets of instances a voluntary disruption (a node drain, a cluster
 * upgrade) must not take down at once: the front ends, and every app deployment with more than
 * one instance. One instance of the set may be evicted at a time ({@value #MAX_UNAVAILABLE}), as
 * the Deployments roll; an instance that is not ready anyway may always be evicted
 * ({@code unhealthyPodEvictionPolicy: AlwaysAllow}), so a crash-looping app never blocks a drain.
 * A single instance has no budget: it would either block every drain or promise nothing.
 */
public final class DisruptionBudgets {
    /** Instances of one set a voluntary disruption may take at a time. */
    public static final int MAX_UNAVAILABLE = 1;
    /** The smallest set that gets a budget. */
    public static final int MIN_INSTANCES = 2;

    private DisruptionBudgets() {}

    /** The front ends' budget: there are always at least two front ends. */
    public static PodDisruptionBudget forFrontEnds(Deployment frontEnds) {
        return budget(frontEnds);
    }

    /** The budget of a Deployment's pods: its name, namespace, labels and selector; none below {@link #MIN_INSTANCES}. */
    public static Optional<PodDisruptionBudget> of(Deployment deployment) {
        Integer replicas = deployment.getSpec().getReplicas();
        if (replicas == null || replicas < MIN_INSTANCES) {
            return Optional.empty();
        }
        return Optional.of(budget(deployment));
    }

    private static PodDisruptionBudget budget(Deployment deployment) {
        ObjectMeta metadata = new ObjectMeta();
        metadata.setName(deployment.getMetadata().getName());
        metadata.setNamespace(deployment.getMetadata().getNamespace());
        metadata.setLabels(new LinkedHashMap<>(deployment.getMetadata().getLabels()));
        metadata.setAnnotations(new TreeMap<>());
        LabelSelector selector = new LabelSelector();
        selector.setMatchLabels(
                new LinkedHashMap<>(deployment.getSpec().getSelector().getMatchLabels()));
        PodDisruptionBudgetSpec spec = new PodDisruptionBudgetSpec();
        spec.setMaxUnavailable(new IntOrString(MAX_UNAVAILABLE));
        spec.setSelector(selector);
        spec.setUnhealthyPodEvictionPolicy("AlwaysAllow");
        PodDisruptionBudget budget = new PodDisruptionBudget();
        budget.setMetadata(metadata);
        budget.setSpec(spec);
        return budget;
    }
}
