package dev.appservice.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.PodSecurityLevel;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.EndpointDrain;
import dev.appservice.operator.model.StartTimeLimit;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The app container's probes and termination, by their arithmetic: what the kubelet does with
 * them is fixed by Kubernetes (a startup probe holds liveness and readiness until it succeeds;
 * checks at 0, p, 2p ...; a restart at the threshold-th consecutive failure), so the durations
 * follow from the rendered numbers without waiting for them.
 */
class AppProbesTest {

    static Container container(String startTimeLimit, String healthCheckPath) {
        WebApp app = Fixtures.app("contoso", "shop", "web-plan", 8080);
        app.getSpec().setStartTimeLimit(startTimeLimit);
        app.getSpec().setHealthCheckPath(healthCheckPath);
        return AppWorkloads.container(app, InstanceSize.I1, PodSecurityLevel.Restricted, "app.example");
    }

    @ParameterizedTest
    @CsvSource({"120s, 120", "2m, 120", ", 230", "10s, 10", "1800s, 1800", "30m, 1800", "95s, 95"})
    void aStartWithinTheLimitIsNeverKilledAndOneBeyondItIsBounded(String limit, long seconds) {
        Probe startup = container(limit, "/health").getStartupProbe();

        assertThat(startup.getTcpSocket().getPort().getIntVal()).isEqualTo(8080);
        long tolerated = StartTimeLimit.toleratedSeconds(startup.getPeriodSeconds(), startup.getFailureThreshold());
        assertThat(tolerated).as("a start of %s s is not killed", seconds).isGreaterThanOrEqualTo(seconds);
        long restartedBy = tolerated + startup.getTimeoutSeconds();
        assertThat(restartedBy).isLessThanOrEqualTo(seconds + startup.getPeriodSeconds() + startup.getTimeoutSeconds());
    }

    @Test
    void anAppThatNeeds120SecondsToStartComesUpWithoutARestart() {
        Container container = container("120s", null);
        Probe startup = container.getStartupProbe();
        // Checks at 0, 2, ... 120 s: the one at 120 s finds the port open before the 62nd failure.
        assertThat(startup.getPeriodSeconds()).isEqualTo(StartTimeLimit.STARTUP_PERIOD_SECONDS);
        assertThat(startup.getFailureThreshold()).isEqualTo(61);
        assertThat((long) (startup.getFailureThreshold() - 1) * startup.getPeriodSeconds())
                .isGreaterThanOrEqualTo(120);
        // Liveness runs only after the start, on the port: a slow start never meets it.
        assertThat(container.getLivenessProbe().getTcpSocket()).isNotNull();
    }

    @Test
    void aFailingHealthCheckTakesTheInstanceOutWithin15SecondsAndAClosedPortRestartsIt() {
        Container container = container(null, "/health");
        Probe readiness = container.getReadinessProbe();
        assertThat(readiness.getHttpGet().getPath()).isEqualTo("/health");
        long outOfEndpoints = (long) readiness.getPeriodSeconds() * readiness.getFailureThreshold()
                + readiness.getTimeoutSeconds()
                + EndpointDrain.ENDPOINT_PROPAGATION_SECONDS;
        assertThat(outOfEndpoints + EndpointDrain.pooledConnectionSeconds())
                .isEqualTo(EndpointDrain.lastNewRequestSeconds())
                .isLessThanOrEqualTo(EndpointDrain.HEALTH_EXCLUSION_SECONDS);

        Probe liveness = container.getLivenessProbe();
        assertThat(liveness.getHttpGet())
                .as("a failing health check alone does not restart")
                .isNull();
        assertThat(liveness.getTcpSocket().getPort().getIntVal()).isEqualTo(8080);
    }

    @Test
    void aStoppingInstanceServesUntilItsEndpointAndPooledConnectionsAreGone() {
        IsolatedPlan plan = Fixtures.plan("contoso", "web-plan", "ase1", InstanceSize.I1, 3);
        WebApp app = Fixtures.app("contoso", "shop", "web-plan", 8080);
        var topology = new dev.appservice.operator.model.EnvironmentTopology(
                Fixtures.environment("contoso", "ase1"), java.util.List.of(plan), java.util.List.of(app));
        var pod = AppWorkloads.deployment(topology, plan, app)
                .getSpec()
                .getTemplate()
                .getSpec();
        long preStop = pod.getContainers()
                .get(0)
                .getLifecycle()
                .getPreStop()
                .getSleep()
                .getSeconds();

        assertThat(preStop)
                .isGreaterThan(EndpointDrain.ENDPOINT_PROPAGATION_SECONDS + EndpointDrain.pooledConnectionSeconds());
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(preStop + EndpointDrain.APP_SHUTDOWN_SECONDS);
    }
}
