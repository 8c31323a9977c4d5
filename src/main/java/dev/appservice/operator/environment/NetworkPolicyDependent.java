package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.dependent.ControlledDependentResource;
import dev.appservice.operator.network.NsgCompiler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.function.UnaryOperator;

/**
 * One of the NetworkPolicies compiled from the environment's network security group, picked by
 * name from the compiler's result. Its identity does not depend on the compilation, so a policy
 * that is no longer wanted is found and deleted.
 */
abstract class NetworkPolicyDependent extends ControlledDependentResource<NetworkPolicy, AppServiceEnvironment> {
    private final OperatorSettings settings = OperatorSettings.fromConfig();
    private final UnaryOperator<String> policyName;

    protected NetworkPolicyDependent(UnaryOperator<String> policyName) {
        super(NetworkPolicy.class);
        this.policyName = policyName;
    }

    @Override
    protected NetworkPolicy desired(AppServiceEnvironment primary, Context<AppServiceEnvironment> context) {
        String name = policyName.apply(primary.getMetadata().getName());
        return EnvironmentTopologies.network(primary, context, settings.network()).policies().stream()
                .filter(p -> p.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the precondition guarantees policy " + name + " is wanted"));
    }

    @Override
    protected ResourceID targetSecondaryResourceID(AppServiceEnvironment primary, Context<AppServiceEnvironment> context) {
        return new ResourceID(policyName.apply(primary.getMetadata().getName()), primary.getMetadata().getNamespace());
    }
}
