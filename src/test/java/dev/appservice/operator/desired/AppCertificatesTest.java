package dev.appservice.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppSpec;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The verdict on an app's Secret: only a kubernetes.io/tls Secret whose tls.crt and tls.key are one
 * PEM key pair reaches the front ends (nginx would refuse the whole configuration over a bad one);
 * the copies are spread over Secrets that each stay below the limit.
 */
class AppCertificatesTest {
    static final Path TLS = Path.of("src/test/resources/tls");

    @Test
    void onlyAKubernetesTlsSecretWithOneKeyPairIsUsable() throws Exception {
        String certificate = Files.readString(TLS.resolve("tls.crt"));
        String key = Files.readString(TLS.resolve("tls.key"));
        assertThat(AppCertificates.check("ns", "s", Optional.of(secret("kubernetes.io/tls", certificate, key))))
                .isInstanceOf(AppCertificates.Verdict.Usable.class);

        assertThat(unusable(Optional.empty())).satisfies(u -> {
            assertThat(u.reason()).isEqualTo(AppCertificates.REASON_NOT_FOUND);
            assertThat(u.message()).contains("Secret ns/s").contains("environment's certificate");
        });
        assertThat(unusable(Optional.of(secret("Opaque", certificate, key))).message())
                .contains("is of type 'Opaque', not kubernetes.io/tls");
        assertThat(unusable(Optional.of(secret("kubernetes.io/tls", certificate, null)))
                        .message())
                .contains("lacks tls.key");
        assertThat(unusable(Optional.of(secret("kubernetes.io/tls", "not a certificate", key)))
                        .message())
                .contains("tls.crt is not a PEM certificate");
        assertThat(unusable(Optional.of(secret(
                                "kubernetes.io/tls",
                                certificate,
                                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")))
                        .message())
                .contains("tls.key is not an unencrypted PEM private key");
        var other = KeyPairGenerator.getInstance("RSA");
        other.initialize(2048);
        String otherKey = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(other.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        assertThat(unusable(Optional.of(secret("kubernetes.io/tls", certificate, otherKey)))
                        .message())
                .contains("tls.key is not the private key of the first certificate in tls.crt");
    }

    @Test
    void copiesAreNamedByAppAndContentAndSpreadSoEachSecretStaysBelowTheLimit() throws Exception {
        String certificate = Files.readString(TLS.resolve("tls.crt"));
        String key = Files.readString(TLS.resolve("tls.key"));
        EnvironmentTopology topology =
                new EnvironmentTopology(Fixtures.environment("ns", "ase1"), List.of(), List.of());
        assertThat(AppCertificates.secrets(topology, Map.of())).singleElement().satisfies(s -> {
            assertThat(s.getMetadata().getName()).isEqualTo("ase1-frontend-certs");
            assertThat(s.getData())
                    .as("nothing to copy: no data, as the API server keeps an empty Secret")
                    .isNull();
        });

        Map<WebApp, AppCertificates.Verdict.Usable> many = new LinkedHashMap<>();
        // Padded certificates (a long chain), about 4.5 KB each as base64 pairs: 400 apps call for several Secrets.
        String chain = certificate.repeat(2);
        for (int i = 0; i < 400; i++) {
            many.put(app("app" + i), new AppCertificates.Verdict.Usable(chain, key));
        }
        List<Secret> secrets = AppCertificates.secrets(topology, many);
        assertThat(secrets).hasSizeGreaterThan(1).hasSizeLessThanOrEqualTo(AppCertificates.MAX_SECRETS);
        assertThat(secrets)
                .allSatisfy(s -> assertThat(s.getData().values().stream()
                                .mapToLong(String::length)
                                .sum())
                        .isLessThanOrEqualTo(AppCertificates.MAX_SECRET_BYTES));
        assertThat(secrets.stream().mapToInt(s -> s.getData().size()).sum()).isEqualTo(800);
        Map<String, Integer> files = new HashMap<>();
        secrets.forEach(s -> s.getData().keySet().forEach(k -> files.merge(k, 1, Integer::sum)));
        assertThat(files.values()).as("each file in one Secret only").allMatch(n -> n == 1);

        WebApp app = app("shop");
        var before = new AppCertificates.Verdict.Usable(certificate, key);
        var renewed = new AppCertificates.Verdict.Usable(certificate + "\n", key);
        assertThat(AppCertificates.fileOf(app, before))
                .startsWith("app-")
                .isNotEqualTo(AppCertificates.fileOf(app, renewed))
                .isEqualTo(AppCertificates.fileOf(app("shop"), before));
    }

    static AppCertificates.Verdict.Unusable unusable(Optional<Secret> secret) {
        return (AppCertificates.Verdict.Unusable) AppCertificates.check("ns", "s", secret);
    }

    static Secret secret(String type, String certificate, String key) {
        Map<String, String> data = new HashMap<>();
        if (certificate != null) {
            data.put("tls.crt", Base64.getEncoder().encodeToString(certificate.getBytes(StandardCharsets.UTF_8)));
        }
        if (key != null) {
            data.put("tls.key", Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)));
        }
        return new SecretBuilder()
                .withNewMetadata()
                .withNamespace("ns")
                .withName("s")
                .endMetadata()
                .withType(type)
                .withData(data)
                .build();
    }

    static WebApp app(String name) {
        WebApp app = new WebApp();
        app.setMetadata(
                new ObjectMetaBuilder().withNamespace("ns").withName(name).build());
        app.setSpec(new WebAppSpec());
        return app;
    }
}
