package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.dependent.ControlledDependentResource;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.BulkDependentResource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The NetworkPolicies compiled from the environment's network security group: the workers'
 * always, the front ends' when there is an NSG, the egress policy when it has outbound rules (the
 * compiler decides, {@link dev.appservice.operator.desired.EnvironmentChildren} holds the result).
 * A policy no longer compiled is deleted.
 */
public class NetworkPoliciesDependent extends ControlledDependentResource<NetworkPolicy, AppServiceEnvironment>
        implements BulkDependentResource<NetworkPolicy, AppServiceEnvironment, String> {

    public NetworkPoliciesDependent() {
        super(NetworkPolicy.class);
    }

    @Override
    public Map<String, NetworkPolicy> desiredResources(AppServiceEnvironment primary, Context<AppServiceEnvironment> context) {
        Map<String, NetworkPolicy> desired = new LinkedHashMap<>();
        MemoisedChildren.of(context).networkPolicies().forEach(policy -> desired.put(policy.getMetadata().getName(), policy));
        return desired;
    }

    @Override
    public Map<String, NetworkPolicy> getSecondaryResources(AppServiceEnvironment primary, Context<AppServiceEnvironment> context) {
        Map<String, NetworkPolicy> actual = new LinkedHashMap<>();
        eventSource().orElseThrow().getSecondaryResources(primary).forEach(policy -> actual.put(policy.getMetadata().getName(), policy));
        return actual;
    }

    @Override
    public void deleteTargetResource(AppServiceEnvironment primary, NetworkPolicy resource, String key, Context<AppServiceEnvironment> context) {
        context.getClient().resource(resource).delete();
    }
}
