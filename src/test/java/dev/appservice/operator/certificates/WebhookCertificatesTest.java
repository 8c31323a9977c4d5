package dev.appservice.operator.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.appservice.operator.testing.apiserver.ValidatingMixedDispatcher;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The self-managed webhook certificates against the mock API server. */
class WebhookCertificatesTest {
    static final WebhookCertificates.Settings SETTINGS = new WebhookCertificates.Settings(
            "ase-operator", "ase-operator-webhook-tls", "ase-operator", "ase-operator-webhook");
    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void start() {
        // The API server's validation in front of the CRUD store: what a cluster would refuse is answered 422.
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        server = new KubernetesMockServer(
                new io.fabric8.mockwebserver.Context(),
                new MockWebServer(),
                expectations,
                ValidatingMixedDispatcher.forProject(expectations),
                false);
        server.init();
        client = server.createClient();
        client.resource(new ValidatingWebhookConfigurationBuilder()
                        .withNewMetadata()
                        .withName("ase-operator")
                        .endMetadata()
                        .addNewWebhook()
                        .withName("environments.appservice.dev")
                        .withNewClientConfig()
                        .withNewService()
                        .withName("ase-operator-webhook")
                        .withNamespace("ase-operator")
                        .withPath("/admission/validate")
                        .withPort(443)
                        .endService()
                        .endClientConfig()
                        .withSideEffects("None")
                        .withAdmissionReviewVersions("v1")
                        .endWebhook()
                        .addNewWebhook()
                        .withName("plans.appservice.dev")
                        .withNewClientConfig()
                        .withNewService()
                        .withName("ase-operator-webhook")
                        .withNamespace("ase-operator")
                        .withPath("/admission/validate")
                        .withPort(443)
                        .endService()
                        .endClientConfig()
                        .withSideEffects("None")
                        .withAdmissionReviewVersions("v1")
                        .endWebhook()
                        .build())
                .create();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
    }

    Secret secret() {
        return client.secrets()
                .inNamespace("ase-operator")
                .withName("ase-operator-webhook-tls")
                .get();
    }

    @Test
    void createsACaAndAServingCertificateForTheServiceAndPublishesTheCa() throws Exception {
        WebhookCertificates.KeyMaterial material = WebhookCertificates.ensure(client, SETTINGS, NOW);
        Secret secret = secret();
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(secret.getData()).containsOnlyKeys("ca.crt", "ca.key", "tls.crt", "tls.key");
        assertThat(secret.getMetadata().getOwnerReferences())
                .as("removed with the webhook configuration")
                .singleElement()
                .satisfies(o -> assertThat(o.getKind()).isEqualTo("ValidatingWebhookConfiguration"));

        X509Certificate ca = certificate(material.caCertificate());
        X509Certificate serving = certificate(material.certificate());
        serving.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(serving.getBasicConstraints()).isEqualTo(-1);
        assertThat(serving.getSubjectAlternativeNames().stream()
                        .map(n -> String.valueOf(n.get(1)))
                        .toList())
                .containsExactly(
                        "ase-operator-webhook.ase-operator.svc", "ase-operator-webhook.ase-operator.svc.cluster.local");
        assertThat(serving.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(serving.getNotAfter().toInstant()).isAfter(NOW.plus(Duration.ofDays(360)));

        assertThat(material.caBundle()).as("no rotation: the bundle is the CA").isEqualTo(material.caCertificate());
        assertThat(WebhookCertificates.publishCaBundle(client, SETTINGS, material.caBundle()))
                .isTrue();
        ValidatingWebhookConfiguration configuration = client.admissionRegistration()
                .v1()
                .validatingWebhookConfigurations()
                .withName("ase-operator")
                .get();
        assertThat(configuration.getWebhooks())
                .allSatisfy(w -> assertThat(new String(
                                Base64.getDecoder().decode(w.getClientConfig().getCaBundle()), StandardCharsets.UTF_8))
                        .isEqualTo(material.caCertificate()));
        assertThat(WebhookCertificates.publishCaBundle(client, SETTINGS, material.caBundle()))
                .as("already current: no write")
                .isFalse();

        Path dir = Files.createTempDirectory("webhook");
        WebhookCertificates.writeFiles(material, dir);
        assertThat(Files.readString(dir.resolve("tls.crt"))).isEqualTo(material.certificate());
        assertThat(Files.getPosixFilePermissions(dir.resolve("tls.key"))).hasSize(2);
    }

    @Test
    void aValidSecretIsReusedAsItIsSoRestartsAndResyncsChangeNothing() {
        WebhookCertificates.ensure(client, SETTINGS, NOW);
        String version = secret().getMetadata().getResourceVersion();
        WebhookCertificates.KeyMaterial again =
                WebhookCertificates.ensure(client, SETTINGS, NOW.plus(Duration.ofDays(200)));
        assertThat(secret().getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(again.certificate())
                .isEqualTo(new String(
                        Base64.getDecoder().decode(secret().getData().get("tls.crt")), StandardCharsets.UTF_8));
    }

    @Test
    void renewsTheServingCertificateThirtyDaysBeforeItExpiresKeepingTheCa() throws Exception {
        WebhookCertificates.KeyMaterial first = WebhookCertificates.ensure(client, SETTINGS, NOW);
        WebhookCertificates.KeyMaterial renewed =
                WebhookCertificates.ensure(client, SETTINGS, NOW.plus(Duration.ofDays(340)));
        assertThat(renewed.certificate()).isNotEqualTo(first.certificate());
        assertThat(renewed.caCertificate()).isEqualTo(first.caCertificate());
        certificate(renewed.certificate())
                .verify(certificate(first.caCertificate()).getPublicKey());
    }

    @Test
    void theServingCertificateStaysWithTheOldCaUntilTheBundleWithBothCasIsPublished() throws Exception {
        WebhookCertificates.KeyMaterial first = WebhookCertificates.ensure(client, SETTINGS, NOW);
        WebhookCertificates.publishCaBundle(client, SETTINGS, first.caBundle());
        String oldKey = secret().getData().get("ca.key");
        Instant due = NOW.plus(WebhookCertificates.CA_VALIDITY)
                .minus(WebhookCertificates.CA_RENEW_BEFORE)
                .plus(Duration.ofHours(1));

        WebhookCertificates.KeyMaterial staged = WebhookCertificates.ensure(client, SETTINGS, due);
        assertThat(staged.caCertificate()).as("still the CA").isEqualTo(first.caCertificate());
        assertThat(certificates(staged.caBundle()))
                .as("old and new")
                .hasSize(2)
                .contains(certificate(first.caCertificate()));
        // However often it checks, nothing switches while the webhooks trust only the old CA.
        WebhookCertificates.KeyMaterial unpublished =
                WebhookCertificates.ensure(client, SETTINGS, due.plus(Duration.ofMinutes(5)));
        assertThat(unpublished.caCertificate()).isEqualTo(first.caCertificate());
        certificate(unpublished.certificate())
                .verify(certificate(first.caCertificate()).getPublicKey());

        assertThat(WebhookCertificates.publishCaBundle(client, SETTINGS, staged.caBundle()))
                .isTrue();
        assertThat(WebhookCertificates.ensure(client, SETTINGS, due.plus(Duration.ofMinutes(1)))
                        .caCertificate())
                .as("published a moment ago: the API server may not check with it yet")
                .isEqualTo(first.caCertificate());
        WebhookCertificates.KeyMaterial switched =
                WebhookCertificates.ensure(client, SETTINGS, due.plus(Duration.ofMinutes(10)));
        assertThat(switched.caCertificate()).isNotEqualTo(first.caCertificate());
        certificate(switched.certificate())
                .verify(certificate(switched.caCertificate()).getPublicKey());
        assertThat(switched.caBundle()).as("the old CA stays in the bundle").isEqualTo(staged.caBundle());
        assertThat(secret().getData())
                .doesNotContainKeys("next-ca.crt", "next-ca.key")
                .containsKeys("previous-ca.crt", "previous-tls.crt")
                .as("the old CA's key is gone: it signs nothing any more")
                .doesNotContainValue(oldKey);
    }

    /**
     * Two replicas share the Secret and the webhook configuration; each serves the certificate it
     * last loaded, and the second reloads late (its reload period). Through years of renewals and a
     * CA rotation, every certificate either replica serves at any moment validates against the
     * published caBundle, as the API server checks it: the webhook never refuses a review.
     */
    @Test
    void aCaRotationWithTwoReplicasNeverRefusesAReview() throws Exception {
        Replica a = new Replica();
        Replica b = new Replica();
        Instant t = NOW;
        a.check(t);
        a.reload();
        b.check(t);
        b.reload();
        assertBothServeTrustedCertificates(t, a, b);

        // Years of serving-certificate renewals under the first CA.
        Instant due = NOW.plus(WebhookCertificates.CA_VALIDITY).minus(WebhookCertificates.CA_RENEW_BEFORE);
        for (; t.isBefore(due); t = t.plus(Duration.ofDays(20))) {
            a.check(t);
            a.reload();
            assertBothServeTrustedCertificates(t, a, b);
            b.check(t);
            b.reload();
            assertBothServeTrustedCertificates(t, a, b);
        }
        X509Certificate oldCa = certificate(a.material.caCertificate());

        // The rotation, check by check (five minutes apart); b's server reloads late.
        t = due.plus(Duration.ofMinutes(1));
        a.check(t); // stages the new CA: the bundle carries both
        a.reload();
        assertBothServeTrustedCertificates(t, a, b);
        assertThat(published()).hasSize(2);
        t = t.plus(Duration.ofMinutes(2));
        b.check(t); // reads the bundle with both, but published only a moment ago: no switch yet
        assertThat(b.material.caCertificate()).isEqualTo(a.material.caCertificate());
        assertBothServeTrustedCertificates(t, a, b);
        t = t.plus(Duration.ofMinutes(3));
        a.check(t); // reads the bundle with both, published a check interval ago: switches to the new CA
        a.reload();
        X509Certificate newCa = certificate(a.material.caCertificate());
        assertThat(newCa).isNotEqualTo(oldCa);
        a.served.verify(newCa.getPublicKey());
        b.served.verify(oldCa.getPublicKey()); // b still serves its certificate of the old CA
        assertBothServeTrustedCertificates(t, a, b);
        t = t.plus(Duration.ofMinutes(2));
        b.check(t); // b writes the new certificate's files, its server has not reloaded them yet
        assertBothServeTrustedCertificates(t, a, b);
        t = t.plus(Duration.ofMinutes(8));
        a.check(t);
        assertBothServeTrustedCertificates(t, a, b);
        b.reload();
        assertBothServeTrustedCertificates(t, a, b);
        assertThat(published())
                .as("the old CA stays while a certificate it signed is valid")
                .contains(oldCa, newCa);

        // Later checks keep both CAs until the old CA's last serving certificate expires, then drop it.
        Instant oldCertificateExpires = certificate(new String(
                        Base64.getDecoder().decode(secret().getData().get("previous-tls.crt")), StandardCharsets.UTF_8))
                .getNotAfter()
                .toInstant();
        for (t = t.plus(Duration.ofDays(10)); t.isBefore(oldCertificateExpires); t = t.plus(Duration.ofDays(10))) {
            a.check(t);
            b.check(t);
            assertThat(published()).contains(oldCa, newCa);
        }
        t = oldCertificateExpires.plus(Duration.ofMinutes(1));
        a.check(t);
        a.reload();
        b.check(t);
        assertThat(published()).containsExactly(newCa);
        assertBothServeTrustedCertificates(t, a, b);
        b.reload();
        assertBothServeTrustedCertificates(t, a, b);
        assertThat(secret().getData()).containsOnlyKeys("ca.crt", "ca.key", "tls.crt", "tls.key");
    }

    /** One operator replica: its own client, and the serving certificate its HTTP server has loaded. */
    final class Replica {
        final KubernetesClient replicaClient = server.createClient();
        WebhookCertificates.KeyMaterial material;
        X509Certificate served;

        /** What {@link WebhookCertificateRotation} does every few minutes (the files are written, not yet loaded). */
        void check(Instant now) {
            material = WebhookCertificates.ensure(replicaClient, SETTINGS, now);
            WebhookCertificates.publishCaBundle(replicaClient, SETTINGS, material.caBundle());
        }

        /** The HTTP server reloads the certificate files. */
        void reload() throws Exception {
            served = certificate(material.certificate());
        }
    }

    List<X509Certificate> published() throws Exception {
        List<List<X509Certificate>> bundles = new java.util.ArrayList<>();
        for (var webhook : client.admissionRegistration()
                .v1()
                .validatingWebhookConfigurations()
                .withName("ase-operator")
                .get()
                .getWebhooks()) {
            bundles.add(certificates(new String(
                    Base64.getDecoder().decode(webhook.getClientConfig().getCaBundle()), StandardCharsets.UTF_8)));
        }
        assertThat(bundles).as("every webhook carries the same bundle").containsOnly(bundles.get(0));
        return bundles.get(0);
    }

    /** What the API server does before it sends a review: validate the served certificate against the caBundle, at that time. */
    void assertBothServeTrustedCertificates(Instant now, Replica... replicas) throws Exception {
        var anchors = published().stream()
                .map(ca -> new java.security.cert.TrustAnchor(ca, null))
                .collect(java.util.stream.Collectors.toSet());
        for (Replica replica : replicas) {
            var parameters = new java.security.cert.PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(java.util.Date.from(now));
            var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(replica.served));
            java.security.cert.CertPathValidator.getInstance("PKIX").validate(path, parameters);
        }
    }

    static List<X509Certificate> certificates(String pem) throws Exception {
        return CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)))
                .stream()
                .map(X509Certificate.class::cast)
                .toList();
    }

    @Test
    void aServiceRenameIssuesANewCertificate() throws Exception {
        WebhookCertificates.ensure(client, SETTINGS, NOW);
        var renamed = new WebhookCertificates.Settings(
                "ase-operator", "ase-operator-webhook-tls", "ase-operator", "other-webhook");
        WebhookCertificates.KeyMaterial material = WebhookCertificates.ensure(client, renamed, NOW);
        assertThat(certificate(material.certificate()).getSubjectAlternativeNames().stream()
                        .map(n -> String.valueOf(n.get(1)))
                        .toList())
                .contains("other-webhook.ase-operator.svc");
    }

    /**
     * The chart's webhook.url (an operator outside the cluster): the serving certificate also names
     * the URL's host, an address as an IP SAN, and is not reissued on the next check.
     */
    @Test
    void aWebhookUrlsHostIsNamedByTheServingCertificate() throws Exception {
        WebhookCertificates.ensure(client, SETTINGS, NOW);
        var byUrl = WebhookCertificates.Settings.fromEnvironment(Map.of(
                        "ASE_WEBHOOK_CERTIFICATES", "self-managed",
                        "ASE_OPERATOR_NAMESPACE", "ase-operator",
                        "ASE_WEBHOOK_SECRET", "ase-operator-webhook-tls",
                        "ASE_WEBHOOK_CONFIGURATION", "ase-operator",
                        "ASE_WEBHOOK_SERVICE", "ase-operator-webhook",
                        "ASE_WEBHOOK_URL", "https://127.0.0.1:9443"))
                .orElseThrow();
        WebhookCertificates.KeyMaterial material = WebhookCertificates.ensure(client, byUrl, NOW);
        X509Certificate serving = certificate(material.certificate());
        assertThat(serving.getSubjectAlternativeNames())
                .extracting(n -> n.get(0) + "=" + n.get(1))
                .containsExactly(
                        "2=ase-operator-webhook.ase-operator.svc",
                        "2=ase-operator-webhook.ase-operator.svc.cluster.local",
                        "7=127.0.0.1");
        String version = secret().getMetadata().getResourceVersion();
        WebhookCertificates.ensure(client, byUrl, NOW.plus(Duration.ofDays(1)));
        assertThat(secret().getMetadata().getResourceVersion())
                .as("valid as it is")
                .isEqualTo(version);
        assertThatThrownBy(() -> WebhookCertificates.Settings.fromEnvironment(Map.of(
                        "ASE_WEBHOOK_CERTIFICATES", "self-managed",
                        "ASE_OPERATOR_NAMESPACE", "ase-operator",
                        "ASE_WEBHOOK_SECRET", "s",
                        "ASE_WEBHOOK_CONFIGURATION", "c",
                        "ASE_WEBHOOK_SERVICE", "svc",
                        "ASE_WEBHOOK_URL", "http://127.0.0.1:9443")))
                .hasMessageContaining("ASE_WEBHOOK_URL must be an https URL");
    }

    @Test
    void twoReplicasStartingTogetherAgreeOnOneSecret() {
        CompletableFuture<WebhookCertificates.KeyMaterial> a =
                CompletableFuture.supplyAsync(() -> WebhookCertificates.ensure(client, SETTINGS, NOW));
        CompletableFuture<WebhookCertificates.KeyMaterial> b =
                CompletableFuture.supplyAsync(() -> WebhookCertificates.ensure(client, SETTINGS, NOW));
        List<WebhookCertificates.KeyMaterial> both = List.of(a.join(), b.join());
        String ca = new String(Base64.getDecoder().decode(secret().getData().get("ca.crt")), StandardCharsets.UTF_8);
        assertThat(both)
                .extracting(WebhookCertificates.KeyMaterial::caCertificate)
                .containsOnly(ca);
    }

    @Test
    void settingsComeFromTheChartsEnvironmentOnlyInSelfManagedMode() {
        assertThat(WebhookCertificates.Settings.fromEnvironment(Map.of("ASE_WEBHOOK_CERTIFICATES", "cert-manager")))
                .isEmpty();
        assertThat(WebhookCertificates.Settings.fromEnvironment(Map.of())).isEmpty();
        assertThat(WebhookCertificates.Settings.fromEnvironment(Map.of(
                        "ASE_WEBHOOK_CERTIFICATES",
                        "self-managed",
                        "ASE_OPERATOR_NAMESPACE",
                        "ops",
                        "ASE_WEBHOOK_SECRET",
                        "s",
                        "ASE_WEBHOOK_CONFIGURATION",
                        "c",
                        "ASE_WEBHOOK_SERVICE",
                        "svc")))
                .hasValue(new WebhookCertificates.Settings("ops", "s", "c", "svc"));
    }
}
