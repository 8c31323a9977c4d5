package dev.appservice.operator.network;

import dev.appservice.operator.api.AppServiceEnvironment;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An ASE's subnet is its own: two environments of one virtual network ({@code
 * spec.virtualNetwork.name}, in any namespace) may not have overlapping subnets. Admission refuses
 * the overlap; when it got past (webhook bypassed, two created at once), the later environment (by
 * creation time, then namespace and name) is held and the earlier one keeps its subnet. Pure
 * functions of the environments.
 */
public final class SubnetClaims {
    /** Who came first: creation time (RFC 3339 in UTC, so text order is time order; none yet = last), then namespace and name. */
    public static final Comparator<AppServiceEnvironment> ADMISSION_ORDER = Comparator.comparing(
                    (AppServiceEnvironment e) -> e.getMetadata().getCreationTimestamp() == null
                            ? "~"
                            : e.getMetadata().getCreationTimestamp())
            .thenComparing(e -> Objects.toString(e.getMetadata().getNamespace(), ""))
            .thenComparing(e -> Objects.toString(e.getMetadata().getName(), ""));

    private SubnetClaims() {}

    /** The other environments of the same virtual network whose subnet overlaps this one's, in admission order. */
    public static List<AppServiceEnvironment> overlapping(
            AppServiceEnvironment environment, Collection<AppServiceEnvironment> candidates) {
        Optional<Cidr> subnet = subnet(environment);
        if (subnet.isEmpty()) {
            return List.of();
        }
        String virtualNetwork = environment.getSpec().getVirtualNetwork().getName();
        return candidates.stream()
                .filter(other -> !sameObject(environment, other))
                .filter(other -> virtualNetwork.equals(
                        other.getSpec() == null || other.getSpec().getVirtualNetwork() == null
                                ? null
                                : other.getSpec().getVirtualNetwork().getName()))
                .filter(other ->
                        subnet(other).filter(o -> overlap(subnet.get(), o)).isPresent())
                .sorted(ADMISSION_ORDER)
                .toList();
    }

    /** The earliest environment that holds this one (it came first and its subnet overlaps), if any. */
    public static Optional<AppServiceEnvironment> heldBy(
            AppServiceEnvironment environment, Collection<AppServiceEnvironment> candidates) {
        return overlapping(environment, candidates).stream()
                .filter(other -> ADMISSION_ORDER.compare(other, environment) < 0)
                .findFirst();
    }

    /** What a held environment and a refused one are told. */
    public static String describeOverlap(AppServiceEnvironment environment, AppServiceEnvironment other) {
        return environment.getSpec().getVirtualNetwork().getSubnet() + " overlaps subnet "
                + other.getSpec().getVirtualNetwork().getSubnet()
                + " of AppServiceEnvironment " + other.getMetadata().getNamespace() + "/"
                + other.getMetadata().getName()
                + " in virtual network "
                + environment.getSpec().getVirtualNetwork().getName()
                + "; an ASE's subnet is its own: choose a subnet outside it";
    }

    private static boolean overlap(Cidr a, Cidr b) {
        return a.contains(b) || b.contains(a); // CIDRs are nested or disjoint
    }

    private static boolean sameObject(AppServiceEnvironment a, AppServiceEnvironment b) {
        return Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace())
                && Objects.equals(a.getMetadata().getName(), b.getMetadata().getName());
    }

    private static Optional<Cidr> subnet(AppServiceEnvironment environment) {
        if (environment.getSpec() == null
                || environment.getSpec().getVirtualNetwork() == null
                || environment.getSpec().getVirtualNetwork().getName() == null) {
            return Optional.empty();
        }
        String subnet = environment.getSpec().getVirtualNetwork().getSubnet();
        return CidrNotation.isValid(subnet) ? Optional.of(Cidr.parse(subnet)) : Optional.empty();
    }
}
