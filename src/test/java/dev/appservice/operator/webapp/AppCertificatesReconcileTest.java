package dev.appservice.operator.webapp;

import static dev.appservice.operator.testing.Fixtures.environment;
import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.AppTlsSettings;
import dev.appservice.operator.api.CertificateIssuerReference;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.TlsSettings;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.desired.AppCertificates;
import dev.appservice.operator.desired.NginxConfig;
import dev.appservice.operator.presence.CertManagerPresence;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The apps' own certificates through the running operator, against the mock API server: a missing
 * Secret reported on that app alone (condition and Event) while its names fall back to the
 * environment's certificate, a valid Secret copied for the front ends and named by SNI, and the
 * cert-manager Certificate of an app with an issuer: refused while cert-manager's CRD is absent,
 * then created, updated and removed with the app's spec (the CRD object created in the mock
 * server is what "installed" means here).
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class AppCertificatesReconcileTest extends OperatorTest {
    static final Path TEST_TLS = Path.of("src/test/resources/tls");

    @Test
    void aMissingSecretIsReportedOnThatAppOnlyAndAValidOneReachesTheFrontEnds() throws Exception {
        client.resource(httpsEnvironment()).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 2)).create();
        WebApp shop = withTls(Fixtures.app(ns, "shop", "web", 8080), "shop-tls", "www.contoso.com");
        WebApp blog = withTls(Fixtures.app(ns, "blog", "web", 8081), "blog-tls", "blog.contoso.com");
        WebApp plain = Fixtures.app(ns, "plain", "web", 8082);
        client.resource(testTlsSecret("shop-tls")).create();
        client.resource(shop).create();
        client.resource(blog).create();
        client.resource(plain).create();

        WebApp reported = awaitApp("blog", a -> condition(a, "CertificateReady") != null);
        assertThat(condition(reported, "CertificateReady").getStatus()).isEqualTo("False");
        assertThat(condition(reported, "CertificateReady").getReason()).isEqualTo(AppCertificates.REASON_NOT_FOUND);
        assertThat(condition(reported, "CertificateReady").getMessage())
                .contains("Secret " + ns + "/blog-tls")
                .contains("environment's certificate");
        assertThat(condition(reported, "CertificateReady").getObservedGeneration())
                .isEqualTo(reported.getMetadata().getGeneration());
        WebApp served = awaitApp(
                "shop",
                a -> condition(a, "CertificateReady") != null
                        && "True".equals(condition(a, "CertificateReady").getStatus()));
        assertThat(condition(served, "CertificateReady").getReason()).isEqualTo(AppCertificates.REASON_SERVED);
        assertThat(condition(awaitApp("plain", a -> condition(a, Conditions.READY) != null), "CertificateReady"))
                .as("no tls, no condition")
                .isNull();
        await().atMost(TIMEOUT)
                .until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                        .anyMatch(e -> AppCertificates.REASON_NOT_FOUND.equals(e.getReason())
                                && "blog".equals(e.getInvolvedObject().getName())));
        List<Event> warnings = client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> e.getReason().startsWith("Certificate"))
                .toList();
        // (The shop's Secret was created first; a reconcile ahead of the Secret informer may have warned once, as it
        // should have.)
        assertThat(warnings)
                .as("the apps whose Secrets are missing, never the others")
                .noneMatch(e -> "plain".equals(e.getInvolvedObject().getName()));
        assertThat(condition(awaitApp("plain", a -> true), Conditions.READY).getReason())
                .isNotEqualTo("ReconcileError");

        // The shop's certificate is copied for the front ends and its own name served with it; the blog's names keep
        // the environment's.
        Secret copies = await().atMost(TIMEOUT)
                .until(
                        () -> client.secrets()
                                .inNamespace(ns)
                                .withName("ase1-frontend-certs")
                                .get(),
                        s -> s != null && s.getData() != null && s.getData().size() == 2);
        assertThat(copies.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getKind()).isEqualTo("AppServiceEnvironment"));
        String file = copies.getData().keySet().stream()
                .filter(k -> k.endsWith(".crt"))
                .findFirst()
                .orElseThrow()
                .replace(".crt", "");
        ConfigMap config = await().atMost(TIMEOUT)
                .until(
                        () -> client.configMaps()
                                .inNamespace(ns)
                                .withName("ase1-frontend-config")
                                .get(),
                        c -> c != null
                                && c.getData().get(NginxConfig.shardFile(0)).contains(file));
        String shard = config.getData().get(NginxConfig.shardFile(0));
        assertThat(shard)
                .contains("server_name www.contoso.com;\n    ssl_certificate " + AppCertificates.DIRECTORY + "/" + file
                        + ".crt;")
                .contains("server_name blog.ase1.p.appservice.local blog.contoso.com;\n    ssl_certificate "
                        + NginxConfig.TLS_DIRECTORY + "/tls.crt;");

        // The blog's Secret appears: its condition turns, its certificate is copied too.
        client.resource(testTlsSecret("blog-tls")).create();
        awaitApp("blog", a -> "True".equals(condition(a, "CertificateReady").getStatus()));
        await().atMost(TIMEOUT)
                .until(() -> client.secrets()
                                .inNamespace(ns)
                                .withName("ase1-frontend-certs")
                                .get()
                                .getData()
                                .size()
                        == 4);
        assertThat(MockKubernetes.refusedWritesIn(ns)).isEmpty();
    }

    @Test
    void theIssuedCertificateIsRefusedWithoutCertManagerThenFollowsTheAppsSpec() throws Exception {
        client.resource(httpsEnvironment()).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 2)).create();
        WebApp shop = withTls(Fixtures.app(ns, "shop", "web", 8080), "shop-tls", "www.contoso.com");
        shop.getSpec().getTls().setIssuerRef(issuer("letsencrypt", "ClusterIssuer"));
        client.resource(shop).create();
        CustomResourceDefinition crd = certManagerCrd();
        try {
            WebApp refused = awaitApp("shop", a -> condition(a, "CertificateIssued") != null);
            assertThat(condition(refused, "CertificateIssued").getStatus()).isEqualTo("False");
            assertThat(condition(refused, "CertificateIssued").getReason()).isEqualTo("CertManagerNotInstalled");
            assertThat(condition(refused, "CertificateIssued").getMessage()).contains("cert-manager is not installed");

            client.resource(crd).create();
            GenericKubernetesResource created = await().atMost(TIMEOUT).until(this::certificate, c -> c != null);
            assertThat(spec(created))
                    .containsEntry("secretName", "shop-tls")
                    .containsEntry("dnsNames", List.of("www.contoso.com"))
                    .containsEntry(
                            "issuerRef",
                            Map.of("name", "letsencrypt", "kind", "ClusterIssuer", "group", "cert-manager.io"));
            assertThat(created.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(o -> {
                        assertThat(o.getKind() + "/" + o.getName()).isEqualTo("WebApp/shop");
                        assertThat(o.getController()).isTrue();
                    });
            awaitApp(
                    "shop",
                    a -> condition(a, "CertificateIssued") != null
                            && "True".equals(condition(a, "CertificateIssued").getStatus()));

            edit(a -> a.getSpec().setHostNames(List.of("www.contoso.com", "shop.contoso.com")));
            await().atMost(TIMEOUT)
                    .until(() -> List.of("www.contoso.com", "shop.contoso.com")
                            .equals(spec(certificate()).get("dnsNames")));

            edit(a -> a.getSpec().getTls().setIssuerRef(null));
            await().atMost(TIMEOUT).until(() -> certificate() == null);
            awaitApp("shop", a -> condition(a, "CertificateIssued") == null);
            assertThat(MockKubernetes.refusedWritesIn(ns)).isEmpty();
        } finally {
            client.resource(crd).delete();
        }
    }

    @Test
    void certManagerPresenceFollowsItsCrd() {
        CustomResourceDefinition crd = certManagerCrd();
        assertThat(CertManagerPresence.installed(client)).hasValue(false);
        client.resource(crd).create();
        try {
            assertThat(CertManagerPresence.installed(client)).hasValue(true);
        } finally {
            client.resource(crd).delete();
        }
        assertThat(CertManagerPresence.installed(client)).as("uninstalled").hasValue(false);
    }

    // --- fixtures ---

    AppServiceEnvironment httpsEnvironment() {
        AppServiceEnvironment environment = environment(ns, "ase1");
        TlsSettings tls = new TlsSettings();
        tls.setSecretName("wildcard");
        environment.getSpec().setTls(tls);
        return environment;
    }

    static WebApp withTls(WebApp app, String secretName, String... hostNames) {
        AppTlsSettings tls = new AppTlsSettings();
        tls.setSecretName(secretName);
        app.getSpec().setTls(tls);
        app.getSpec().setHostNames(List.of(hostNames));
        return app;
    }

    static CertificateIssuerReference issuer(String name, String kind) {
        CertificateIssuerReference issuer = new CertificateIssuerReference();
        issuer.setName(name);
        issuer.setKind(kind);
        return issuer;
    }

    Secret testTlsSecret(String name) throws Exception {
        return new SecretBuilder()
                .withNewMetadata()
                .withNamespace(ns)
                .withName(name)
                .endMetadata()
                .withType(AppCertificates.SECRET_TYPE)
                .withData(Map.of(
                        "tls.crt", base64(TEST_TLS.resolve("tls.crt")), "tls.key", base64(TEST_TLS.resolve("tls.key"))))
                .build();
    }

    static String base64(Path file) throws Exception {
        return Base64.getEncoder()
                .encodeToString(
                        Files.readString(file, StandardCharsets.US_ASCII).getBytes(StandardCharsets.US_ASCII));
    }

    static CustomResourceDefinition certManagerCrd() {
        return CertManagerCrd.definition();
    }

    GenericKubernetesResource certificate() {
        return client.genericKubernetesResources(CertManagerPresence.API_VERSION, CertManagerPresence.KIND)
                .inNamespace(ns)
                .withName("shop")
                .get();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource certificate) {
        return (Map<String, Object>) certificate.getAdditionalProperties().get("spec");
    }

    void edit(java.util.function.Consumer<WebApp> change) {
        await().atMost(TIMEOUT).until(() -> {
            try {
                client.resources(WebApp.class).inNamespace(ns).withName("shop").edit(a -> {
                    change.accept(a);
                    return a;
                });
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    return false;
                }
                throw e;
            }
        });
    }

    static io.fabric8.kubernetes.api.model.Condition condition(WebApp app, String type) {
        return app.getStatus() == null ? null : Conditions.find(app.getStatus().getConditions(), type);
    }

    WebApp awaitApp(String name, Predicate<WebApp> condition) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> client.resources(WebApp.class)
                                .inNamespace(ns)
                                .withName(name)
                                .get(),
                        a -> a != null && a.getStatus() != null && condition.test(a));
    }
}
