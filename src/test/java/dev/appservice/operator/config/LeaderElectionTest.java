package dev.appservice.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {

    @Test
    void offByDefaultSoTheSdkRunsWithoutALease() {
        assertThat(LeaderElection.configuration(false, LeaderElection.DEFAULT_LEASE_NAME, Optional.of("ase-operator")))
                .isEmpty();
    }

    @Test
    void onWithTheLeaseNameAndNamespaceGiven() {
        LeaderElectionConfiguration configuration = LeaderElection.configuration(true, "my-lease", Optional.of("ops"))
                .orElseThrow();
        assertThat(configuration.getLeaseName()).isEqualTo("my-lease");
        assertThat(configuration.getLeaseNamespace()).contains("ops");
        // The identity is left to the SDK, which takes the pod name (HOSTNAME).
        assertThat(configuration.getIdentity()).isEmpty();
    }

    @Test
    void aBlankNamespaceMeansThePodsOwn() {
        assertThat(LeaderElection.configuration(true, "my-lease", Optional.of(" "))
                        .orElseThrow()
                        .getLeaseNamespace())
                .isEmpty();
        assertThat(LeaderElection.configuration(true, "my-lease", Optional.empty())
                        .orElseThrow()
                        .getLeaseNamespace())
                .isEmpty();
    }

    @Test
    void aBlankLeaseNameIsRejected() {
        assertThatThrownBy(() -> LeaderElection.configuration(true, " ", Optional.empty()))
                .hasMessageContaining("ase.leader-election.lease-name");
    }
}
