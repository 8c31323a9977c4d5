package dev.appservice.operator.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests that run the operator against the mock API server (annotate the subclass with
 * {@code @QuarkusTest @QuarkusTestResource(MockKubernetes.class)}): a client, and a namespace of
 * the test's own, so tests sharing one operator and one API server never see each other's objects.
 */
public abstract class OperatorTest {
    protected static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    protected KubernetesClient client;

    protected String ns;

    @BeforeEach
    void ownNamespace() {
        ns = getClass().getSimpleName().substring(0, 2).toLowerCase() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }
}
