package dev.appservice.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Leader election, so that several replicas of the operator can run and only one reconciles. The
 * Quarkus Operator SDK turns it on when a {@link LeaderElectionConfiguration} bean exists (in the
 * {@code prod} profile); it has no property of its own, so this producer reads ours:
 * <ul>
 *   <li>{@code ase.leader-election.enabled} (default {@code false}, so the operator run from a
 *       developer's machine needs no Lease; the Helm chart sets it),</li>
 *   <li>{@code ase.leader-election.lease-name} (default {@value #DEFAULT_LEASE_NAME}),</li>
 *   <li>{@code ase.leader-election.lease-namespace} (default: the client's namespace, which in a pod
 *       is the pod's own).</li>
 * </ul>
 * The identity of a candidate is its pod name ({@code HOSTNAME}). The Lease is read with GET,
 * created with POST and renewed with a JSON merge PATCH by the Fabric8 client; the SDK also checks
 * at start-up that the operator may {@code get}, {@code create} and {@code update} it.
 */
@ApplicationScoped
public class LeaderElection {
    public static final String DEFAULT_LEASE_NAME = "ase-operator-leader";
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElectionConfiguration(
            @ConfigProperty(name = "ase.leader-election.enabled", defaultValue = "false") boolean enabled,
            @ConfigProperty(name = "ase.leader-election.lease-name", defaultValue = DEFAULT_LEASE_NAME)
                    String leaseName,
            @ConfigProperty(name = "ase.leader-election.lease-namespace") Optional<String> leaseNamespace) {
        Optional<LeaderElectionConfiguration> configuration = configuration(enabled, leaseName, leaseNamespace);
        configuration.ifPresent(c -> LOG.infof(
                "Leader election on Lease %s in namespace %s",
                c.getLeaseName(), c.getLeaseNamespace().orElse("(the operator's)")));
        return configuration.orElse(null);
    }

    /** The configuration for these settings; empty when leader election is off. */
    public static Optional<LeaderElectionConfiguration> configuration(
            boolean enabled, String leaseName, Optional<String> leaseNamespace) {
        if (!enabled) {
            return Optional.empty();
        }
        if (leaseName == null || leaseName.isBlank()) {
            throw new IllegalArgumentException(
                    "ase.leader-election.lease-name must not be blank when leader election is enabled");
        }
        var builder = LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(leaseName);
        leaseNamespace.filter(ns -> !ns.isBlank()).ifPresent(builder::withLeaseNamespace);
        return Optional.of(builder.build());
    }
}
