package dev.appservice.operator.environment;

import dev.appservice.operator.network.NsgCompiler;

/** The NSG's inbound rules, at the front ends; present while the environment has an NSG. */
public class FrontEndNetworkPolicyDependent extends NetworkPolicyDependent {
    public FrontEndNetworkPolicyDependent() {
        super(NsgCompiler::frontEndPolicyName);
    }
}
