package dev.appservice.operator.desired;

import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.model.EnvironmentTopology;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Optional;

/**
 * Every child a plan should have: its {@code <plan>-workers} placeholder Deployment, which holds
 * the plan's instances beside its apps' own Deployments, while its environment exists. (The apps'
 * Deployments and Services are the apps' children.) Built once per reconcile by pure functions;
 * the dependent, the status and {@code render} read it.
 *
 * @param topology the environment the plan lives in, if it exists
 * @param workers the placeholder Deployment; empty without an environment (it is then deleted)
 */
public record PlanChildren(IsolatedPlan plan, Optional<EnvironmentTopology> topology, Optional<Deployment> workers) {

    public static PlanChildren of(
            IsolatedPlan plan, Optional<EnvironmentTopology> topology, OperatorSettings settings) {
        return new PlanChildren(plan, topology, topology.map(t -> Workers.deployment(t, plan, settings)));
    }

    /** Every child, in the order the reconcile applies them and {@code render} prints them. */
    public List<HasMetadata> all() {
        return workers.<List<HasMetadata>>map(List::of).orElse(List.of());
    }
}
