package dev.appservice.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.FrontEndSettings;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.LoadBalancerType;
import dev.appservice.operator.api.RuleAccess;
import dev.appservice.operator.api.TlsSettings;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppSpec;
import dev.appservice.operator.desired.FrontEndConfiguration;
import dev.appservice.operator.desired.FrontEndProcess;
import dev.appservice.operator.desired.FrontEnds;
import dev.appservice.operator.desired.NginxConfig;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.RunningFrontEnd;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The front ends' generated configuration run by the real nginx (Debian's, installed by .ci/run),
 * started by the very script the front-end pods run ({@link FrontEndProcess}), with the apps'
 * addresses pointed at small servers this test starts on loopback: routing by host, HTTPS with
 * HTTP/2, WebSockets, body limits, timeouts, upstream keep-alive, forwarded headers, the longest
 * legal host names, 1,000 apps, and reloads under load.
 */
@org.junit.jupiter.api.Tag(dev.appservice.operator.testing.TestGroups.DATA_PLANE)
class NginxFrontEndTest {
    static final Path TLS = RunningFrontEnd.TLS;

    static {
        // The JDK's HTTP server writes headers and body apart; without this, Nagle's algorithm and
        // delayed ACKs hold every response on a kept-alive connection for 40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    final List<HttpServer> apps = new ArrayList<>();
    final List<AutoCloseable> closers = new ArrayList<>();
    /** Per stand-in app: the client ports of the connections it was sent requests on. */
    final Map<String, Set<Integer>> connections = new ConcurrentHashMap<>();

    RunningFrontEnd frontEnd;

    @BeforeEach
    void start() throws IOException {
        frontEnd = new RunningFrontEnd();
    }

    @AfterEach
    void stop() throws Exception {
        frontEnd.close();
        apps.forEach(s -> s.stop(0));
        for (AutoCloseable closer : closers) {
            closer.close();
        }
    }

    /** Waits until the front end's script has logged the text. */
    private void awaitLog(String text) {
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> frontEnd.logText().contains(text));
    }

    /**
     * A loopback HTTP app that answers with its name, the Host, X-Forwarded-For and -Proto it saw
     * and the size of the body it read; {@code ?delay=ms} answers late. It notes each connection.
     */
    String app(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        connections.put(name, seen);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRemoteAddress().getPort());
            long bodyBytes = exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            String query = exchange.getRequestURI().getQuery();
            if (query != null && query.startsWith("delay=")) {
                try {
                    Thread.sleep(Long.parseLong(query.substring("delay=".length())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            var headers = exchange.getRequestHeaders();
            byte[] body = (name + " " + headers.getFirst("Host") + " " + headers.getFirst("X-Forwarded-Proto") + " xff="
                            + headers.getFirst("X-Forwarded-For") + " body=" + bodyBytes)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
        apps.add(server);
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    static WebApp webApp(String name, String plan, int port, String... hostNames) {
        WebApp app = new WebApp();
        app.setMetadata(
                new ObjectMetaBuilder().withNamespace("contoso").withName(name).build());
        WebAppSpec spec = new WebAppSpec();
        spec.setPlanName(plan);
        spec.setImage("registry.example/" + name + ":1");
        spec.setPort(port);
        spec.setHostNames(List.of(hostNames));
        app.setSpec(spec);
        return app;
    }

    EnvironmentTopology topology(AppServiceEnvironment ase, WebApp... webApps) {
        IsolatedPlan web =
                Fixtures.plan("contoso", "web-plan", ase.getMetadata().getName(), InstanceSize.I1, 2);
        IsolatedPlan api =
                Fixtures.plan("contoso", "api-plan", ase.getMetadata().getName(), InstanceSize.I1, 1);
        return new EnvironmentTopology(ase, List.of(web, api), List.of(webApps));
    }

    static AppServiceEnvironment withTls(AppServiceEnvironment ase) {
        TlsSettings tls = new TlsSettings();
        tls.setSecretName("wildcard");
        ase.getSpec().setTls(tls);
        ase.getSpec().setDnsSuffix("localhost");
        return ase;
    }

    static FrontEndSettings frontEnd(AppServiceEnvironment ase) {
        if (ase.getSpec().getFrontEnd() == null) {
            ase.getSpec().setFrontEnd(new FrontEndSettings());
        }
        return ase.getSpec().getFrontEnd();
    }

    FrontEndConfiguration render(EnvironmentTopology topology, Map<String, String> addressByApp) {
        return frontEnd.render(topology, addressByApp);
    }

    void write(FrontEndConfiguration configuration) throws IOException {
        frontEnd.write(configuration);
    }

    void run(FrontEndConfiguration configuration) throws Exception {
        frontEnd.start(configuration);
    }

    long reloads() throws IOException {
        return frontEnd.reloads();
    }

    void awaitReloads(int count) throws Exception {
        frontEnd.awaitReloads(count);
    }

    static HttpResponse<String> get(HttpClient client, String scheme, int port, String host, String path)
            throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + port + path))
                        .header("Host", host)
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void routesEachHostToItsAppAndUnknownHostsTo404() throws Exception {
        EnvironmentTopology topology = topology(
                Fixtures.environment("contoso", "ase1"),
                webApp("shop", "web-plan", 8080, "www.contoso.com"),
                webApp("blog", "web-plan", 8081),
                webApp("api", "api-plan", 8080));
        run(render(topology, Map.of("shop", app("shop"), "blog", app("blog"), "api", app("api"))));

        HttpClient client = HttpClient.newHttpClient();
        assertThat(get(client, "http", 8080, "shop.ase1.p.appservice.local", "/")
                        .body())
                .startsWith("shop shop.ase1.p.appservice.local http ");
        assertThat(get(client, "http", 8080, "www.contoso.com", "/cart?id=1").body())
                .startsWith("shop www.contoso.com http ");
        assertThat(get(client, "http", 8080, "blog.ase1.p.appservice.local", "/")
                        .body())
                .startsWith("blog ");
        assertThat(get(client, "http", 8080, "api.ase1.p.appservice.local", "/v1/orders")
                        .body())
                .startsWith("api ");
        assertThat(get(client, "http", 8080, "unknown.example.com", "/").statusCode())
                .isEqualTo(404);
        assertThat(get(client, "http", NginxConfig.MANAGEMENT_PORT, "anything", "/healthz")
                        .body())
                .isEqualTo("ok\n");
        assertThat(get(client, "http", NginxConfig.MANAGEMENT_SECONDARY_PORT, "anything", "/healthz")
                        .statusCode())
                .isEqualTo(200);
        assertThat(get(client, "http", NginxConfig.MANAGEMENT_PORT, "anything", "/other")
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void terminatesHttpsWithHttp2AndRedirectsHttp() throws Exception {
        EnvironmentTopology topology =
                topology(withTls(Fixtures.environment("contoso", "ase1")), webApp("shop", "web-plan", 8080));
        run(render(topology, Map.of("shop", app("shop"))));

        HttpResponse<String> redirect = get(HttpClient.newHttpClient(), "http", 8080, "shop.localhost", "/cart");
        assertThat(redirect.statusCode()).isEqualTo(308);
        assertThat(redirect.headers().firstValue("location")).hasValue("https://shop.localhost/cart");

        HttpClient https = HttpClient.newBuilder()
                .sslContext(trusting(TLS.resolve("tls.crt")))
                .sslParameters(sni())
                .build();
        HttpResponse<String> response = https.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + NginxConfig.HTTPS_PORT + "/"))
                        .header("Host", "shop.localhost")
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).startsWith("shop shop.localhost https ");
        // HTTP/2 negotiated by ALPN, seen by an independent client (curl with nghttp2).
        Process curl = new ProcessBuilder(
                        "curl",
                        "-s",
                        "--http2",
                        "--cacert",
                        TLS.resolve("tls.crt").toString(),
                        "-H",
                        "Host: shop.localhost",
                        "-o",
                        "/dev/null",
                        "-w",
                        "%{http_version} %{http_code}",
                        "https://localhost:" + NginxConfig.HTTPS_PORT + "/")
                .redirectErrorStream(true)
                .start();
        assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("2 200");
        assertThat(https.send(
                                HttpRequest.newBuilder(URI.create("https://localhost:" + NginxConfig.HTTPS_PORT + "/"))
                                        .header("Host", "nobody.localhost")
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void anAppWhoseServiceHasNoAddressYetGets503AndTheOthersAreServed() throws Exception {
        EnvironmentTopology topology = topology(
                Fixtures.environment("contoso", "ase1"),
                webApp("ghost", "web-plan", 8080),
                webApp("shop", "web-plan", 8081));
        run(render(topology, Map.of("shop", app("shop"))));
        assertThat(get(HttpClient.newHttpClient(), "http", 8080, "ghost.ase1.p.appservice.local", "/")
                        .statusCode())
                .isEqualTo(503);
        assertThat(get(HttpClient.newHttpClient(), "http", 8080, "shop.ase1.p.appservice.local", "/")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void passesWebSocketUpgradesThroughAndEchoes() throws Exception {
        int echo = webSocketEchoServer();
        EnvironmentTopology topology =
                topology(Fixtures.environment("contoso", "ase1"), webApp("chat", "web-plan", 8080));
        run(render(topology, Map.of("chat", "127.0.0.1:" + echo)));

        try (Socket socket = new Socket("127.0.0.1", NginxConfig.HTTP_PORT)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(
                    ("GET /hub HTTP/1.1\r\nHost: chat.ase1.p.appservice.local\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            List<String> head = readHead(in);
            assertThat(head.get(0)).startsWith("HTTP/1.1 101");
            assertThat(head).contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            for (String message : List.of("hello", "second message over the same upgraded connection")) {
                writeFrame(out, message.getBytes(StandardCharsets.UTF_8), true);
                assertThat(new String(readFrame(in), StandardCharsets.UTF_8)).isEqualTo(message);
            }
        }
    }

    @Test
    void acceptsBodiesUpToTheLimitAndRefusesLargerOnesWith413() throws Exception {
        EnvironmentTopology topology =
                topology(Fixtures.environment("contoso", "ase1"), webApp("upload", "web-plan", 8080));
        run(render(topology, Map.of("upload", app("upload"))));

        byte[] body = new byte[25_000_000];
        HttpResponse<String> accepted = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/files"))
                                .header("Host", "upload.ase1.p.appservice.local")
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.body()).endsWith("body=25000000");

        // One byte over App Service's 30,000,000: refused as soon as the headers announce it.
        try (Socket socket = new Socket("127.0.0.1", NginxConfig.HTTP_PORT)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream()
                    .write(
                            ("POST /files HTTP/1.1\r\nHost: upload.ase1.p.appservice.local\r\nContent-Length: 30000001\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readHead(socket.getInputStream()).get(0)).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void waitsForSlowAppsUpToTheRequestTimeoutThen504() throws Exception {
        assertThat(render(topology(Fixtures.environment("contoso", "ase1")), Map.of())
                        .main())
                .as("App Service's front ends wait 230 s by default")
                .contains("proxy_read_timeout 230s;");

        AppServiceEnvironment ase = Fixtures.environment("contoso", "ase1");
        frontEnd(ase).setRequestTimeout("2s");
        run(render(topology(ase, webApp("slow", "web-plan", 8080)), Map.of("slow", app("slow"))));
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> inTime = get(client, "http", 8080, "slow.ase1.p.appservice.local", "/?delay=1200");
        assertThat(inTime.statusCode()).isEqualTo(200);
        assertThat(get(client, "http", 8080, "slow.ase1.p.appservice.local", "/?delay=3500")
                        .statusCode())
                .isEqualTo(504);
    }

    @Test
    void keepsConnectionsToTheAppAliveAcrossRequests() throws Exception {
        EnvironmentTopology topology =
                topology(Fixtures.environment("contoso", "ase1"), webApp("shop", "web-plan", 8080));
        run(render(topology, Map.of("shop", app("shop"))));
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < 300; i++) {
            assertThat(get(client, "http", 8080, "shop.ase1.p.appservice.local", "/" + i)
                            .statusCode())
                    .isEqualTo(200);
        }
        // One pool per nginx worker process: a handful of connections, not one per request.
        assertThat(connections.get("shop"))
                .as("upstream connections for 300 requests")
                .hasSizeLessThanOrEqualTo(8);
    }

    @Test
    void replacesAForgedForwardedForAndBelievesOnlyTrustedProxies() throws Exception {
        EnvironmentTopology untrusted =
                topology(Fixtures.environment("contoso", "ase1"), webApp("shop", "web-plan", 8080));
        String shop = app("shop");
        run(render(untrusted, Map.of("shop", shop)));
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> forged = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/"))
                        .header("Host", "shop.ase1.p.appservice.local")
                        .header("X-Forwarded-For", "6.6.6.6")
                        .header("X-Forwarded-Proto", "https")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.body()).contains(" http xff=127.0.0.1 ").doesNotContain("6.6.6.6");

        AppServiceEnvironment ase = Fixtures.environment("contoso", "ase1");
        frontEnd(ase).setTrustedProxies(List.of("127.0.0.0/8", "fd00::/8"));
        write(render(topology(ase, webApp("shop", "web-plan", 8080)), Map.of("shop", shop)));
        awaitReloads(1);
        HttpResponse<String> viaProxy = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/"))
                        .header("Host", "shop.ase1.p.appservice.local")
                        .header("X-Forwarded-For", "6.6.6.6")
                        .header("X-Forwarded-Proto", "https")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(viaProxy.body()).contains(" https xff=6.6.6.6, 127.0.0.1 ");
    }

    @Test
    void accessRestrictionsDecideByPriorityWithTheImplicitDenyAndLeaveManagementAlone() throws Exception {
        AppServiceEnvironment ase = Fixtures.environment("contoso", "ase1");
        // Clients are named by a trusted proxy's X-Forwarded-For, so one loopback test can be many clients.
        frontEnd(ase).setTrustedProxies(List.of("127.0.0.0/8"));
        WebApp guarded = webApp("guarded", "web-plan", 8080);
        guarded.getSpec()
                .setAccessRestrictions(List.of(
                        Fixtures.accessRestriction("one-host", 100, RuleAccess.Deny, "203.0.113.7/32"),
                        Fixtures.accessRestriction("partner", 200, RuleAccess.Allow, "203.0.113.0/24"),
                        Fixtures.accessRestriction("office", 300, RuleAccess.Allow, "10.0.0.0/8"),
                        Fixtures.accessRestriction("lab", 400, RuleAccess.Deny, "10.1.0.0/16"),
                        Fixtures.accessRestriction("v6-partner", 500, RuleAccess.Allow, "2001:db8::/32")));
        WebApp open = webApp("open", "web-plan", 8081);
        String address = app("app");
        run(render(topology(ase, guarded, open), Map.of("guarded", address, "open", address)));

        Map<String, Integer> expected = new java.util.LinkedHashMap<>();
        expected.put("203.0.113.7", 403); // denied by the first rule, though the second allows its range
        expected.put("203.0.113.8", 200);
        expected.put("10.1.2.3", 200); // "office" (300) is checked before "lab" (400)
        expected.put("2001:db8::5", 200); // IPv6
        expected.put("2001:db9::5", 403); // no rule: the implicit deny
        expected.put("192.0.2.1", 403);
        HttpClient client = HttpClient.newHttpClient();
        for (var e : expected.entrySet()) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/"))
                            .header("Host", "guarded.ase1.p.appservice.local")
                            .header("X-Forwarded-For", e.getKey())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(client.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/"))
                                        .header("Host", "open.ase1.p.appservice.local")
                                        .header("X-Forwarded-For", "192.0.2.1")
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .as("an app without rules admits everyone")
                .isEqualTo(200);
        assertThat(client.send(
                                HttpRequest.newBuilder(URI.create(
                                                "http://127.0.0.1:" + NginxConfig.MANAGEMENT_PORT + "/healthz"))
                                        .header("X-Forwarded-For", "192.0.2.1")
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .as("the management endpoint is not the app's")
                .isEqualTo(200);
        // A forged header from a client that is not a trusted proxy changes nothing.
        AppServiceEnvironment untrusted = Fixtures.environment("contoso", "ase1");
        write(render(topology(untrusted, guarded), Map.of("guarded", address)));
        awaitReloads(1);
        assertThat(client.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/"))
                                        .header("Host", "guarded.ase1.p.appservice.local")
                                        .header("X-Forwarded-For", "203.0.113.8")
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .as("127.0.0.1 itself is in no rule")
                .isEqualTo(403);
    }

    @Test
    void loadsTheLongestHostNamesTheApiAccepts() throws Exception {
        // A 63-character app on an Internal environment with a 63-character name: the default host
        // name alone is 63 + 1 + 63 + 27 characters; and a 253-character custom domain.
        String longName = "a".repeat(62) + "z";
        AppServiceEnvironment ase = Fixtures.environment("contoso", "e".repeat(63), LoadBalancerType.Internal, null);
        String label = "l".repeat(63);
        String longest = String.join(".", label, label, label, "l".repeat(57), "com");
        assertThat(longest).hasSize(253);
        EnvironmentTopology topology = topology(ase, webApp(longName, "web-plan", 8080, longest));
        run(render(topology, Map.of(longName, app("long"))));
        String defaultHost = longName + "." + "e".repeat(63) + ".appserviceenvironment.net";
        assertThat(get(HttpClient.newHttpClient(), "http", 8080, defaultHost, "/")
                        .body())
                .startsWith("long ");
        assertThat(get(HttpClient.newHttpClient(), "http", 8080, longest, "/").body())
                .startsWith("long ");
    }

    @Test
    void aThousandAppsWithFiveThousandHostNamesLoadInShardsBelowTheObjectLimit() throws Exception {
        List<WebApp> many = new ArrayList<>();
        Map<String, String> addresses = new HashMap<>();
        String last = app("last");
        for (int i = 0; i < 1000; i++) {
            String name = "app-" + i + "-" + "x".repeat(20);
            many.add(webApp(
                    name,
                    i % 2 == 0 ? "web-plan" : "api-plan",
                    8080,
                    name + ".contoso.com",
                    name + ".fabrikam.com",
                    name + ".northwind.example",
                    "*." + name + ".wildcard.example"));
            addresses.put(name, last);
        }
        EnvironmentTopology topology =
                topology(withTls(Fixtures.environment("contoso", "ase1")), many.toArray(WebApp[]::new));
        FrontEndConfiguration configuration = render(topology, addresses);
        assertThat(configuration.shards()).hasSizeGreaterThan(1);
        for (var map : FrontEnds.configMaps(topology, configuration)) {
            int bytes = io.fabric8.kubernetes.client.utils.Serialization.asJson(map)
                    .getBytes(StandardCharsets.UTF_8)
                    .length;
            assertThat(bytes).as(map.getMetadata().getName()).isLessThan(1024 * 1024);
        }
        run(configuration);
        HttpClient https = HttpClient.newBuilder()
                .sslContext(trusting(TLS.resolve("tls.crt")))
                .sslParameters(sni())
                .build();
        String host = "deep." + "app-999-" + "x".repeat(20) + ".wildcard.example";
        assertThat(https.send(
                                HttpRequest.newBuilder(URI.create("https://localhost:" + NginxConfig.HTTPS_PORT + "/"))
                                        .header("Host", host)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body())
                .startsWith("last " + host);
    }

    @Test
    void appliesChangedConfigurationsUnderLoadWithoutFailingARequest() throws Exception {
        Path wrk = Path.of("/usr/bin/wrk");
        assertThat(wrk).as("wrk (apt-get install wrk; .ci/run installs it)").exists();
        AppServiceEnvironment ase = Fixtures.environment("contoso", "ase1");
        String shop = app("shop");
        String other = app("other");
        WebApp shopApp = webApp("shop", "web-plan", 8080);
        run(render(topology(ase, shopApp), Map.of("shop", shop)));

        // Two loads of their own processes: wrk with a new connection per request (a request in
        // flight at a reload must complete, and a new connection must never be refused), and
        // keep-alive clients that resend a request whose reused connection was closed before any
        // answer, as browsers do (nginx closes idle keep-alive connections on reload).
        Process load = new ProcessBuilder(
                        wrk.toString(),
                        "-t",
                        "2",
                        "-c",
                        "16",
                        "-d",
                        "8s",
                        "-H",
                        "Host: shop.ase1.p.appservice.local",
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
                        dev.appservice.operator.testing.KeepAliveLoad.class.getName(),
                        "http://127.0.0.1:" + NginxConfig.HTTP_PORT + "/",
                        "shop.ase1.p.appservice.local",
                        "8",
                        "8")
                .redirectErrorStream(true)
                .start();
        // Both loads flowing (the JVM one starts last) before the first change.
        dev.appservice.operator.testing.KeepAliveLoad.awaitServing(keepAlive);
        // Apps come and go while shop is under load: each change is a graceful reload.
        for (int round = 0; round < 4; round++) {
            List<WebApp> set = new ArrayList<>(List.of(shopApp));
            Map<String, String> addresses = new HashMap<>(Map.of("shop", shop));
            if (round % 2 == 0) {
                set.add(webApp("new-" + round, "api-plan", 9000, "new-" + round + ".example.com"));
                addresses.put("new-" + round, other);
            }
            write(render(topology(ase, set.toArray(WebApp[]::new)), addresses));
            awaitReloads(round + 1);
            if (round % 2 == 0) {
                assertThat(get(HttpClient.newHttpClient(), "http", 8080, "new-" + round + ".example.com", "/")
                                .body())
                        .startsWith("other ");
            }
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
        assertThat(reloads()).isEqualTo(4);
    }

    @Test
    void waitsForEveryShardBeforeApplyingAConfiguration() throws Exception {
        EnvironmentTopology topology =
                topology(Fixtures.environment("contoso", "ase1"), webApp("shop", "web-plan", 8080));
        String shop = app("shop");
        run(render(topology, Map.of("shop", shop)));
        FrontEndConfiguration next = render(
                topology(
                        Fixtures.environment("contoso", "ase1"),
                        webApp("shop", "web-plan", 8080),
                        webApp("blog", "web-plan", 8081)),
                Map.of("shop", shop, "blog", app("blog")));
        // The main file arrives first, naming a shard content that is not there yet: nothing applied.
        frontEnd.writeFile(NginxConfig.MAIN_FILE, frontEnd.relocate(next.main()));
        // The script has seen the new main file and decided: it waits.
        awaitLog("waiting for every part of the new configuration");
        assertThat(reloads()).isZero();
        write(next);
        awaitReloads(1);
        assertThat(get(HttpClient.newHttpClient(), "http", 8080, "blog.ase1.p.appservice.local", "/")
                        .body())
                .startsWith("blog ");
    }

    @Test
    void keepsTheRunningConfigurationWhenNginxRefusesANewOne() throws Exception {
        EnvironmentTopology topology =
                topology(Fixtures.environment("contoso", "ase1"), webApp("shop", "web-plan", 8080));
        FrontEndConfiguration good = render(topology, Map.of("shop", app("shop")));
        run(good);
        // The shard keeps the line the main file lists, so it counts as complete, but nginx -t refuses it.
        frontEnd.writeFile(
                NginxConfig.shardFile(0), good.shards().get(NginxConfig.shardFile(0)) + "this is not nginx;\n");
        // The script has checked the new configuration and decided: nginx refused it.
        awaitLog("nginx refused the new configuration");
        assertThat(reloads()).isZero();
        assertThat(get(HttpClient.newHttpClient(), "http", 8080, "shop.ase1.p.appservice.local", "/")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void everyConfigurationTheOperatorRendersPassesNginxCheck() throws Exception {
        for (boolean tls : List.of(false, true)) {
            for (WebApp[] set : List.of(
                    new WebApp[0],
                    new WebApp[] {webApp("a", "web-plan", 8080, "a.example.com", "b.example.com")},
                    new WebApp[] {webApp("a", "web-plan", 8080), webApp("b", "api-plan", 9000, "*.wild.example.com")
                    })) {
                AppServiceEnvironment ase = Fixtures.environment("contoso", "ase1");
                if (tls) {
                    withTls(ase);
                }
                frontEnd(ase).setTrustedProxies(List.of("10.0.0.0/8", "2001:db8::/32"));
                frontEnd(ase).setMaxRequestBodySize(new io.fabric8.kubernetes.api.model.IntOrString(0));
                write(render(topology(ase, set), Map.of("a", "10.96.0.10:8080")));
                frontEnd.check();
            }
        }
    }

    // --- a minimal WebSocket (RFC 6455) echo server and frame codec for the test ---

    int webSocketEchoServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closers.add(server);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread connection = new Thread(() -> echo(socket));
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return server.getLocalPort();
    }

    static void echo(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String key = readHead(in).stream()
                    .filter(h -> h.toLowerCase().startsWith("sec-websocket-key:"))
                    .map(h -> h.substring(h.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElseThrow();
            String accept = Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-1")
                            .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                                    .getBytes(StandardCharsets.US_ASCII)));
            out.write(
                    ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                                    + accept + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (true) {
                byte[] payload = readFrame(in);
                writeFrame(out, payload, false);
            }
        } catch (Exception closed) {
            // the client went away
        }
    }

    static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String text = line.toString().replace("\r", "");
                if (text.isEmpty()) {
                    return lines;
                }
                lines.add(text);
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        return lines;
    }

    /** Reads one frame's payload (unmasking a client's frame). */
    static byte[] readFrame(InputStream in) throws IOException {
        int first = in.read();
        int second = in.read();
        if (first < 0 || second < 0 || (first & 0x0F) == 8) {
            throw new IOException("closed");
        }
        long length = second & 0x7F;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        } else if (length == 127) {
            length = new java.io.DataInputStream(in).readLong();
        }
        byte[] mask = (second & 0x80) != 0 ? in.readNBytes(4) : null;
        byte[] payload = in.readNBytes((int) length);
        if (mask != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
        }
        return payload;
    }

    /** Writes a final text frame; a client's is masked. */
    static void writeFrame(OutputStream out, byte[] payload, boolean masked) throws IOException {
        out.write(0x81);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else {
            out.write(maskBit | 126);
            out.write(payload.length >> 8);
            out.write(payload.length & 0xFF);
        }
        if (masked) {
            byte[] mask = {1, 2, 3, 4};
            out.write(mask);
            byte[] copy = payload.clone();
            for (int i = 0; i < copy.length; i++) {
                copy[i] ^= mask[i % 4];
            }
            out.write(copy);
        } else {
            out.write(payload);
        }
        out.flush();
    }

    static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry(
                    "test", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    static SSLParameters sni() {
        SSLParameters parameters = new SSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("localhost")));
        parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        return parameters;
    }
}
