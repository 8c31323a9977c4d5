package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.network.NsgCompiler;
import dev.appservice.operator.network.SubnetClaims;
import dev.appservice.operator.validation.SpecValidation;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Why an environment with a valid spec is still not acted on, when admission was bypassed or
 * raced: its subnet overlaps an earlier environment's in the same virtual network (the earlier
 * one keeps it), or its NSG would compile into a NetworkPolicy larger than the API server stores.
 * Its children stay as they are until that is fixed. A pure function.
 */
final class NetworkHolds {
    /** The Ready reason of an environment whose NSG compiles into policies too large for the API server. */
    static final String POLICY_TOO_LARGE = "NetworkPolicyTooLarge";

    record Hold(String reason, String message) {}

    private NetworkHolds() {}

    static Optional<Hold> of(
            AppServiceEnvironment environment,
            Collection<AppServiceEnvironment> virtualNetwork,
            Supplier<NsgCompiler.Result> compiled) {
        String object = SpecValidation.describe(environment);
        Optional<AppServiceEnvironment> holder = SubnetClaims.heldBy(environment, virtualNetwork);
        if (holder.isPresent()) {
            return Optional.of(new Hold(
                    SubnetNeighbours.SUBNET_OVERLAP,
                    object + ": spec.virtualNetwork.subnet "
                            + SubnetClaims.describeOverlap(environment, holder.get())));
        }
        return compiled.get().oversized().stream()
                .findFirst()
                .map(o -> new Hold(POLICY_TOO_LARGE, object + ": " + o.field() + " " + o.message()));
    }
}
