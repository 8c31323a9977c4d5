package dev.appservice.operator.certificates;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the self-managed webhook certificates ({@code ASE_WEBHOOK_CERTIFICATES=self-managed}).
 * Before the HTTP server starts, {@link #prepare} makes sure the shared Secret holds valid
 * certificates, writes them where the server reads them and publishes the CAs as the caBundle.
 * While the operator runs, it checks every few minutes: certificates due for renewal are renewed
 * (the server reloads the files, {@code quarkus.http.ssl.certificate.reload-period}), a CA rotation
 * moves one step ({@link WebhookCertificates}: the bundle carries the old and the new CA until no
 * replica can serve a valid certificate of the old one) and a caBundle that someone reset is put back.
 */
@ApplicationScoped
public class WebhookCertificateRotation {
    /** Where the server reads the self-managed certificate: a writable, pod-local directory. */
    public static final Path DIRECTORY = Path.of(System.getProperty("java.io.tmpdir"), "ase-operator-webhook");

    static final long CHECK_MINUTES = 5;
    private static final Logger LOG = Logger.getLogger(WebhookCertificateRotation.class);

    @Inject
    KubernetesClient client;

    private ScheduledExecutorService executor;

    /**
     * Called from main before Quarkus starts: in self-managed mode, gets or creates the
     * certificates and points the HTTP server at them (system properties win over the
     * configuration). Retries for about 90 seconds while the API server is not reachable yet
     * (within the chart's start-up probe), then gives up and lets the pod restart.
     */
    public static void prepare(WebhookCertificates.Settings settings) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= 8; attempt++) {
            try (KubernetesClient bootstrap = new KubernetesClientBuilder().build()) {
                WebhookCertificates.KeyMaterial material = WebhookCertificates.ensure(
                        bootstrap, settings, Clock.systemUTC().instant());
                WebhookCertificates.writeFiles(material, DIRECTORY);
                WebhookCertificates.publishCaBundle(bootstrap, settings, material.caBundle());
                System.setProperty(
                        "quarkus.http.ssl.certificate.files",
                        DIRECTORY.resolve(WebhookCertificates.TLS_CERT).toString());
                System.setProperty(
                        "quarkus.http.ssl.certificate.key-files",
                        DIRECTORY.resolve(WebhookCertificates.TLS_KEY).toString());
                return;
            } catch (RuntimeException e) {
                last = e;
                System.err.println("webhook certificates: attempt " + attempt + " failed: " + e.getMessage());
                try {
                    Thread.sleep(Math.min(15_000L, 1000L << attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new IllegalStateException("could not prepare the webhook certificates", last);
    }

    void start(@Observes StartupEvent event) {
        Optional<WebhookCertificates.Settings> settings = WebhookCertificates.Settings.fromEnvironment(System.getenv());
        if (settings.isEmpty()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "webhook-certificates");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> check(settings.get()), CHECK_MINUTES, CHECK_MINUTES, TimeUnit.MINUTES);
    }

    void check(WebhookCertificates.Settings settings) {
        try {
            WebhookCertificates.KeyMaterial material = WebhookCertificates.ensure(
                    client, settings, Clock.systemUTC().instant());
            WebhookCertificates.writeFiles(material, DIRECTORY);
            if (WebhookCertificates.publishCaBundle(client, settings, material.caBundle())) {
                LOG.infof(
                        "published the webhook CAs to ValidatingWebhookConfiguration %s",
                        settings.webhookConfiguration());
            }
        } catch (RuntimeException e) {
            LOG.warnf("webhook certificate check failed (will retry in %d minutes): %s", CHECK_MINUTES, e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
