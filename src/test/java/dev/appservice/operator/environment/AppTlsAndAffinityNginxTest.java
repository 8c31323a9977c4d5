package dev.appservice.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.AppTlsSettings;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.TlsSettings;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppSpec;
import dev.appservice.operator.desired.AffinityUpstreams;
import dev.appservice.operator.desired.AppCertificates;
import dev.appservice.operator.desired.FrontEndConfiguration;
import dev.appservice.operator.desired.NginxConfig;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.LoopbackBackends;
import dev.appservice.operator.testing.RunningFrontEnd;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The apps' own certificates by SNI and client affinity, through the real nginx started by the
 * front-end pods' own script ({@link RunningFrontEnd}): the certificate each name gets in the TLS
 * handshake (the app's, the environment's for {@code <app>.<dnsSuffix>}, the environment's when
 * the app's Secret is missing), a renewed certificate taken without a restart, and the
 * {@code ARRAffinity} cookie set only for apps that ask and keeping a client on one of several
 * instances.
 */
@org.junit.jupiter.api.Tag(dev.appservice.operator.testing.TestGroups.DATA_PLANE)
class AppTlsAndAffinityNginxTest {
    static final String NAMESPACE = "contoso";
    /** The environment's test certificate (src/test/resources/tls) is for CN=localhost. */
    static final String ENVIRONMENT_CN = "CN=localhost";

    static final int REQUESTS_PER_CLIENT = 10;
    static final int CLIENTS = 30;

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    final LoopbackBackends servers = new LoopbackBackends();
    RunningFrontEnd frontEnd;
    Path workDirectory;

    @BeforeEach
    void start() throws IOException {
        frontEnd = new RunningFrontEnd();
        workDirectory = Files.createTempDirectory("app-certs");
    }

    @AfterEach
    void stop() throws Exception {
        frontEnd.close();
        servers.close();
    }

    @Test
    void eachNameGetsItsCertificateBySniAndAMissingSecretFallsBackToTheEnvironments() throws Exception {
        WebApp shop = app("shop", "www.contoso.test");
        shop.getSpec().setTls(tls("shop-tls"));
        WebApp blog = app("blog", "blog.contoso.test");
        blog.getSpec().setTls(tls("blog-tls")); // no such Secret
        EnvironmentTopology topology = topology(shop, blog);
        Secret shopSecret = selfSigned("shop-tls", "www.contoso.test");

        Map<String, AppCertificates.Verdict> verdicts = new HashMap<>();
        verdicts.put("shop", AppCertificates.check(NAMESPACE, "shop-tls", Optional.of(shopSecret)));
        verdicts.put("blog", AppCertificates.check(NAMESPACE, "blog-tls", Optional.empty()));
        assertThat(verdicts.get("blog")).isInstanceOf(AppCertificates.Verdict.Unusable.class);
        frontEnd.start(render(topology, Map.of(shop, verdicts.get("shop"), blog, verdicts.get("blog"))));

        assertThat(servedSubject("www.contoso.test")).isEqualTo("CN=www.contoso.test");
        assertThat(servedSubject("shop.localhost"))
                .as("the default host name keeps the environment's certificate")
                .isEqualTo(ENVIRONMENT_CN);
        assertThat(servedSubject("blog.contoso.test"))
                .as("the app's Secret is missing: the environment's certificate")
                .isEqualTo(ENVIRONMENT_CN);
        assertThat(servedSubject("blog.localhost")).isEqualTo(ENVIRONMENT_CN);
        assertThat(curl("www.contoso.test", "/")).startsWith("shop www.contoso.test");
        assertThat(curl("blog.contoso.test", "/")).startsWith("blog blog.contoso.test");

        // The blog's Secret appears and the shop's certificate is renewed: both taken by a reload, no restart.
        Secret blogSecret = selfSigned("blog-tls", "blog.contoso.test");
        Secret renewed = selfSigned("shop-tls", "www.contoso.test", "O=Renewed");
        verdicts.put("shop", AppCertificates.check(NAMESPACE, "shop-tls", Optional.of(renewed)));
        verdicts.put("blog", AppCertificates.check(NAMESPACE, "blog-tls", Optional.of(blogSecret)));
        frontEnd.write(render(topology, Map.of(shop, verdicts.get("shop"), blog, verdicts.get("blog"))));
        frontEnd.awaitReloads(1);
        assertThat(servedSubject("www.contoso.test")).isEqualTo("O=Renewed,CN=www.contoso.test");
        assertThat(servedSubject("blog.contoso.test")).isEqualTo("CN=blog.contoso.test");
        assertThat(servedSubject("shop.localhost")).isEqualTo(ENVIRONMENT_CN);
        assertThat(frontEnd.logText()).doesNotContain("refused", "emerg");
    }

    @Test
    void aConfigurationWaitsForTheCertificateFilesItNames() throws Exception {
        WebApp shop = app("shop", "www.contoso.test");
        shop.getSpec().setTls(tls("shop-tls"));
        EnvironmentTopology topology = topology(shop);
        frontEnd.start(render(topology, Map.of()));
        assertThat(servedSubject("www.contoso.test")).isEqualTo(ENVIRONMENT_CN);

        // The configuration arrives first (its ConfigMap and the Secret of copies are separate volumes).
        AppCertificates.Verdict.Usable pair = (AppCertificates.Verdict.Usable)
                AppCertificates.check(NAMESPACE, "shop-tls", Optional.of(selfSigned("shop-tls", "www.contoso.test")));
        String file = AppCertificates.fileOf(shop, pair);
        frontEnd.write(frontEnd.render(
                topology, Map.of("shop", backend("shop")), app -> Optional.of(file), AffinityUpstreams.Endpoints.NONE));
        // The script has seen the new configuration and decided: it waits for the files it names.
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> frontEnd.logText().contains("waiting for every part"));
        assertThat(frontEnd.logText()).doesNotContain("refused");
        assertThat(frontEnd.reloads()).isZero();

        writeCopies(Map.of(shop, pair));
        frontEnd.awaitReloads(1);
        assertThat(servedSubject("www.contoso.test")).isEqualTo("CN=www.contoso.test");
    }

    @Test
    void affinityCookieIsSetOnlyWhereAskedAndKeepsAClientOnOneInstance() throws Exception {
        WebApp cart = app("cart");
        cart.getSpec().setClientAffinity(true);
        WebApp shop = app("shop");
        EnvironmentTopology topology = topology(false, cart, shop);
        List<String> instances = List.of(backend("cart-1"), backend("cart-2"), backend("cart-3"));
        frontEnd.start(frontEnd.render(
                topology,
                Map.of("cart", backend("cart-cluster-ip"), "shop", backend("shop")),
                AppCertificates.Files.NONE,
                (plan, app) -> app.getMetadata().getName().equals("cart") ? instances : List.of()));

        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> first = get(client, "http", "cart.localhost", null);
        String cookie = first.headers().allValues("set-cookie").stream()
                .filter(c -> c.startsWith(AffinityUpstreams.COOKIE + "="))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no affinity cookie: " + first.headers().map()));
        assertThat(cookie).contains("Path=/", "HttpOnly").doesNotContain("Secure");
        String id = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
        String instance = first.body().split(" ")[0];
        assertThat(instance).startsWith("cart-").isNotEqualTo("cart-cluster-ip");
        for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
            HttpResponse<String> next = get(client, "http", "cart.localhost", AffinityUpstreams.COOKIE + "=" + id);
            assertThat(next.body()).as("request %d with the cookie", i).startsWith(instance + " ");
            assertThat(next.headers().allValues("set-cookie"))
                    .as("a client with the cookie gets no new one")
                    .isEmpty();
        }
        Set<String> spread = new HashSet<>();
        for (int i = 0; i < CLIENTS; i++) {
            spread.add(get(client, "http", "cart.localhost", null).body().split(" ")[0]);
        }
        assertThat(spread)
                .as("new clients are spread over the instances")
                .hasSizeGreaterThan(1)
                .allMatch(s -> s.startsWith("cart-"));

        HttpResponse<String> plain = get(client, "http", "shop.localhost", null);
        assertThat(plain.body()).startsWith("shop ");
        assertThat(plain.headers().allValues("set-cookie"))
                .as("no affinity asked, no cookie")
                .isEmpty();
    }

    @Test
    void overHttpsTheAffinityCookiesAreSecureWithTheSameSiteOne() throws Exception {
        WebApp cart = app("cart");
        cart.getSpec().setClientAffinity(true);
        EnvironmentTopology topology = topology(cart);
        List<String> instances = List.of(backend("cart-1"), backend("cart-2"));
        frontEnd.start(frontEnd.render(
                topology,
                Map.of("cart", backend("cart-cluster-ip")),
                AppCertificates.Files.NONE,
                (plan, app) -> instances));
        Process curl = new ProcessBuilder(
                        "curl",
                        "-sk",
                        "-D",
                        "-",
                        "--resolve",
                        "cart.localhost:" + NginxConfig.HTTPS_PORT + ":127.0.0.1",
                        "https://cart.localhost:" + NginxConfig.HTTPS_PORT + "/")
                .redirectErrorStream(true)
                .start();
        String response = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(response)
                .containsPattern("(?i)set-cookie: ARRAffinity=[0-9a-f]{32}; Path=/; HttpOnly; Secure")
                .containsPattern(
                        "(?i)set-cookie: ARRAffinitySameSite=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=None; Secure");
    }

    @Test
    void anAffinityAppWithoutReadyInstancesIsServedAtItsClusterAddress() throws Exception {
        WebApp cart = app("cart");
        cart.getSpec().setClientAffinity(true);
        EnvironmentTopology topology = topology(false, cart);
        frontEnd.start(frontEnd.render(
                topology,
                Map.of("cart", backend("cart-cluster-ip")),
                AppCertificates.Files.NONE,
                AffinityUpstreams.Endpoints.NONE));
        assertThat(get(HttpClient.newHttpClient(), "http", "cart.localhost", null)
                        .body())
                .startsWith("cart-cluster-ip ");
    }

    // --- fixtures ---

    FrontEndConfiguration render(EnvironmentTopology topology, Map<WebApp, AppCertificates.Verdict> verdicts)
            throws IOException {
        Map<WebApp, AppCertificates.Verdict.Usable> usable = new HashMap<>();
        verdicts.forEach((app, verdict) -> {
            if (verdict instanceof AppCertificates.Verdict.Usable pair) {
                usable.put(app, pair);
            }
        });
        writeCopies(usable);
        Map<String, String> addresses = new HashMap<>();
        for (WebApp app : topology.apps()) {
            addresses.put(app.getMetadata().getName(), backend(app.getMetadata().getName()));
        }
        return frontEnd.render(
                topology,
                addresses,
                app -> Optional.ofNullable(usable.get(app)).map(pair -> AppCertificates.fileOf(app, pair)),
                AffinityUpstreams.Endpoints.NONE);
    }

    /** The operator's Secrets of copies, as the kubelet projects them into the front ends' directory. */
    void writeCopies(Map<WebApp, AppCertificates.Verdict.Usable> usable) throws IOException {
        AppServiceEnvironment environment = environment();
        EnvironmentTopology topology = new EnvironmentTopology(environment, List.of(), List.of());
        for (Secret copy : AppCertificates.secrets(topology, usable)) {
            for (var entry : copy.getData() == null
                    ? Map.<String, String>of().entrySet()
                    : copy.getData().entrySet()) {
                Path staged = workDirectory.resolve(entry.getKey() + ".new");
                Files.write(staged, Base64.getDecoder().decode(entry.getValue()));
                Files.move(
                        staged,
                        frontEnd.certificates().resolve(entry.getKey()),
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** A loopback app that answers with its name and the Host it saw. */
    String backend(String name) throws IOException {
        return servers.start(
                exchange -> name + " " + exchange.getRequestHeaders().getFirst("Host"));
    }

    static AppServiceEnvironment environment() {
        return environment(true);
    }

    /** The environment, its apps at {@code <app>.localhost}; with TLS, the test certificate (CN=localhost). */
    static AppServiceEnvironment environment(boolean https) {
        AppServiceEnvironment ase = Fixtures.environment(NAMESPACE, "ase1");
        if (https) {
            TlsSettings tls = new TlsSettings();
            tls.setSecretName("wildcard");
            ase.getSpec().setTls(tls);
        }
        ase.getSpec().setDnsSuffix("localhost");
        return ase;
    }

    static EnvironmentTopology topology(WebApp... apps) {
        return topology(true, apps);
    }

    static EnvironmentTopology topology(boolean https, WebApp... apps) {
        IsolatedPlan plan = Fixtures.plan(NAMESPACE, "web-plan", "ase1", InstanceSize.I1, 2);
        return new EnvironmentTopology(environment(https), List.of(plan), List.of(apps));
    }

    static WebApp app(String name, String... hostNames) {
        WebApp app = new WebApp();
        app.setMetadata(
                new ObjectMetaBuilder().withNamespace(NAMESPACE).withName(name).build());
        WebAppSpec spec = new WebAppSpec();
        spec.setPlanName("web-plan");
        spec.setImage("registry.example/" + name + ":1");
        spec.setHostNames(List.of(hostNames));
        app.setSpec(spec);
        return app;
    }

    static AppTlsSettings tls(String secretName) {
        AppTlsSettings tls = new AppTlsSettings();
        tls.setSecretName(secretName);
        return tls;
    }

    /** A kubernetes.io/tls Secret with a fresh self-signed certificate for the host (openssl, as a user would make one). */
    Secret selfSigned(String name, String host, String... extraSubject) throws Exception {
        Path key = workDirectory.resolve(name + "-" + System.nanoTime() + ".key");
        Path certificate = workDirectory.resolve(name + "-" + System.nanoTime() + ".crt");
        String subject = "/CN=" + host + (extraSubject.length == 0 ? "" : "/" + String.join("/", extraSubject));
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-keyout",
                        key.toString(),
                        "-out",
                        certificate.toString(),
                        "-days",
                        "2",
                        "-subj",
                        subject,
                        "-addext",
                        "subjectAltName=DNS:" + host)
                .redirectErrorStream(true)
                .start();
        String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor()).as(out).isZero();
        return new SecretBuilder()
                .withNewMetadata()
                .withNamespace(NAMESPACE)
                .withName(name)
                .endMetadata()
                .withType(AppCertificates.SECRET_TYPE)
                .withData(Map.of(
                        AppCertificates.CERTIFICATE_KEY,
                        Base64.getEncoder().encodeToString(Files.readAllBytes(certificate)),
                        AppCertificates.PRIVATE_KEY_KEY,
                        Base64.getEncoder().encodeToString(Files.readAllBytes(key))))
                .build();
    }

    /** The subject of the certificate the front end presents for an SNI name. */
    static String servedSubject(String serverName) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                null,
                new TrustManager[] {
                    new X509TrustManager() {
                        @Override
                        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public X509Certificate[] getAcceptedIssuers() {
                            return new X509Certificate[0];
                        }
                    }
                },
                new SecureRandom());
        try (SSLSocket socket =
                (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", NginxConfig.HTTPS_PORT)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(serverName)));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            X509Certificate served = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            return served.getSubjectX500Principal().getName();
        }
    }

    /** A request over HTTPS by name (SNI and Host), with curl. */
    static String curl(String host, String path) throws Exception {
        Process curl = new ProcessBuilder(
                        "curl",
                        "-sk",
                        "--resolve",
                        host + ":" + NginxConfig.HTTPS_PORT + ":127.0.0.1",
                        "https://" + host + ":" + NginxConfig.HTTPS_PORT + path)
                .redirectErrorStream(true)
                .start();
        String body = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        curl.waitFor();
        return body;
    }

    static HttpResponse<String> get(HttpClient client, String scheme, String host, String cookie) throws Exception {
        int port = scheme.equals("https") ? NginxConfig.HTTPS_PORT : NginxConfig.HTTP_PORT;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + port + "/"))
                .header("Host", host)
                .timeout(Duration.ofSeconds(10));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
