package dev.appservice.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.testing.MockKubernetes;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The SDK looks the leader election configuration up programmatically, so the producer must survive
 * ArC's removal of unused beans, and produce nothing while {@code ase.leader-election.enabled} is off.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class LeaderElectionBeanTest {

    @Test
    void theProducerIsThereAndOffByDefault() {
        assertThat(Arc.container().beanManager().getBeans(LeaderElectionConfiguration.class))
                .hasSize(1);
        assertThat(Arc.container().instance(LeaderElectionConfiguration.class).get())
                .isNull();
    }
}
