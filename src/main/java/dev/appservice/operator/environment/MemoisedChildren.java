package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.dependent.ReconcileMemo;
import dev.appservice.operator.desired.EnvironmentChildren;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.network.FixedOutbound;
import dev.appservice.operator.validation.SpecValidation;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * An environment's {@link EnvironmentChildren}, built once per reconcile from the reconcile
 * context and kept in it: the reconciler builds it before the dependents run, each dependent
 * selects its part, and the status reads the same value (building it renders nginx.conf and
 * compiles the NSG, which takes a while for large environments, see BENCHMARKS.md).
 */
final class MemoisedChildren {
    private static final String CHILDREN = "appservice.dev/environment-children";

    private MemoisedChildren() {}

    /** Builds the children of this reconcile (or returns those already built). */
    static EnvironmentChildren build(
            AppServiceEnvironment environment, Context<AppServiceEnvironment> context, OperatorSettings settings) {
        return ReconcileMemo.computeIfAbsent(context, CHILDREN, EnvironmentChildren.class, () -> {
            EnvironmentTopology topology = topology(environment, context);
            var certificates = AppEdgeSources.usableCertificates(topology, context);
            return EnvironmentChildren.of(
                    topology,
                    AppServiceAddresses.from(environment, context),
                    AppEdgeSources.edges(topology, certificates, context),
                    certificates,
                    settings,
                    FixedOutbound.of(context.getPrimaryCache().list().toList(), environment));
        });
    }

    /** The children the reconciler built for this reconcile: a dependent runs only after it did. */
    static EnvironmentChildren of(Context<AppServiceEnvironment> context) {
        return ReconcileMemo.required(context, CHILDREN, EnvironmentChildren.class);
    }

    private static EnvironmentTopology topology(
            AppServiceEnvironment environment, Context<AppServiceEnvironment> context) {
        // Plans and apps with invalid specs (past a bypassed webhook) take no part: they report it themselves.
        return new EnvironmentTopology(
                environment,
                context.getSecondaryResources(IsolatedPlan.class).stream()
                        .filter(SpecValidation::acceptable)
                        .toList(),
                context.getSecondaryResources(WebApp.class).stream()
                        .filter(SpecValidation::acceptable)
                        .toList());
    }
}
