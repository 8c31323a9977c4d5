package dev.appservice.operator.environment;

import dev.appservice.operator.desired.FrontEndConfiguration;

import dev.appservice.operator.desired.NginxConfig;

import dev.appservice.operator.validation.SpecValidation;
import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.config.NetworkSettings;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.network.NsgCompiler;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * Builds an environment's topology and compiled network from the reconcile context, once per
 * reconcile: the dependents and the status all read the same result (compiling a large NSG
 * takes a while, see BENCHMARKS.md).
 */
final class EnvironmentTopologies {
    private static final String TOPOLOGY = "appservice.dev/topology";
    private static final String NETWORK = "appservice.dev/network";
    private static final String FRONT_END_CONFIGURATION = "appservice.dev/front-end-configuration";

    private EnvironmentTopologies() {
    }

    static EnvironmentTopology from(AppServiceEnvironment environment, Context<AppServiceEnvironment> context) {
        var memo = context.managedWorkflowAndDependentResourceContext();
        return memo.get(TOPOLOGY, EnvironmentTopology.class).orElseGet(() -> {
            // Plans and apps with invalid specs (past a bypassed webhook) take no part: they report it themselves.
            var topology = new EnvironmentTopology(environment,
                    context.getSecondaryResources(IsolatedPlan.class).stream().filter(SpecValidation::acceptable).toList(),
                    context.getSecondaryResources(WebApp.class).stream().filter(SpecValidation::acceptable).toList());
            memo.put(TOPOLOGY, topology);
            return topology;
        });
    }

    /** The front ends' configuration, with the apps' addresses from their Services in the informer cache. */
    static FrontEndConfiguration frontEndConfiguration(AppServiceEnvironment environment, Context<AppServiceEnvironment> context) {
        var memo = context.managedWorkflowAndDependentResourceContext();
        return memo.get(FRONT_END_CONFIGURATION, FrontEndConfiguration.class).orElseGet(() -> {
            var configuration = NginxConfig.render(from(environment, context), AppServiceAddresses.from(environment, context),
                    AppEdgeSources.edges(environment, context));
            memo.put(FRONT_END_CONFIGURATION, configuration);
            return configuration;
        });
    }

    static NsgCompiler.Result network(AppServiceEnvironment environment, Context<AppServiceEnvironment> context, NetworkSettings settings) {
        var memo = context.managedWorkflowAndDependentResourceContext();
        return memo.get(NETWORK, NsgCompiler.Result.class).orElseGet(() -> {
            var network = NsgCompiler.compile(from(environment, context), settings);
            memo.put(NETWORK, network);
            return network;
        });
    }
}
