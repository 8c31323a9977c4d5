package dev.appservice.operator.operability;

import static dev.appservice.operator.testing.Fixtures.environment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Prometheus metrics: the operator SDK's reconcile metrics, labelled by controller, never by object. */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class MetricsTest extends OperatorTest {

    @TestHTTPResource("/q/metrics")
    URI metrics;

    String scrape() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void reconcileMetricsAreExportedWithoutPerObjectLabels() throws Exception {
        client.resource(environment(ns, "metered-environment")).create();
        await().atMost(TIMEOUT).until(() -> client.apps().deployments().inNamespace(ns).withName("metered-environment-frontend").get() != null);
        String body = await().atMost(TIMEOUT).until(this::scrape, b -> b.contains("reconciliations"));
        assertThat(body).contains("controller_name=\"appserviceenvironment\"");
        assertThat(body).as("no label grows with the number of objects").doesNotContain("metered-environment").doesNotContain(ns);
    }
}
