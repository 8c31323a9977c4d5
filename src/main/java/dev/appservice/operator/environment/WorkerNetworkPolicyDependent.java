package dev.appservice.operator.environment;

import dev.appservice.operator.network.NsgCompiler;

/** Workers accept traffic only from the environment's own pods. */
public class WorkerNetworkPolicyDependent extends NetworkPolicyDependent {
    public WorkerNetworkPolicyDependent() {
        super(NsgCompiler::workerPolicyName);
    }
}
