package dev.appservice.operator.environment;

import dev.appservice.operator.network.NsgCompiler;

/** The NSG's outbound rules, on every pod of the environment; present while there are outbound rules. */
public class EgressNetworkPolicyDependent extends NetworkPolicyDependent {
    public EgressNetworkPolicyDependent() {
        super(NsgCompiler::egressPolicyName);
    }
}
