package dev.appservice.operator.certificates;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The webhook's own certificates, for clusters without cert-manager: a CA and a serving
 * certificate for the webhook Service, kept in one Secret that every replica shares, and the
 * CAs published as the caBundle of the ValidatingWebhookConfiguration. A valid Secret is reused as
 * it is, so restarts, {@code helm upgrade} and GitOps re-syncs change nothing; the serving
 * certificate is renewed 30 days before it expires (or when the Service name changes). Two
 * replicas starting together agree: the one that loses the create race reads the winner's Secret.
 *
 * <p><b>CA rotation</b> (a year before the CA expires) never leaves a replica serving a certificate
 * that the published caBundle does not trust, though replicas reload their certificate at different
 * times. It takes three steps, each made by whichever replica's check comes first:
 * <ol>
 * <li>A new CA is staged in the Secret ({@code next-ca.crt}, {@code next-ca.key}); it signs
 * nothing yet. The caBundle becomes both CAs, old and new.
 * <li>Once a check <em>reads</em> the caBundle carrying both CAs on every webhook of the
 * configuration, and the new CA was staged at least {@link #STAGED_BEFORE_SWITCH} ago (the API
 * server's cache of the configuration has caught up by then), the new CA becomes the CA and signs
 * a new serving certificate. The old CA stays in the bundle as
 * {@code previous-ca.crt}, with the last serving certificate it signed ({@code previous-tls.crt}).
 * <li>The old CA leaves the bundle once that certificate has expired: no replica can present a
 * certificate of the old CA that is still valid, whenever it reloads. (A replica that has not
 * reloaded for a year serves an expired certificate, which fails with either bundle.) Until then
 * the old CA's private key is gone from the Secret, so the old CA signs nothing new.
 * </ol>
 * Without a ValidatingWebhookConfiguration nothing calls the webhook, so step 2 does not wait.
 */
public final class WebhookCertificates {
    public static final String CA_CERT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String TLS_CERT = "tls.crt";
    public static final String TLS_KEY = "tls.key";
    /** A CA staged for a rotation: in the caBundle, signing nothing yet. */
    public static final String NEXT_CA_CERT = "next-ca.crt";

    public static final String NEXT_CA_KEY = "next-ca.key";
    /** The CA before a rotation (no key), in the caBundle until the last serving certificate it signed expires. */
    public static final String PREVIOUS_CA_CERT = "previous-ca.crt";

    public static final String PREVIOUS_TLS_CERT = "previous-tls.crt";
    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration SERVING_VALIDITY = Duration.ofDays(365);
    static final Duration SERVING_RENEW_BEFORE = Duration.ofDays(30);
    static final Duration CA_RENEW_BEFORE = Duration.ofDays(365);
    /** Certificates are valid from a little before they are issued, for clocks a little behind. */
    static final Duration BACKDATE = Duration.ofMinutes(5);
    /**
     * How long a staged CA is in the published bundle at least before it signs the serving
     * certificate: the API server reads webhook configurations through a cache, so a bundle just
     * written may not be the one it checks with yet. One check interval.
     */
    static final Duration STAGED_BEFORE_SWITCH = Duration.ofMinutes(5);

    /**
     * Where the certificates live and whom they are for.
     *
     * @param urlHost the host of the chart's {@code webhook.url} ({@code ASE_WEBHOOK_URL}), when the
     *     API server calls an operator outside the cluster by URL instead of through the Service
     *     (development, the end-to-end suite); the serving certificate names it too. Empty otherwise.
     */
    public record Settings(
            String namespace,
            String secretName,
            String webhookConfiguration,
            String serviceName,
            Optional<String> urlHost) {
        public Settings(String namespace, String secretName, String webhookConfiguration, String serviceName) {
            this(namespace, secretName, webhookConfiguration, serviceName, Optional.empty());
        }

        /** The settings when {@code ASE_WEBHOOK_CERTIFICATES=self-managed}; empty in any other mode. */
        public static Optional<Settings> fromEnvironment(Map<String, String> env) {
            if (!"self-managed".equals(env.get("ASE_WEBHOOK_CERTIFICATES"))) {
                return Optional.empty();
            }
            return Optional.of(new Settings(
                    require(env, "ASE_OPERATOR_NAMESPACE"),
                    require(env, "ASE_WEBHOOK_SECRET"),
                    require(env, "ASE_WEBHOOK_CONFIGURATION"),
                    require(env, "ASE_WEBHOOK_SERVICE"),
                    urlHost(env.get("ASE_WEBHOOK_URL"))));
        }

        private static Optional<String> urlHost(String url) {
            if (url == null || url.isBlank()) {
                return Optional.empty();
            }
            java.net.URI uri = java.net.URI.create(url.strip());
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalStateException("ASE_WEBHOOK_URL must be an https URL with a host, not " + url);
            }
            String host = uri.getHost();
            return Optional.of(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        }

        private static String require(Map<String, String> env, String name) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException(name + " must be set when ASE_WEBHOOK_CERTIFICATES=self-managed");
            }
            return value;
        }

        /** The DNS names the API server uses to reach the Service. */
        public List<String> dnsNames() {
            return List.of(
                    serviceName + "." + namespace + ".svc", serviceName + "." + namespace + ".svc.cluster.local");
        }

        /** What the serving certificate names: the Service's DNS names, then the URL's host if any. */
        public List<GeneralName> subjectAlternativeNames() {
            List<GeneralName> names = new ArrayList<>();
            dnsNames().forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
            urlHost.ifPresent(host ->
                    names.add(new GeneralName(isIpAddress(host) ? GeneralName.iPAddress : GeneralName.dNSName, host)));
            return names;
        }

        /** The names above as X509Certificate#getSubjectAlternativeNames reports them. */
        List<String> subjectAlternativeNameTexts() {
            List<String> names = new ArrayList<>(dnsNames());
            urlHost.ifPresent(host -> {
                try {
                    // An address as Java reports it (an IPv6 address in full).
                    names.add(
                            isIpAddress(host)
                                    ? java.net.InetAddress.getByName(host).getHostAddress()
                                    : host);
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            });
            return names;
        }

        private static boolean isIpAddress(String host) {
            return host.matches("[0-9.]+") || host.contains(":");
        }
    }

    /**
     * PEM texts of the CA certificate, the serving key pair, and the caBundle to publish: every CA
     * a replica's serving certificate may be signed by (during a rotation the previous, current
     * or staged one; otherwise just the CA).
     */
    public record KeyMaterial(String caCertificate, String certificate, String privateKey, String caBundle) {}

    private WebhookCertificates() {}

    /** Makes sure the Secret holds a valid CA and serving certificate, and returns them. */
    public static KeyMaterial ensure(KubernetesClient client, Settings settings, Instant now) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Secret current = client.secrets()
                    .inNamespace(settings.namespace())
                    .withName(settings.secretName())
                    .get();
            Map<String, String> data =
                    current == null || current.getData() == null ? Map.of() : decode(current.getData());
            // Owned by the webhook configuration (cluster-scoped), so uninstalling the chart removes it.
            ValidatingWebhookConfiguration owner = client.admissionRegistration()
                    .v1()
                    .validatingWebhookConfigurations()
                    .withName(settings.webhookConfiguration())
                    .get();
            Optional<Map<String, String>> renewed = renewIfNeeded(data, publishedCas(owner), settings, now);
            if (renewed.isEmpty()) {
                return material(data);
            }
            Secret desired = new SecretBuilder()
                    .withNewMetadata()
                    .withName(settings.secretName())
                    .withNamespace(settings.namespace())
                    .withOwnerReferences(
                            owner == null
                                    ? List.of()
                                    : List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                                            .withApiVersion("admissionregistration.k8s.io/v1")
                                            .withKind("ValidatingWebhookConfiguration")
                                            .withName(owner.getMetadata().getName())
                                            .withUid(owner.getMetadata().getUid())
                                            .build()))
                    .addToLabels("app.kubernetes.io/managed-by", "ase-operator")
                    .addToLabels("app.kubernetes.io/component", "webhook")
                    .withResourceVersion(
                            current == null ? null : current.getMetadata().getResourceVersion())
                    .endMetadata()
                    .withType("kubernetes.io/tls")
                    .withData(encode(renewed.get()))
                    .build();
            try {
                if (current == null) {
                    client.secrets()
                            .inNamespace(settings.namespace())
                            .resource(desired)
                            .create();
                } else {
                    client.secrets()
                            .inNamespace(settings.namespace())
                            .resource(desired)
                            .update();
                }
                return material(renewed.get());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                // Another replica wrote it first: read theirs.
            }
        }
        throw new IllegalStateException("could not agree on Secret " + settings.namespace() + "/"
                + settings.secretName() + " after 5 attempts");
    }

    /** Sets the CAs ({@link KeyMaterial#caBundle}) as the caBundle of every webhook of the configuration, when it differs. */
    public static boolean publishCaBundle(KubernetesClient client, Settings settings, String caBundle) {
        String bundle = Base64.getEncoder().encodeToString(caBundle.getBytes(StandardCharsets.UTF_8));
        ValidatingWebhookConfiguration configuration = client.admissionRegistration()
                .v1()
                .validatingWebhookConfigurations()
                .withName(settings.webhookConfiguration())
                .get();
        if (configuration == null || configuration.getWebhooks() == null) {
            return false;
        }
        boolean current = configuration.getWebhooks().stream()
                .allMatch(w -> w.getClientConfig() != null
                        && bundle.equals(w.getClientConfig().getCaBundle()));
        if (current) {
            return false;
        }
        client.admissionRegistration()
                .v1()
                .validatingWebhookConfigurations()
                .withName(settings.webhookConfiguration())
                .edit(c -> {
                    for (ValidatingWebhook webhook : c.getWebhooks()) {
                        webhook.getClientConfig().setCaBundle(bundle);
                    }
                    return c;
                });
        return true;
    }

    /** Writes tls.crt and tls.key (owner-only) for the HTTP server to read. */
    public static void writeFiles(KeyMaterial material, Path directory) {
        try {
            Files.createDirectories(directory);
            Path key = directory.resolve(TLS_KEY);
            Files.writeString(directory.resolve(TLS_CERT), material.certificate());
            Files.writeString(key, material.privateKey());
            try {
                Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // not a POSIX file system: nothing to tighten
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The CAs that every webhook of the configuration trusts (its caBundle), to know whether a
     * staged CA was published; empty when there is no configuration (nothing calls the webhook).
     */
    static Optional<List<X509Certificate>> publishedCas(ValidatingWebhookConfiguration configuration) {
        if (configuration == null
                || configuration.getWebhooks() == null
                || configuration.getWebhooks().isEmpty()) {
            return Optional.empty();
        }
        List<X509Certificate> common = null;
        for (ValidatingWebhook webhook : configuration.getWebhooks()) {
            String bundle = webhook.getClientConfig() == null
                    ? null
                    : webhook.getClientConfig().getCaBundle();
            List<X509Certificate> trusted = bundle == null ? List.of() : parseBundle(bundle);
            if (common == null) {
                common = new ArrayList<>(trusted);
            } else {
                common.retainAll(trusted);
            }
        }
        return Optional.of(common);
    }

    private static List<X509Certificate> parseBundle(String base64) {
        try {
            byte[] pem = Base64.getDecoder().decode(base64);
            return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).stream()
                    .map(X509Certificate.class::cast)
                    .toList();
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return List.of(); // someone published something unreadable: it trusts none of ours
        }
    }

    /**
     * The new Secret data when the CA or the serving certificate must change, one rotation step at
     * a time (see the class comment); empty when all is valid. {@code published} is what the
     * webhooks trust now ({@link #publishedCas}).
     */
    static Optional<Map<String, String>> renewIfNeeded(
            Map<String, String> data, Optional<List<X509Certificate>> published, Settings settings, Instant now) {
        try {
            Map<String, String> renewed = new LinkedHashMap<>(data);
            X509Certificate ca = certificateOrNull(data.get(CA_CERT));
            PrivateKey caKey = keyOrNull(data.get(CA_KEY));
            X509Certificate serving = certificateOrNull(data.get(TLS_CERT));
            X509Certificate previousServing = certificateOrNull(data.get(PREVIOUS_TLS_CERT));
            if (data.containsKey(PREVIOUS_CA_CERT)
                    && (previousServing == null
                            || !previousServing.getNotAfter().toInstant().isAfter(now))) {
                // Step 3: the last certificate the previous CA signed has expired; it leaves the bundle.
                renewed.remove(PREVIOUS_CA_CERT);
                renewed.remove(PREVIOUS_TLS_CERT);
            }
            X509Certificate nextCa = certificateOrNull(data.get(NEXT_CA_CERT));
            PrivateKey nextCaKey = keyOrNull(data.get(NEXT_CA_KEY));
            if (ca == null || caKey == null || !ca.getNotAfter().toInstant().isAfter(now)) {
                // No usable CA (first start, or a Secret someone broke): start over; nothing valid was signed to keep
                // trusting.
                KeyPair pair = keyPair();
                ca = issueCa(pair, now);
                caKey = pair.getPrivate();
                renewed.put(CA_CERT, pem(ca));
                renewed.put(CA_KEY, pem(caKey));
                List.of(NEXT_CA_CERT, NEXT_CA_KEY, PREVIOUS_CA_CERT, PREVIOUS_TLS_CERT)
                        .forEach(renewed::remove);
            } else if (nextCa != null && nextCaKey != null) {
                Instant staged = nextCa.getNotBefore().toInstant().plus(BACKDATE);
                boolean bundlePublished = published.isEmpty() || published.get().containsAll(List.of(ca, nextCa));
                if (bundlePublished && !now.isBefore(staged.plus(STAGED_BEFORE_SWITCH))) {
                    // Step 2: the bundle with both CAs is published; the staged CA takes over.
                    if (serving != null && verifies(serving, ca)) {
                        renewed.put(PREVIOUS_CA_CERT, data.get(CA_CERT));
                        renewed.put(PREVIOUS_TLS_CERT, data.get(TLS_CERT));
                    }
                    ca = nextCa;
                    caKey = nextCaKey;
                    renewed.put(CA_CERT, data.get(NEXT_CA_CERT));
                    renewed.put(CA_KEY, data.get(NEXT_CA_KEY));
                    renewed.remove(NEXT_CA_CERT);
                    renewed.remove(NEXT_CA_KEY);
                }
            } else if (!ca.getNotAfter().toInstant().isAfter(now.plus(CA_RENEW_BEFORE))) {
                // Step 1: stage a new CA; it joins the bundle and signs nothing until step 2.
                KeyPair pair = keyPair();
                renewed.put(NEXT_CA_CERT, pem(issueCa(pair, now)));
                renewed.put(NEXT_CA_KEY, pem(pair.getPrivate()));
            }
            boolean servingValid = serving != null
                    && data.containsKey(TLS_KEY)
                    && serving.getNotAfter().toInstant().isAfter(now.plus(SERVING_RENEW_BEFORE))
                    && serving.getSubjectAlternativeNames() != null
                    && serving.getSubjectAlternativeNames().stream()
                            .map(n -> String.valueOf(n.get(1)))
                            .toList()
                            .containsAll(settings.subjectAlternativeNameTexts())
                    && verifies(serving, ca);
            if (!servingValid) {
                KeyPair pair = keyPair();
                X509Certificate issued = issue(
                        new X500Name("CN=" + settings.dnsNames().get(0)),
                        pair,
                        new X500Name(ca.getSubjectX500Principal().getName()),
                        caKey,
                        settings.subjectAlternativeNames(),
                        false,
                        now,
                        SERVING_VALIDITY);
                renewed.put(TLS_CERT, pem(issued));
                renewed.put(TLS_KEY, pem(pair.getPrivate()));
            }
            return renewed.equals(data) ? Optional.empty() : Optional.of(renewed);
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new IllegalStateException("cannot issue the webhook certificates: " + e.getMessage(), e);
        }
    }

    private static X509Certificate issueCa(KeyPair pair, Instant now) throws GeneralSecurityException, IOException {
        X500Name name = new X500Name("CN=ase-operator webhook CA " + now.getEpochSecond());
        return issue(name, pair, name, pair.getPrivate(), List.of(), true, now, CA_VALIDITY);
    }

    private static X509Certificate certificateOrNull(String pem) {
        try {
            return pem == null ? null : parseCertificate(pem);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    private static PrivateKey keyOrNull(String pem) {
        try {
            return pem == null ? null : parseKey(pem);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean verifies(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return generator.generateKeyPair();
    }

    private static X509Certificate issue(
            X500Name subject,
            KeyPair subjectKeys,
            X500Name issuer,
            PrivateKey issuerKey,
            List<GeneralName> subjectAlternativeNames,
            boolean authority,
            Instant now,
            Duration validity)
            throws GeneralSecurityException, IOException {
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    issuer,
                    new BigInteger(127, new SecureRandom()),
                    Date.from(now.minus(BACKDATE)),
                    Date.from(now.plus(validity)),
                    subject,
                    subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            if (authority) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(
                        Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                builder.addExtension(
                        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                builder.addExtension(
                        Extension.subjectAlternativeName,
                        false,
                        new GeneralNames(subjectAlternativeNames.toArray(GeneralName[]::new)));
            }
            X509CertificateHolder holder =
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static X509Certificate parseCertificate(String pem) throws IOException, GeneralSecurityException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (!(object instanceof X509CertificateHolder holder)) {
                throw new IOException("not a certificate");
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        }
    }

    private static PrivateKey parseKey(String pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IOException("not a private key");
        }
    }

    /** PEM text: certificates as CERTIFICATE, keys as PKCS#8 PRIVATE KEY (what servers and parsers expect). */
    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            if (object instanceof PrivateKey key) {
                writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(object);
            }
        }
        return text.toString();
    }

    private static KeyMaterial material(Map<String, String> data) {
        StringBuilder bundle = new StringBuilder();
        for (String key : List.of(PREVIOUS_CA_CERT, CA_CERT, NEXT_CA_CERT)) {
            String pem = data.get(key);
            if (pem != null) {
                bundle.append(pem.endsWith("\n") ? pem : pem + "\n");
            }
        }
        return new KeyMaterial(data.get(CA_CERT), data.get(TLS_CERT), data.get(TLS_KEY), bundle.toString());
    }

    private static Map<String, String> decode(Map<String, String> data) {
        Map<String, String> decoded = new LinkedHashMap<>();
        data.forEach((k, v) -> decoded.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return decoded;
    }

    private static Map<String, String> encode(Map<String, String> data) {
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return encoded;
    }
}
