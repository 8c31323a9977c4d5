package dev.appservice.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppSpec;
import dev.appservice.operator.api.WebAppStatus;
import dev.appservice.operator.desired.FrontEndConfiguration;
import dev.appservice.operator.desired.NginxConfig;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.KeepAliveLoad;
import dev.appservice.operator.testing.LoopbackBackends;
import dev.appservice.operator.testing.RunningFrontEnd;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deployment slots through the real nginx, run by the front-end pods' own script
 * ({@code FrontEndProcess}) on the generated configuration, with two stand-in deployments of one
 * app on loopback (each answers with its name): the slot's host name, the traffic split over fresh
 * clients, the {@code x-ms-routing-name} cookie and query parameter, and swaps under load.
 */
@org.junit.jupiter.api.Tag(dev.appservice.operator.testing.TestGroups.DATA_PLANE)
class SlotRoutingNginxTest {
    private static final String PRODUCTION_HOST = "shop.ase1.p.appservice.local";
    private static final String SLOT_HOST = "shop-staging.ase1.p.appservice.local";
    private static final int CLIENTS = 2_000;
    private static final int STAGING_PERCENT = 20;
    /** Five standard deviations of the binomial count: a correct split falls outside about once in 1.7 million runs. */
    private static final double BOUND_IN_STANDARD_DEVIATIONS = 5;

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final LoopbackBackends backends = new LoopbackBackends();
    private RunningFrontEnd frontEnd;
    private String productionAddress;
    private String stagingAddress;

    @BeforeEach
    void start() throws IOException {
        frontEnd = new RunningFrontEnd();
        productionAddress = backend("production");
        stagingAddress = backend("staging");
    }

    @AfterEach
    void stop() throws Exception {
        frontEnd.close();
        backends.close();
    }

    /** A loopback stand-in for one deployment: answers with its name. */
    private String backend(String name) throws IOException {
        return backends.named(name);
    }

    /** The app with a staging slot; {@code serving} is what its controller recorded as serving production. */
    private static WebApp shop(int stagingPercent, String serving) {
        WebApp app = new WebApp();
        app.setMetadata(new ObjectMetaBuilder()
                .withNamespace("contoso")
                .withName("shop")
                .build());
        WebAppSpec spec = new WebAppSpec();
        spec.setPlanName("web-plan");
        spec.setImage("registry.example/shop:1");
        spec.setPort(8080);
        DeploymentSlot staging = new DeploymentSlot();
        staging.setName("staging");
        staging.setImage("registry.example/shop:2");
        staging.setTrafficPercent(stagingPercent);
        spec.setSlots(List.of(staging));
        spec.setProduction(serving);
        app.setSpec(spec);
        WebAppStatus status = new WebAppStatus();
        status.setProduction(serving);
        app.setStatus(status);
        return app;
    }

    private FrontEndConfiguration render(WebApp app) {
        return render(Fixtures.environment("contoso", "ase1"), app);
    }

    private FrontEndConfiguration render(AppServiceEnvironment ase, WebApp app) {
        IsolatedPlan plan = Fixtures.plan("contoso", "web-plan", "ase1", InstanceSize.I1, 2);
        EnvironmentTopology topology = new EnvironmentTopology(ase, List.of(plan), List.of(app));
        return frontEnd.render(topology, new NginxConfig.AppAddresses() {
            @Override
            public Optional<String> of(IsolatedPlan p, WebApp a) {
                return Optional.of(productionAddress);
            }

            @Override
            public Optional<String> ofSlot(IsolatedPlan p, WebApp a, String slot) {
                return Optional.of(stagingAddress);
            }
        });
    }

    private static HttpResponse<String> get(HttpClient client, String host, String path, String cookie)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + NginxConfig.HTTP_PORT + path))
                .header("Host", host)
                .timeout(Duration.ofSeconds(10));
        if (cookie != null) {
            request.header("Cookie", "x-ms-routing-name=" + cookie);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The side the response's cookie keeps the client on. */
    private static String cookie(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("x-ms-routing-name="))
                .map(c -> c.substring("x-ms-routing-name=".length(), c.indexOf(';')))
                .findFirst()
                .orElse(null);
    }

    @Test
    void theSlotsHostNameReachesTheSlot() throws Exception {
        frontEnd.start(render(shop(0, null)));
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 50; i++) {
            assertThat(get(client, SLOT_HOST, "/", null).body()).isEqualTo("staging");
            // With no share of traffic, production's clients all stay on production.
            assertThat(get(client, PRODUCTION_HOST, "/", null).body()).isEqualTo("production");
        }
    }

    @Test
    void slotsGetTheEnvironmentsHttpsAsTheAppDoes() throws Exception {
        frontEnd.start(render(NginxFrontEndTest.withTls(Fixtures.environment("contoso", "ase1")), shop(0, null)));
        HttpResponse<String> redirect = get(HttpClient.newHttpClient(), "shop-staging.localhost", "/cart", null);
        assertThat(redirect.statusCode()).isEqualTo(308);
        assertThat(redirect.headers().firstValue("location")).hasValue("https://shop-staging.localhost/cart");
        HttpClient https = HttpClient.newBuilder()
                .sslContext(NginxFrontEndTest.trusting(RunningFrontEnd.TLS.resolve("tls.crt")))
                .sslParameters(NginxFrontEndTest.sni())
                .build();
        for (var expected : Map.of(
                        "shop-staging.localhost/",
                        "staging",
                        "shop.localhost/",
                        "production",
                        "shop.localhost/?x-ms-routing-name=staging",
                        "staging")
                .entrySet()) {
            String[] hostAndPath = expected.getKey().split("/", 2);
            HttpResponse<String> response = https.send(
                    HttpRequest.newBuilder(
                                    URI.create("https://localhost:" + NginxConfig.HTTPS_PORT + "/" + hostAndPath[1]))
                            .header("Host", hostAndPath[0])
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).as(expected.getKey()).isEqualTo(expected.getValue());
        }
    }

    @Test
    void aShareOfFreshClientsGoesToTheSlotAndEachStaysOnItsSideByTheCookie() throws Exception {
        frontEnd.start(render(shop(STAGING_PERCENT, null)));
        HttpClient client = HttpClient.newHttpClient();
        int onStaging = 0;
        List<String> sides = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            HttpResponse<String> first = get(client, PRODUCTION_HOST, "/", null);
            String side = cookie(first);
            assertThat(side)
                    .as("the cookie names the side the client was sent to")
                    .isEqualTo(first.body().equals("staging") ? "staging" : "self");
            if (first.body().equals("staging")) {
                onStaging++;
            }
            sides.add(side);
        }
        double expected = CLIENTS * STAGING_PERCENT / 100.0;
        double bound = BOUND_IN_STANDARD_DEVIATIONS
                * Math.sqrt(CLIENTS * (STAGING_PERCENT / 100.0) * (1 - STAGING_PERCENT / 100.0));
        assertThat((double) onStaging)
                .as("fresh clients sent to the slot, of " + CLIENTS)
                .isBetween(expected - bound, expected + bound);

        // Each client, coming back with its cookie, stays on its side every time.
        for (int i = 0; i < 300; i++) {
            String side = sides.get(i);
            for (int again = 0; again < 3; again++) {
                HttpResponse<String> next = get(client, PRODUCTION_HOST, "/", side);
                assertThat(next.body()).isEqualTo(side.equals("staging") ? "staging" : "production");
                assertThat(cookie(next)).isEqualTo(side);
            }
        }
    }

    @Test
    void theQueryParameterOptsInAndOut() throws Exception {
        frontEnd.start(render(shop(0, null)));
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> in = get(client, PRODUCTION_HOST, "/?x-ms-routing-name=staging", null);
        assertThat(in.body()).isEqualTo("staging");
        assertThat(cookie(in)).isEqualTo("staging");
        // The cookie it set keeps the client on the slot without the parameter.
        assertThat(get(client, PRODUCTION_HOST, "/cart", "staging").body()).isEqualTo("staging");
        // And the parameter wins over the cookie: opting out.
        HttpResponse<String> out = get(client, PRODUCTION_HOST, "/?x-ms-routing-name=self", "staging");
        assertThat(out.body()).isEqualTo("production");
        assertThat(cookie(out)).isEqualTo("self");
        assertThat(get(client, PRODUCTION_HOST, "/", "self").body()).isEqualTo("production");
        // A name that is no slot of the app is ignored.
        assertThat(get(client, PRODUCTION_HOST, "/?x-ms-routing-name=nonesuch", null)
                        .body())
                .isEqualTo("production");
    }

    /** Requests of the load a configuration serves before the next change. */
    private static final int LOAD_SEEN = 50;

    @Test
    void swapsUnderContinuousLoadFailNoRequest() throws Exception {
        Path wrk = Path.of("/usr/bin/wrk");
        assertThat(wrk).as("wrk (apt-get install wrk; .ci/run installs it)").exists();
        frontEnd.start(render(shop(0, null)));

        // New connections per request (wrk) and keep-alive clients that resend as browsers do, on the production host
        // name.
        Process load = new ProcessBuilder(
                        wrk.toString(),
                        "-t",
                        "2",
                        "-c",
                        "16",
                        "-d",
                        "8s",
                        "-H",
                        "Host: " + PRODUCTION_HOST,
                        "-H",
                        "Connection: close",
                        "http://127.0.0.1:" + NginxConfig.HTTP_PORT + "/")
                .redirectErrorStream(true)
                .start();
        Process keepAlive = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Djdk.httpclient.allowRestrictedHeaders=host",
                        "-cp",
                        System.getProperty("java.class.path"),
                        KeepAliveLoad.class.getName(),
                        "http://127.0.0.1:" + NginxConfig.HTTP_PORT + "/",
                        PRODUCTION_HOST,
                        "8",
                        "8")
                .redirectErrorStream(true)
                .start();
        // Both loads flowing (the JVM one starts last) before the first swap.
        KeepAliveLoad.awaitServing(keepAlive);
        // Swap, swap back, swap again: each a new configuration the front end's script picks up and reloads gracefully.
        String[] serving = {"staging", null, "staging", null};
        for (int round = 0; round < serving.length; round++) {
            frontEnd.write(render(shop(0, serving[round])));
            frontEnd.awaitReloads(round + 1);
            boolean swapped = serving[round] != null;
            // New connections reach the new configuration's workers once the old ones have stopped accepting.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> get(HttpClient.newHttpClient(), PRODUCTION_HOST, "/", null)
                            .body()
                            .equals(swapped ? "staging" : "production"));
            // The slot's host name serves the previous production while swapped: the rollback, running.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> get(HttpClient.newHttpClient(), SLOT_HOST, "/", null)
                            .body()
                            .equals(swapped ? "production" : "staging"));
            // The load runs on the new configuration before the next change: its production answered some of it
            // (unless the loads have ended: on a slow machine the last rounds may come after them).
            String production = swapped ? "staging" : "production";
            long answered = backends.answered(production);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> backends.answered(production) >= answered + LOAD_SEEN
                            || !(load.isAlive() || keepAlive.isAlive()));
        }
        String report = new String(load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(load.waitFor()).isZero();
        assertThat(report)
                .as(report)
                .contains("requests in")
                .doesNotContain("Non-2xx")
                .doesNotContain("Socket errors");
        String keptAlive = new String(keepAlive.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keepAlive.waitFor()).isZero();
        assertThat(keptAlive).as(keptAlive).containsPattern("ok=[1-9][0-9]* failed=0");
        assertThat(frontEnd.reloads()).isEqualTo(serving.length);
    }
}
