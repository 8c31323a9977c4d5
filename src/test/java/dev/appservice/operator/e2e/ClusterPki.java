package dev.appservice.operator.e2e;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The control plane's certificates, as kubeadm lays them out in miniature: one CA that signs the
 * API server's serving certificate (for 127.0.0.1 and the in-cluster names) and the client
 * certificate of the test's administrator ({@code system:masters}), and the key pair that signs
 * and verifies service account tokens. All files are PEM in one directory.
 */
final class ClusterPki {
    static final String CA_CERT = "ca.crt";
    static final String CA_KEY = "ca.key";
    static final String SERVING_CERT = "apiserver.crt";
    static final String SERVING_KEY = "apiserver.key";
    static final String ADMIN_CERT = "admin.crt";
    static final String ADMIN_KEY = "admin.key";
    static final String SERVICE_ACCOUNT_KEY = "sa.key";
    static final String SERVICE_ACCOUNT_PUBLIC_KEY = "sa.pub";
    private static final Duration VALIDITY = Duration.ofDays(2);

    final Path directory;

    private ClusterPki(Path directory) {
        this.directory = directory;
    }

    /** Makes every certificate and key under {@code directory}. */
    static ClusterPki create(Path directory) {
        try {
            Files.createDirectories(directory);
            KeyPair ca = keyPair();
            X500Name caName = new X500Name("CN=e2e-kubernetes-ca");
            X509Certificate caCert = issue(caName, ca, caName, ca, true, null, null);
            write(directory.resolve(CA_CERT), caCert);
            write(directory.resolve(CA_KEY), ca.getPrivate());

            KeyPair serving = keyPair();
            X509Certificate servingCert = issue(
                    new X500Name("CN=kube-apiserver"),
                    serving,
                    caName,
                    ca,
                    false,
                    KeyPurposeId.id_kp_serverAuth,
                    new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.dNSName, "kubernetes.default.svc"),
                        new GeneralName(GeneralName.dNSName, "kubernetes.default.svc.cluster.local")
                    }));
            write(directory.resolve(SERVING_CERT), servingCert);
            write(directory.resolve(SERVING_KEY), serving.getPrivate());

            KeyPair admin = keyPair();
            X509Certificate adminCert = issue(
                    new X500Name("O=system:masters,CN=e2e-admin"),
                    admin,
                    caName,
                    ca,
                    false,
                    KeyPurposeId.id_kp_clientAuth,
                    null);
            write(directory.resolve(ADMIN_CERT), adminCert);
            write(directory.resolve(ADMIN_KEY), admin.getPrivate());

            KeyPair serviceAccounts = keyPair();
            write(directory.resolve(SERVICE_ACCOUNT_KEY), serviceAccounts.getPrivate());
            write(directory.resolve(SERVICE_ACCOUNT_PUBLIC_KEY), serviceAccounts.getPublic());
            return new ClusterPki(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    Path file(String name) {
        return directory.resolve(name);
    }

    String pem(String name) {
        try {
            return Files.readString(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The loopback address every component listens on: no traffic leaves the machine. */
    static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate issue(
            X500Name subject,
            KeyPair subjectKeys,
            X500Name issuer,
            KeyPair issuerKeys,
            boolean authority,
            KeyPurposeId purpose,
            GeneralNames alternativeNames)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                issuer,
                new BigInteger(127, new SecureRandom()),
                Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(VALIDITY)),
                subject,
                subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
        if (authority) {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            builder.addExtension(
                    Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        }
        if (alternativeNames != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
        }
        return new JcaX509CertificateConverter()
                .getCertificate(
                        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static void write(Path file, Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            // Private keys as PKCS#8 ("PRIVATE KEY"), which Go and Fabric8 both read.
            writer.writeObject(
                    object instanceof java.security.PrivateKey key ? new JcaPKCS8Generator(key, null) : object);
        }
        Files.writeString(file, text.toString());
    }
}
