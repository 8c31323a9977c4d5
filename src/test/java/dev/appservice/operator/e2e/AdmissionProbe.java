package dev.appservice.operator.e2e;

import dev.appservice.operator.admission.ValidatingWebhook;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Measures admission latency while something else goes on: one thread posts an AdmissionReview
 * (the CREATE of a small WebApp, as the API server sends it) to the operator's webhook on loopback
 * every {@link #INTERVAL}, and records how long each answer took. Bounded: it stops when asked or
 * after {@link #LONGEST_RUN}. The webhook's self-managed certificate is not checked: the probe only
 * talks to 127.0.0.1.
 */
final class AdmissionProbe implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofMillis(50);
    static final Duration LONGEST_RUN = Duration.ofMinutes(30);

    private final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
    private final HttpClient http;
    private final URI endpoint;
    private final String namespace;
    private final String plan;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int failures;

    private AdmissionProbe(String webhookUrl, String namespace, String plan) throws Exception {
        SSLContext loopback = SSLContext.getInstance("TLS");
        loopback.init(null, new TrustManager[] {new LoopbackTrust()}, null);
        this.http = HttpClient.newBuilder()
                .sslContext(loopback)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        this.endpoint = URI.create(webhookUrl + ValidatingWebhook.PATH);
        this.namespace = namespace;
        this.plan = plan;
        this.thread = new Thread(this::probe, "admission-probe");
        this.thread.setDaemon(true);
    }

    /**
     * Starts probing the webhook at this origin with reviews of new apps of {@code plan} in
     * {@code namespace} (so each review checks the app against that plan's apps).
     */
    static AdmissionProbe start(String webhookUrl, String namespace, String plan) throws Exception {
        AdmissionProbe probe = new AdmissionProbe(webhookUrl, namespace, plan);
        probe.thread.start();
        return probe;
    }

    private void probe() {
        KubernetesSerialization json = new KubernetesSerialization();
        long until = System.nanoTime() + LONGEST_RUN.toNanos();
        for (int i = 0; running && System.nanoTime() < until; i++) {
            String body = review(json, "probe-" + i);
            long start = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(endpoint)
                                .header("content-type", "application/json")
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                long took = System.nanoTime() - start;
                if (response.statusCode() == 200 && response.body().contains("\"allowed\":true")) {
                    nanos.add(took);
                } else {
                    failures++;
                }
                Thread.sleep(INTERVAL.toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failures++;
            }
        }
    }

    private String review(KubernetesSerialization json, String name) {
        return """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
                  "uid":"%s",
                  "kind":{"group":"appservice.dev","version":"v1alpha1","kind":"WebApp"},
                  "resource":{"group":"appservice.dev","version":"v1alpha1","resource":"webapps"},
                  "name":"%s","namespace":"%s","operation":"CREATE",
                  "userInfo":{"username":"probe"},
                  "object":%s,"oldObject":null,"dryRun":true
                }}""".formatted(
                        UUID.randomUUID(), name, namespace, json.asJson(Fixtures.app(namespace, name, plan, 8080)));
    }

    /** p50, p99 and the largest latency so far, in milliseconds, with the count of answers and failures. */
    String summary() {
        List<Long> sorted;
        synchronized (nanos) {
            sorted = new ArrayList<>(nanos);
        }
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return "no answers, " + failures + " failures";
        }
        return String.format(
                "p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d reviews (%d failed)",
                percentile(sorted, 0.50) / 1e6,
                percentile(sorted, 0.99) / 1e6,
                sorted.get(sorted.size() - 1) / 1e6,
                sorted.size(),
                failures);
    }

    /** Forgets what was measured, to measure a new phase. */
    void reset() {
        nanos.clear();
        failures = 0;
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(Duration.ofSeconds(15).toMillis());
    }

    /** Trusts the webhook's self-managed certificate on loopback, where the probe is the only client. */
    private static final class LoopbackTrust implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
