package dev.appservice.operator.network;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.EgressGateway;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Another environment whose apps leave from fixed outbound addresses ({@code
 * spec.outbound.egressGateway}). On Azure, calls between environments are Internet calls that
 * arrive from the caller's outbound address, so an NSG rule whose source prefix contains such an
 * address admits that environment's apps (the "layered security" architecture); inside the
 * cluster their traffic never passes the gateway, so the compiler matches their pods instead: in
 * the environment's namespace, with the environment's label, the worker role and {@code
 * appservice.dev/outbound}. With several addresses, the apps are admitted when every one of them
 * is (a pod's calls may leave from any).
 */
public record FixedOutbound(String namespace, String environment, List<String> addresses) {

    public FixedOutbound {
        addresses = List.copyOf(addresses);
    }

    /** The environments among {@code environments} other than {@code self} that have valid fixed outbound addresses. */
    public static List<FixedOutbound> of(Collection<AppServiceEnvironment> environments, AppServiceEnvironment self) {
        return environments.stream()
                .filter(e -> e.getSpec() != null && e.getMetadata() != null)
                .filter(e -> !(Objects.equals(
                                e.getMetadata().getNamespace(),
                                self.getMetadata().getNamespace())
                        && Objects.equals(
                                e.getMetadata().getName(), self.getMetadata().getName())))
                .flatMap(e -> e.getSpec().egressGateway().stream().map(gateway -> of(e, gateway)))
                .filter(f -> !f.addresses().isEmpty())
                .sorted(java.util.Comparator.comparing(FixedOutbound::namespace)
                        .thenComparing(FixedOutbound::environment))
                .toList();
    }

    private static FixedOutbound of(AppServiceEnvironment environment, EgressGateway gateway) {
        List<String> valid = gateway.getAddresses() == null
                ? List.of()
                : gateway.getAddresses().stream()
                        .filter(CidrNotation::isAddress)
                        .toList();
        return new FixedOutbound(
                environment.getMetadata().getNamespace(),
                environment.getMetadata().getName(),
                valid.size()
                                == (gateway.getAddresses() == null
                                        ? 0
                                        : gateway.getAddresses().size())
                        ? valid
                        : List.of());
    }

    List<Cidr> cidrs() {
        return addresses.stream().map(Cidr::address).toList();
    }

    /** {@code namespace/name}, as messages name an environment. */
    public String describe() {
        return namespace + "/" + environment;
    }
}
