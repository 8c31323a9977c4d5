package dev.appservice.operator.testing.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients of a front end: {@code clients} threads, each sending requests back to back over the
 * JDK client's keep-alive connections, alternating GET (idempotent) and POST with a body
 * (non-idempotent), until stopped. Counts answered (200) and failed requests (any other status or
 * an error), and keeps the first failures' descriptions. A request whose reused connection the
 * server closed before any byte of the answer is sent again, as a browser does ({@link
 * BrowserResend}), and counted as resent; every other error is a failure a user would see.
 */
public final class ClientLoad implements AutoCloseable {
    private static final int KEPT_FAILURES = 10;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong okPosts = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final ExecutorService threads;
    private volatile boolean running = true;

    public ClientLoad(String url, String host, int clients) {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create(url);
        threads = Executors.newFixedThreadPool(clients);
        for (int i = 0; i < clients; i++) {
            threads.submit(() -> {
                long n = 0;
                while (running) {
                    boolean post = n++ % 2 == 1;
                    HttpRequest.Builder request =
                            HttpRequest.newBuilder(uri).header("Host", host).timeout(REQUEST_TIMEOUT);
                    request = post ? request.POST(HttpRequest.BodyPublishers.ofString("order=" + n)) : request.GET();
                    try {
                        HttpResponse<String> response = BrowserResend.send(client, request.build(), resent);
                        if (response.statusCode() == 200) {
                            ok.incrementAndGet();
                            if (post) {
                                okPosts.incrementAndGet();
                            }
                        } else {
                            fail((post ? "POST" : "GET") + " status " + response.statusCode() + ": " + response.body());
                        }
                    } catch (Exception e) {
                        fail((post ? "POST " : "GET ") + e);
                    }
                }
            });
        }
    }

    private void fail(String description) {
        failed.incrementAndGet();
        if (failures.size() < KEPT_FAILURES) {
            failures.add(description);
        }
    }

    public long ok() {
        return ok.get();
    }

    public long okPosts() {
        return okPosts.get();
    }

    public long failed() {
        return failed.get();
    }

    /** Requests sent again because the server closed their reused connection before answering. */
    public long resent() {
        return resent.get();
    }

    /** The counts, as the tests and the benchmark print them. */
    public String summary() {
        return "%d requests answered (%d POST), %d failed, %d resent on a reused connection closed unanswered"
                .formatted(ok(), okPosts(), failed(), resent());
    }

    /**
     * Waits until the clients have had {@code more} answers beyond those so far: load seen before a
     * change (connections pooled) or after it (the last requests counted), instead of a fixed time.
     */
    public void awaitMoreAnswers(long more) {
        long target = ok.get() + more;
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> ok.get() >= target || !failures.isEmpty());
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Stops the clients, waiting for the requests they have in flight. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        threads.shutdown();
        threads.awaitTermination(REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    }
}
