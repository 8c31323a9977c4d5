package dev.appservice.operator.desired;

import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.Quoted;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The apps' own certificates ({@code spec.tls.secretName}) at the front ends: which of them can be
 * served, and the operator-owned Secrets that carry copies of them to the front-end pods.
 *
 * <p>An app's Secret is usable when it exists, is of type {@code kubernetes.io/tls}, and its
 * {@code tls.crt} and {@code tls.key} are PEM that parse as a certificate chain and the private
 * key of the first certificate. Only usable certificates reach the front ends: nginx refuses a
 * whole configuration over one unreadable key pair, so a bad Secret would otherwise hold back every
 * app's changes. An app whose Secret is not usable is served with the environment's certificate
 * and says why on its own status ({@link Verdict.Unusable}).
 *
 * <p>Files are named after the app and the content ({@code app-<hash of namespace/name>-<hash of
 * the pair>.crt} and {@code .key}): a renewed certificate is a new file, so the nginx configuration
 * that names it changes with it, and a front end that sees the configuration before the file
 * waits for it (see {@link FrontEndProcess}). The copies are spread over at most
 * {@value #MAX_SECRETS} Secrets ({@code <ase>-frontend-certs}, {@code <ase>-frontend-certs-01}...),
 * each far below the API's object limit, all projected into one directory of the front-end pods
 * (optional sources, there from the start, so a new one needs no restart).
 */
public final class AppCertificates {
    public static final String DIRECTORY = "/etc/nginx/certs";
    public static final String SECRET_TYPE = "kubernetes.io/tls";
    public static final String CERTIFICATE_KEY = "tls.crt";
    public static final String PRIVATE_KEY_KEY = "tls.key";
    public static final String CERTIFICATE_SUFFIX = ".crt";
    public static final String PRIVATE_KEY_SUFFIX = ".key";
    /** The most Secrets of copies the front-end pods mount. */
    public static final int MAX_SECRETS = 8;
    /** Secrets are added (1, 2, 4, 8) so that each holds about this much. */
    public static final int TARGET_SECRET_BYTES = 256 * 1024;
    /** Far below the API's 1 MiB object limit (base64 included), leaving room for metadata. */
    public static final int MAX_SECRET_BYTES = 900 * 1024;
    /** Base64 turns 3 bytes into 4. */
    private static final int BASE64_NUMERATOR = 4;

    private static final int BASE64_DENOMINATOR = 3;
    private static final int CONTENT_HASH_LENGTH = 8;

    /** Reasons of the app's {@code CertificateReady} condition. */
    public static final String REASON_SERVED = "Served";

    public static final String REASON_NOT_FOUND = "CertificateNotFound";
    public static final String REASON_INVALID = "CertificateInvalid";

    private AppCertificates() {}

    /** What an app's Secret is good for at the front ends. */
    public sealed interface Verdict {
        /** Served: the PEM texts as they go to the front ends. */
        record Usable(String certificate, String privateKey) implements Verdict {}

        /** Not served, and why (a {@code CertificateReady} reason and message). */
        record Unusable(String reason, String message) implements Verdict {}
    }

    /** The certificate file (without suffix) of each app whose certificate is copied, if it is. */
    @FunctionalInterface
    public interface Files {
        Optional<String> of(WebApp app);

        Files NONE = app -> Optional.empty();
    }

    /** The verdict on the Secret an app names, as read (empty: it does not exist). */
    public static Verdict check(String namespace, String secretName, Optional<Secret> secret) {
        String ref = "Secret " + namespace + "/" + secretName;
        if (secret.isEmpty()) {
            return new Verdict.Unusable(
                    REASON_NOT_FOUND,
                    ref + " (spec.tls.secretName) does not exist or is not of type " + SECRET_TYPE
                            + "; the app's host names are served with the environment's certificate until it does");
        }
        Secret s = secret.get();
        if (!SECRET_TYPE.equals(s.getType())) {
            return new Verdict.Unusable(
                    REASON_INVALID,
                    ref + " is of type " + Quoted.of(s.getType()) + ", not " + SECRET_TYPE
                            + "; the app's host names are served with the environment's certificate");
        }
        Optional<String> certificate = text(s, CERTIFICATE_KEY);
        Optional<String> key = text(s, PRIVATE_KEY_KEY);
        if (certificate.isEmpty() || key.isEmpty()) {
            return new Verdict.Unusable(
                    REASON_INVALID,
                    ref + " lacks " + (certificate.isEmpty() ? CERTIFICATE_KEY : PRIVATE_KEY_KEY)
                            + "; the app's host names are served with the environment's certificate");
        }
        Optional<String> problem = keyPairProblem(certificate.get(), key.get());
        if (problem.isPresent()) {
            return new Verdict.Unusable(
                    REASON_INVALID,
                    ref + ": " + problem.get()
                            + "; the app's host names are served with the environment's certificate");
        }
        return new Verdict.Usable(certificate.get(), key.get());
    }

    /** The file name (without suffix) of an app's certificate at the front ends: the app and the content. */
    public static String fileOf(WebApp app, Verdict.Usable pair) {
        return "app-"
                + ResourceNames.hash(app.getMetadata().getNamespace() + "/"
                        + app.getMetadata().getName()) + "-"
                + ResourceNames.hash(pair.certificate() + "\n" + pair.privateKey())
                        .substring(0, CONTENT_HASH_LENGTH);
    }

    /** Secret {@code index} of the copies: {@code <ase>-frontend-certs}, then {@code -01} to {@code -07}. */
    public static String secretName(String environment, int index) {
        return ResourceNames.child(
                environment, index == 0 ? "frontend-certs" : String.format("frontend-certs-%02d", index));
    }

    /**
     * The Secrets of copies for the usable certificates (app name to its pair): always the first,
     * further ones only when the copies are large, each app in the Secret its name hashes to.
     */
    public static List<Secret> secrets(EnvironmentTopology topology, Map<WebApp, Verdict.Usable> usable) {
        long total = 0;
        for (Verdict.Usable pair : usable.values()) {
            total += encodedLength(pair.certificate()) + encodedLength(pair.privateKey());
        }
        int count = 1;
        while (count < MAX_SECRETS && total > (long) count * TARGET_SECRET_BYTES) {
            count *= 2;
        }
        List<SortedMap<String, String>> data = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            data.add(new TreeMap<>());
        }
        for (Map.Entry<WebApp, Verdict.Usable> entry : usable.entrySet()) {
            String file = fileOf(entry.getKey(), entry.getValue());
            var target =
                    data.get(NginxConfig.shardOf(entry.getKey().getMetadata().getName(), count));
            target.put(file + CERTIFICATE_SUFFIX, base64(entry.getValue().certificate()));
            target.put(file + PRIVATE_KEY_SUFFIX, base64(entry.getValue().privateKey()));
        }
        List<Secret> secrets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long bytes = data.get(i).values().stream().mapToLong(String::length).sum();
            if (bytes > MAX_SECRET_BYTES) {
                throw new IllegalStateException(
                        "the front ends' copies of the apps' certificates would take " + bytes + " bytes in "
                                + secretName(topology.name(), i) + " (at most " + MAX_SECRET_BYTES
                                + " in one Secret) with " + MAX_SECRETS
                                + " Secrets: too many apps with their own certificates in one environment");
            }
            secrets.add(new SecretBuilder()
                    .withNewMetadata()
                    .withName(secretName(topology.name(), i))
                    .withNamespace(topology.namespace())
                    .withLabels(StandardLabels.forEnvironment(topology.name(), StandardLabels.ROLE_FRONT_END))
                    .withAnnotations(new TreeMap<>())
                    .endMetadata()
                    .withType("Opaque")
                    // No data at all rather than an empty map, as the API server keeps it: nothing to update when
                    // nothing changed.
                    .withData(data.get(i).isEmpty() ? null : data.get(i))
                    .build());
        }
        return secrets;
    }

    private static long encodedLength(String text) {
        long bytes = text.getBytes(StandardCharsets.UTF_8).length;
        return (bytes + BASE64_DENOMINATOR - 1) / BASE64_DENOMINATOR * BASE64_NUMERATOR;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<String> text(Secret secret, String key) {
        String encoded = secret.getData() == null ? null : secret.getData().get(key);
        if (encoded != null && !encoded.isBlank()) {
            try {
                return Optional.of(new String(Base64.getMimeDecoder().decode(encoded), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException notBase64) {
                return Optional.empty();
            }
        }
        String plain =
                secret.getStringData() == null ? null : secret.getStringData().get(key);
        return plain == null || plain.isBlank() ? Optional.empty() : Optional.of(plain);
    }

    /** Why nginx would refuse the pair, if it would: unreadable PEM, or a key that is not the certificate's. */
    static Optional<String> keyPairProblem(String certificatePem, String keyPem) {
        X509Certificate certificate;
        try {
            var certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
            if (certificates.isEmpty()) {
                return Optional.of(CERTIFICATE_KEY + " holds no certificate");
            }
            certificate = (X509Certificate) certificates.iterator().next();
        } catch (CertificateException | RuntimeException e) {
            return Optional.of(CERTIFICATE_KEY + " is not a PEM certificate");
        }
        PrivateKey privateKey;
        try (PEMParser parser = new PEMParser(new StringReader(keyPem))) {
            Object parsed = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PEMKeyPair pair) {
                privateKey = converter.getKeyPair(pair).getPrivate();
            } else if (parsed instanceof PrivateKeyInfo info) {
                privateKey = converter.getPrivateKey(info);
            } else {
                return Optional.of(PRIVATE_KEY_KEY + " is not an unencrypted PEM private key");
            }
        } catch (IOException | RuntimeException e) {
            return Optional.of(PRIVATE_KEY_KEY + " is not an unencrypted PEM private key");
        }
        if (!signsFor(privateKey, certificate.getPublicKey())) {
            return Optional.of(
                    PRIVATE_KEY_KEY + " is not the private key of the first certificate in " + CERTIFICATE_KEY);
        }
        return Optional.empty();
    }

    /** Whether a signature by the private key verifies with the certificate's public key: they are one pair. */
    private static boolean signsFor(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null
                || !privateKey.getAlgorithm().equals(publicKey.getAlgorithm())
                        && !(privateKey.getAlgorithm().startsWith("EC")
                                && publicKey.getAlgorithm().startsWith("EC"))) {
            return false;
        }
        try {
            byte[] probe = "ase-operator key pair probe".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
