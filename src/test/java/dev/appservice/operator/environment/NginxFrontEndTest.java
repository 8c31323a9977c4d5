package dev.appservice.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.TlsSettings;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppSpec;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The front ends' generated configuration run by the real nginx (Debian's, installed by .ci/run),
 * with the apps' upstreams pointed at small HTTP servers this test starts on loopback. Requests
 * carry each app's Host header and must reach that app; unknown hosts get 404; HTTPS terminates
 * with a test certificate; the management port answers health.
 */
class NginxFrontEndTest {
    static final Path NGINX = Path.of("/usr/sbin/nginx");
    static final Path TLS = Path.of("src/test/resources/tls").toAbsolutePath();

    final List<HttpServer> apps = new ArrayList<>();
    final List<Runnable> closers = new ArrayList<>();
    Process nginx;
    Path dir;

    @BeforeEach
    void start() throws IOException {
        dir = Files.createTempDirectory("nginx");
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
        }
        apps.forEach(s -> s.stop(0));
        closers.forEach(Runnable::run);
    }

    /** A loopback HTTP server that answers every request with its name and the Host it saw. */
    int app(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = (name + " " + exchange.getRequestHeaders().getFirst("Host") + " "
                    + exchange.getRequestHeaders().getFirst("X-Forwarded-Proto")).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        apps.add(server);
        return server.getAddress().getPort();
    }

    static WebApp webApp(String name, String plan, int port, String... hostNames) {
        WebApp app = new WebApp();
        app.setMetadata(new ObjectMetaBuilder().withNamespace("contoso").withName(name).build());
        WebAppSpec spec = new WebAppSpec();
        spec.setPlanName(plan);
        spec.setImage("registry.example/" + name + ":1");
        spec.setPort(port);
        spec.setHostNames(List.of(hostNames));
        app.setSpec(spec);
        return app;
    }

    /** Renders the environment's config with upstreams on loopback (or at a host that does not resolve). */
    Path config(EnvironmentTopology topology, Map<String, String> upstreamByApp) throws IOException {
        String text = NginxConfig.render(topology, "127.0.0.1", (plan, app) -> upstreamByApp.get(app.getMetadata().getName()), TLS.toString());
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, relocate(text));
        return file;
    }

    /** nginx's pid and temp files go to this test's directory instead of /tmp (and nothing else moves). */
    String relocate(String config) {
        return config.replaceAll("(pid|_temp_path) /tmp/", "$1 " + java.util.regex.Matcher.quoteReplacement(dir.toString()) + "/");
    }

    void check(Path config) throws Exception {
        Process test = new ProcessBuilder(NGINX.toString(), "-t", "-c", config.toString(), "-p", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(test.waitFor()).as("nginx -t:\n" + out).isZero();
    }

    void run(Path config) throws Exception {
        check(config);
        nginx = new ProcessBuilder(NGINX.toString(), "-c", config.toString(), "-p", dir.toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", NginxConfig.MANAGEMENT_PORT)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nginx did not start: " + Files.readString(dir.resolve("nginx.log")));
    }

    static HttpResponse<String> get(HttpClient client, String scheme, int port, String host, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + port + path)).header("Host", host)
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    EnvironmentTopology topology(AppServiceEnvironment ase, WebApp... webApps) {
        IsolatedPlan web = Fixtures.plan("contoso", "web-plan", "ase1", InstanceSize.I1, 2);
        IsolatedPlan api = Fixtures.plan("contoso", "api-plan", "ase1", InstanceSize.I1, 1);
        return new EnvironmentTopology(ase, List.of(web, api), List.of(webApps));
    }

    @Test
    void routesEachHostToItsAppAndUnknownHostsTo404() throws Exception {
        int shop = app("shop");
        int blog = app("blog");
        int api = app("api");
        EnvironmentTopology topology = topology(Fixtures.environment("contoso", "ase1"),
                webApp("shop", "web-plan", 8080, "www.contoso.com"), webApp("blog", "web-plan", 8081), webApp("api", "api-plan", 8080));
        run(config(topology, Map.of("shop", "http://127.0.0.1:" + shop, "blog", "http://127.0.0.1:" + blog, "api", "http://127.0.0.1:" + api)));

        HttpClient client = HttpClient.newHttpClient();
        assertThat(get(client, "http", 8080, "shop.ase1.p.appservice.local", "/").body()).isEqualTo("shop shop.ase1.p.appservice.local http");
        assertThat(get(client, "http", 8080, "www.contoso.com", "/cart?id=1").body()).isEqualTo("shop www.contoso.com http");
        assertThat(get(client, "http", 8080, "blog.ase1.p.appservice.local", "/").body()).startsWith("blog ");
        assertThat(get(client, "http", 8080, "api.ase1.p.appservice.local", "/v1/orders").body()).startsWith("api ");
        assertThat(get(client, "http", 8080, "unknown.example.com", "/").statusCode()).isEqualTo(404);
        assertThat(get(client, "http", NginxConfig.MANAGEMENT_PORT, "anything", "/healthz").body()).isEqualTo("ok\n");
        assertThat(get(client, "http", NginxConfig.MANAGEMENT_SECONDARY_PORT, "anything", "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(client, "http", NginxConfig.MANAGEMENT_PORT, "anything", "/other").statusCode()).isEqualTo(404);
    }

    @Test
    void terminatesHttpsWithTheEnvironmentsCertificateAndRedirectsHttp() throws Exception {
        int shop = app("shop");
        AppServiceEnvironment ase = Fixtures.environment("contoso", "ase1");
        TlsSettings tls = new TlsSettings();
        tls.setSecretName("wildcard");
        ase.getSpec().setTls(tls);
        ase.getSpec().setDnsSuffix("localhost");
        EnvironmentTopology topology = topology(ase, webApp("shop", "web-plan", 8080));
        run(config(topology, Map.of("shop", "http://127.0.0.1:" + shop)));

        HttpResponse<String> redirect = get(HttpClient.newHttpClient(), "http", 8080, "shop.localhost", "/cart");
        assertThat(redirect.statusCode()).isEqualTo(308);
        assertThat(redirect.headers().firstValue("location")).hasValue("https://shop.localhost/cart");

        HttpClient https = HttpClient.newBuilder().sslContext(trusting(TLS.resolve("tls.crt"))).sslParameters(sni()).build();
        HttpResponse<String> response = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + NginxConfig.HTTPS_PORT + "/"))
                .header("Host", "shop.localhost").timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("shop shop.localhost https");
        assertThat(https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + NginxConfig.HTTPS_PORT + "/"))
                .header("Host", "nobody.localhost").build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }

    @Test
    void startsEvenWhenAnAppsWorkersDoNotExistYet() throws Exception {
        EnvironmentTopology topology = topology(Fixtures.environment("contoso", "ase1"), webApp("ghost", "web-plan", 8080));
        // The in-cluster upstream name does not resolve, as for a worker Service not created yet:
        // a loopback DNS server answers NXDOMAIN to every question.
        int dns = nxdomainServer();
        String text = NginxConfig.render(topology, "127.0.0.1:" + dns,
                (plan, app) -> OperatorSettings.defaults().upstreams().url(plan, app), TLS.toString());
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, relocate(text));
        run(file);
        assertThat(get(HttpClient.newHttpClient(), "http", 8080, "ghost.ase1.p.appservice.local", "/").statusCode()).isEqualTo(502);
        assertThat(get(HttpClient.newHttpClient(), "http", NginxConfig.MANAGEMENT_PORT, "x", "/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void everyConfigurationTheOperatorRendersPassesNginxCheck() throws Exception {
        AppServiceEnvironment plain = Fixtures.environment("contoso", "ase1");
        AppServiceEnvironment withTls = Fixtures.environment("contoso", "ase1");
        TlsSettings tls = new TlsSettings();
        tls.setSecretName("wildcard");
        withTls.getSpec().setTls(tls);
        for (AppServiceEnvironment ase : List.of(plain, withTls)) {
            for (WebApp[] set : List.of(new WebApp[0], new WebApp[] { webApp("a", "web-plan", 8080, "a.example.com", "b.example.com") },
                    new WebApp[] { webApp("a", "web-plan", 8080), webApp("b", "api-plan", 9000, "*.wild.example.com") })) {
                EnvironmentTopology topology = topology(ase, set);
                String text = NginxConfig.render(topology, OperatorSettings.defaults().upstreams())
                        .replace(NginxConfig.TLS_DIRECTORY, TLS.toString());
                text = relocate(text);
                Path file = dir.resolve("check.conf");
                Files.writeString(file, text.replace("resolver kube-dns.kube-system.svc.cluster.local", "resolver 127.0.0.1"));
                check(file);
            }
        }
    }

    /** A DNS server on loopback that answers every query "no such name". */
    int nxdomainServer() throws IOException {
        java.net.DatagramSocket socket = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[512];
            while (!socket.isClosed()) {
                try {
                    java.net.DatagramPacket query = new java.net.DatagramPacket(buffer, buffer.length);
                    socket.receive(query);
                    byte[] answer = java.util.Arrays.copyOf(query.getData(), query.getLength());
                    answer[2] = (byte) (0x80 | (answer[2] & 0x01)); // QR=1, keep RD
                    answer[3] = (byte) 0x83; // RA=1, RCODE=3 (NXDOMAIN)
                    socket.send(new java.net.DatagramPacket(answer, answer.length, query.getSocketAddress()));
                } catch (IOException closed) {
                    return;
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
        closers.add(socket::close);
        return socket.getLocalPort();
    }

    static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry("test", CertificateFactory.getInstance("X.509").generateCertificate(in));
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
        return parameters;
    }
}
