package dev.appservice.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.OperatingSystem;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.LoopbackBackends;
import dev.appservice.operator.testing.RunningFrontEnd;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A function app's HTTP triggers through the real nginx, run by the front-end pods' own script on
 * the generated configuration: {@code /api/...} is a path like any other, routed by host name to
 * the function app's backend (a loopback stand-in for its Service that answers with its name, the
 * method and the path it got), here a function app of a Windows plan beside a Linux plan's app.
 */
@org.junit.jupiter.api.Tag(dev.appservice.operator.testing.TestGroups.DATA_PLANE)
class FunctionAppNginxTest {
    private final LoopbackBackends backends = new LoopbackBackends();
    private RunningFrontEnd frontEnd;

    @BeforeEach
    void start() throws Exception {
        frontEnd = RunningFrontEnd.onFreePorts();
    }

    @AfterEach
    void stop() throws Exception {
        frontEnd.close();
        backends.close();
    }

    private String backend(String name) throws Exception {
        return backends.start(exchange -> name + " " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
    }

    private HttpResponse<String> send(String host, String method, String path, String body) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + frontEnd.httpPort() + path))
                                .header("Host", host)
                                .method(
                                        method,
                                        body == null
                                                ? HttpRequest.BodyPublishers.noBody()
                                                : HttpRequest.BodyPublishers.ofString(body))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void apiPathsReachTheFunctionAppsBackend() throws Exception {
        IsolatedPlan windows =
                Fixtures.plan("contoso", "win-plan", "ase1", InstanceSize.I2, 2, OperatingSystem.Windows);
        IsolatedPlan linux = Fixtures.plan("contoso", "web-plan", "ase1", InstanceSize.I1, 1);
        WebApp orders = Fixtures.functionApp("contoso", "orders", "win-plan", 8080, "dotnet-isolated");
        WebApp site = Fixtures.app("contoso", "site", "web-plan", 8080);
        EnvironmentTopology topology = new EnvironmentTopology(
                Fixtures.environment("contoso", "ase1"), List.of(windows, linux), List.of(orders, site));
        frontEnd.start(frontEnd.render(topology, Map.of("orders", backend("orders"), "site", backend("site"))));
        String ordersHost = topology.defaultHostName("orders");

        HttpResponse<String> hello = send(ordersHost, "GET", "/api/hello?code=abc&name=ase", null);
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("orders GET /api/hello?code=abc&name=ase");
        HttpResponse<String> posted = send(ordersHost, "POST", "/api/orders/42", "{\"qty\":1}");
        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(posted.body()).isEqualTo("orders POST /api/orders/42");
        // The other app's host name keeps reaching the other app, /api included.
        assertThat(send(topology.defaultHostName("site"), "GET", "/api/hello", null)
                        .body())
                .isEqualTo("site GET /api/hello");
    }
}
