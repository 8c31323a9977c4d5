package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.OutboundStatus;
import dev.appservice.operator.informer.CacheIndexes;
import dev.appservice.operator.informer.RelevantUpdates;
import dev.appservice.operator.informer.SharingItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The other environments an environment's subnet must not overlap: those of its virtual network, in
 * any watched namespace, from a cache indexed by virtual network. A spec change (or deletion) of one
 * wakes the environments of its virtual network and those held for an overlap (the change may have
 * moved the holder away), so a held environment goes ahead as soon as its subnet is free. A change
 * of one with a fixed outbound address also wakes the environments with inbound rules, which may
 * admit its apps by that address.
 */
final class SubnetNeighbours {
    static final String NAME = "subnet-neighbours";
    /** The Ready reason of an environment held because its subnet overlaps an earlier one's. */
    static final String SUBNET_OVERLAP = "SubnetOverlap";

    private final AtomicReference<InformerEventSource<AppServiceEnvironment, AppServiceEnvironment>> source =
            new AtomicReference<>();

    InformerEventSource<AppServiceEnvironment, AppServiceEnvironment> eventSource(
            EventSourceContext<AppServiceEnvironment> context) {
        var environments = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(AppServiceEnvironment.class, AppServiceEnvironment.class)
                        .withName(NAME)
                        .withItemStore(new SharingItemStore<>())
                        .withOnUpdateFilter(RelevantUpdates.spec())
                        .withSecondaryToPrimaryMapper(this::toWake)
                        .withPrimaryToSecondaryMapper((AppServiceEnvironment environment) -> Set.of())
                        .build(),
                context);
        environments.addIndexer(CacheIndexes.ENVIRONMENTS_BY_VIRTUAL_NETWORK, CacheIndexes::virtualNetworkOf);
        source.set(environments);
        return environments;
    }

    /** The environments of the same virtual network, this one included (the claims leave it out). */
    List<AppServiceEnvironment> of(AppServiceEnvironment environment) {
        var environments = source.get();
        if (environments == null) {
            return List.of();
        }
        return CacheIndexes.virtualNetworkOf(environment).stream()
                .flatMap(name -> environments.byIndex(CacheIndexes.ENVIRONMENTS_BY_VIRTUAL_NETWORK, name).stream())
                .toList();
    }

    private Set<ResourceID> toWake(AppServiceEnvironment changed) {
        var environments = source.get();
        Set<ResourceID> wake = new HashSet<>();
        Stream.concat(
                        Stream.concat(
                                of(changed).stream(),
                                environments == null
                                        ? Stream.empty()
                                        : environments.list().filter(SubnetNeighbours::held)),
                        environments == null || !hasOrHadFixedOutbound(changed)
                                ? Stream.empty()
                                : environments.list().filter(SubnetNeighbours::hasInboundRules))
                .filter(e -> !ResourceID.fromResource(e).equals(ResourceID.fromResource(changed)))
                .forEach(e -> wake.add(ResourceID.fromResource(e)));
        return wake;
    }

    /**
     * An environment with a fixed outbound address, or that had one until this change (its status
     * still says so): the environments with inbound rules recompile their NSG, which may admit its
     * apps by that address.
     */
    private static boolean hasOrHadFixedOutbound(AppServiceEnvironment environment) {
        return (environment.getSpec() != null
                        && environment.getSpec().egressGateway().isPresent())
                || (environment.getStatus() != null
                        && environment.getStatus().getOutbound() != null
                        && OutboundStatus.MODE_EGRESS_GATEWAY.equals(
                                environment.getStatus().getOutbound().getMode()));
    }

    private static boolean hasInboundRules(AppServiceEnvironment environment) {
        return environment.getSpec() != null
                && environment.getSpec().getNetworkSecurityGroup() != null
                && environment.getSpec().getNetworkSecurityGroup().getInboundRules() != null
                && !environment
                        .getSpec()
                        .getNetworkSecurityGroup()
                        .getInboundRules()
                        .isEmpty();
    }

    private static boolean held(AppServiceEnvironment environment) {
        return environment.getStatus() != null
                && environment.getStatus().getConditions() != null
                && environment.getStatus().getConditions().stream().anyMatch(c -> SUBNET_OVERLAP.equals(c.getReason()));
    }
}
