package dev.appservice.operator.operability;

import static dev.appservice.operator.testing.Fixtures.environment;
import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.admission.AdmissionMetrics;
import dev.appservice.operator.admission.ValidatingWebhook;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Prometheus metrics: the operator SDK's reconcile metrics, labelled by controller, never by object;
 * the status gauges of {@link ResourceStatusMetrics}; the webhook's {@link AdmissionMetrics}.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class MetricsTest extends OperatorTest {

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @TestHTTPResource(ValidatingWebhook.PATH)
    URI webhook;

    String scrape() throws Exception {
        return HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** The value of the one series of that name whose labels include all of these ({@code name="value"}), if there is one. */
    static Optional<Double> value(String body, String name, String... labels) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$")
                .matcher(body);
        while (line.find()) {
            String found = line.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= found.contains(label);
            }
            if (all) {
                return Optional.of(Double.parseDouble(line.group(2)));
            }
        }
        return Optional.empty();
    }

    @Test
    void reconcileMetricsAreExportedWithoutPerObjectLabels() throws Exception {
        client.resource(environment(ns, "metered-environment")).create();
        await().atMost(TIMEOUT)
                .until(() -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName("metered-environment-frontend")
                                .get()
                        != null);
        String body = await().atMost(TIMEOUT).until(this::scrape, b -> b.contains("reconciliations"));
        assertThat(body).contains("controller_name=\"appserviceenvironment\"");
        assertThat(body.lines().filter(l -> !l.startsWith("ase_environment_")))
                .as("only the per-environment gauges name an object")
                .noneMatch(l -> l.contains("metered-environment") || l.contains(ns));
        for (String controller : new String[] {"appserviceenvironment", "isolatedplan", "webapp"}) {
            assertThat(value(body, "reconciliations_failure_total", "controller_name=\"" + controller + "\""))
                    .as("failures of %s are counted from zero, before the first one", controller)
                    .isPresent();
        }
    }

    /**
     * The environment's status as gauges: front ends desired (2 for an empty V2 environment) and
     * ready (none: the mock API server runs no pods), instances used and limit, its conditions, and
     * the count of environments by Ready reason.
     */
    @Test
    void environmentStatusBecomesGauges() throws Exception {
        client.resource(environment(ns, "gauged")).create();
        String[] of = {"environment=\"gauged\"", "environment_namespace=\"" + ns + "\""};
        // Every gauge asserted below, so a scrape between two of the operator's status writes is not taken for the
        // answer.
        String body = await().atMost(TIMEOUT)
                .until(
                        this::scrape,
                        b -> value(b, "ase_environment_front_ends_desired", of).isPresent()
                                && value(b, "ase_environment_instances_limit", of)
                                        .isPresent()
                                && value(b, "ase_environment_condition", of).isPresent());
        assertThat(value(body, "ase_environment_front_ends_desired", of)).contains(2.0);
        assertThat(value(body, "ase_environment_front_ends_ready", of)).contains(0.0);
        assertThat(value(body, "ase_environment_instances_used", of)).contains(0.0);
        assertThat(value(body, "ase_environment_instances_limit", of)).contains(200.0);
        assertThat(value(body, "ase_environment_condition", of[0], of[1], "type=\"Ready\"", "status=\"False\""))
                .contains(1.0);
        assertThat(value(body, "ase_environment_condition", of[0], of[1], "type=\"Ready\"", "status=\"True\""))
                .isEmpty();
        assertThat(value(body, "ase_resources", "kind=\"AppServiceEnvironment\"", "ready=\"False\""))
                .hasValueSatisfying(n -> assertThat(n).isPositive());
        assertThat(body).containsPattern("(?m)^ase_operator_leader(\\{[^}]*\\})? 1\\.0$");

        client.resource(client.resources(dev.appservice.operator.api.AppServiceEnvironment.class)
                        .inNamespace(ns)
                        .withName("gauged")
                        .get())
                .delete();
        await().atMost(TIMEOUT)
                .until(
                        this::scrape,
                        b -> value(b, "ase_environment_front_ends_desired", of).isEmpty());
    }

    /** Every review is counted by resource, operation and outcome; the webhook's latency has buckets. */
    @Test
    void admissionReviewsAreCountedByOutcome() throws Exception {
        // A plan without a spec: the CRD's schema lets it through (spec is not required there), the webhook refuses it.
        var specless = plan(ns, "specless", "nowhere", InstanceSize.I1, 1);
        specless.setSpec(null);
        String review = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
                  "uid":"metrics-1",
                  "kind":{"group":"appservice.dev","version":"v1alpha1","kind":"IsolatedPlan"},
                  "resource":{"group":"appservice.dev","version":"v1alpha1","resource":"isolatedplans"},
                  "name":"specless","namespace":"%s","operation":"CREATE",
                  "userInfo":{"username":"kubernetes-admin"},
                  "object":%s
                }}""".formatted(ns, new KubernetesSerialization().asJson(specless));
        String[] denied = {
            "resource=\"isolatedplans\"", "operation=\"CREATE\"", "allowed=\"false\"", "reason=\"Invalid\""
        };
        double before = value(scrape(), "ase_admission_reviews_total", denied).orElse(0.0);
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(webhook)
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(review))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(answer.body()).contains("\"allowed\":false");
        String body = scrape();
        assertThat(value(body, "ase_admission_reviews_total", denied)).contains(before + 1);
        assertThat(value(
                        body,
                        "http_server_requests_seconds_bucket",
                        "uri=\"" + ValidatingWebhook.PATH + "\"",
                        "le=\"0.025\""))
                .isPresent();
    }
}
