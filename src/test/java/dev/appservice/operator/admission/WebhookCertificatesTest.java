package dev.appservice.operator.admission;

import java.util.Queue;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.ServerRequest;
import dev.appservice.operator.testing.apiserver.ValidatingMixedDispatcher;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The self-managed webhook certificates against the mock API server. */
class WebhookCertificatesTest {
    static final WebhookCertificates.Settings SETTINGS = new WebhookCertificates.Settings("ase-operator", "ase-operator-webhook-tls",
            "ase-operator", "ase-operator-webhook");
    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void start() {
        // The API server's validation in front of the CRUD store: what a cluster would refuse is answered 422.
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), expectations, ValidatingMixedDispatcher.forProject(expectations), false);
        server.init();
        client = server.createClient();
        client.resource(new ValidatingWebhookConfigurationBuilder().withNewMetadata().withName("ase-operator").endMetadata()
                .addNewWebhook().withName("environments.appservice.dev").withNewClientConfig().withNewService()
                .withName("ase-operator-webhook").withNamespace("ase-operator").withPath("/admission/validate").withPort(443).endService()
                .endClientConfig().withSideEffects("None").withAdmissionReviewVersions("v1").endWebhook()
                .addNewWebhook().withName("plans.appservice.dev").withNewClientConfig().withNewService()
                .withName("ase-operator-webhook").withNamespace("ase-operator").withPath("/admission/validate").withPort(443).endService()
                .endClientConfig().withSideEffects("None").withAdmissionReviewVersions("v1").endWebhook()
                .build()).create();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
    }

    Secret secret() {
        return client.secrets().inNamespace("ase-operator").withName("ase-operator-webhook-tls").get();
    }

    @Test
    void createsACaAndAServingCertificateForTheServiceAndPublishesTheCa() throws Exception {
        WebhookCertificates.KeyMaterial material = WebhookCertificates.ensure(client, SETTINGS, NOW);
        Secret secret = secret();
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(secret.getData()).containsOnlyKeys("ca.crt", "ca.key", "tls.crt", "tls.key");
        assertThat(secret.getMetadata().getOwnerReferences()).as("removed with the webhook configuration").singleElement()
                .satisfies(o -> assertThat(o.getKind()).isEqualTo("ValidatingWebhookConfiguration"));

        X509Certificate ca = certificate(material.caCertificate());
        X509Certificate serving = certificate(material.certificate());
        serving.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(serving.getBasicConstraints()).isEqualTo(-1);
        assertThat(serving.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
                .containsExactly("ase-operator-webhook.ase-operator.svc", "ase-operator-webhook.ase-operator.svc.cluster.local");
        assertThat(serving.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(serving.getNotAfter().toInstant()).isAfter(NOW.plus(Duration.ofDays(360)));

        assertThat(WebhookCertificates.publishCaBundle(client, SETTINGS, material.caCertificate())).isTrue();
        ValidatingWebhookConfiguration configuration = client.admissionRegistration().v1().validatingWebhookConfigurations().withName("ase-operator").get();
        assertThat(configuration.getWebhooks()).allSatisfy(w -> assertThat(new String(Base64.getDecoder().decode(w.getClientConfig().getCaBundle()),
                StandardCharsets.UTF_8)).isEqualTo(material.caCertificate()));
        assertThat(WebhookCertificates.publishCaBundle(client, SETTINGS, material.caCertificate())).as("already current: no write").isFalse();

        Path dir = Files.createTempDirectory("webhook");
        WebhookCertificates.writeFiles(material, dir);
        assertThat(Files.readString(dir.resolve("tls.crt"))).isEqualTo(material.certificate());
        assertThat(Files.getPosixFilePermissions(dir.resolve("tls.key"))).hasSize(2);
    }

    @Test
    void aValidSecretIsReusedAsItIsSoRestartsAndResyncsChangeNothing() {
        WebhookCertificates.ensure(client, SETTINGS, NOW);
        String version = secret().getMetadata().getResourceVersion();
        WebhookCertificates.KeyMaterial again = WebhookCertificates.ensure(client, SETTINGS, NOW.plus(Duration.ofDays(200)));
        assertThat(secret().getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(again.certificate()).isEqualTo(new String(Base64.getDecoder().decode(secret().getData().get("tls.crt")), StandardCharsets.UTF_8));
    }

    @Test
    void renewsTheServingCertificateThirtyDaysBeforeItExpiresKeepingTheCa() throws Exception {
        WebhookCertificates.KeyMaterial first = WebhookCertificates.ensure(client, SETTINGS, NOW);
        WebhookCertificates.KeyMaterial renewed = WebhookCertificates.ensure(client, SETTINGS, NOW.plus(Duration.ofDays(340)));
        assertThat(renewed.certificate()).isNotEqualTo(first.certificate());
        assertThat(renewed.caCertificate()).isEqualTo(first.caCertificate());
        certificate(renewed.certificate()).verify(certificate(first.caCertificate()).getPublicKey());
        // A CA near its end is replaced too, and the new CA is what gets published.
        WebhookCertificates.KeyMaterial newCa = WebhookCertificates.ensure(client, SETTINGS, NOW.plus(Duration.ofDays(3400)));
        assertThat(newCa.caCertificate()).isNotEqualTo(first.caCertificate());
        certificate(newCa.certificate()).verify(certificate(newCa.caCertificate()).getPublicKey());
    }

    @Test
    void aServiceRenameIssuesANewCertificate() throws Exception {
        WebhookCertificates.ensure(client, SETTINGS, NOW);
        var renamed = new WebhookCertificates.Settings("ase-operator", "ase-operator-webhook-tls", "ase-operator", "other-webhook");
        WebhookCertificates.KeyMaterial material = WebhookCertificates.ensure(client, renamed, NOW);
        assertThat(certificate(material.certificate()).getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
                .contains("other-webhook.ase-operator.svc");
    }

    @Test
    void twoReplicasStartingTogetherAgreeOnOneSecret() {
        CompletableFuture<WebhookCertificates.KeyMaterial> a = CompletableFuture.supplyAsync(() -> WebhookCertificates.ensure(client, SETTINGS, NOW));
        CompletableFuture<WebhookCertificates.KeyMaterial> b = CompletableFuture.supplyAsync(() -> WebhookCertificates.ensure(client, SETTINGS, NOW));
        List<WebhookCertificates.KeyMaterial> both = List.of(a.join(), b.join());
        String ca = new String(Base64.getDecoder().decode(secret().getData().get("ca.crt")), StandardCharsets.UTF_8);
        assertThat(both).extracting(WebhookCertificates.KeyMaterial::caCertificate).containsOnly(ca);
    }

    @Test
    void settingsComeFromTheChartsEnvironmentOnlyInSelfManagedMode() {
        assertThat(WebhookCertificates.Settings.fromEnvironment(Map.of("ASE_WEBHOOK_CERTIFICATES", "cert-manager"))).isEmpty();
        assertThat(WebhookCertificates.Settings.fromEnvironment(Map.of())).isEmpty();
        assertThat(WebhookCertificates.Settings.fromEnvironment(Map.of("ASE_WEBHOOK_CERTIFICATES", "self-managed", "ASE_OPERATOR_NAMESPACE", "ops",
                "ASE_WEBHOOK_SECRET", "s", "ASE_WEBHOOK_CONFIGURATION", "c", "ASE_WEBHOOK_SERVICE", "svc")))
                .hasValue(new WebhookCertificates.Settings("ops", "s", "c", "svc"));
    }
}
