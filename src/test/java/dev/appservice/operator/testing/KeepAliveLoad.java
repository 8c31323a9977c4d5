package dev.appservice.operator.testing;

import dev.appservice.operator.testing.cluster.BrowserResend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load generator of its own process that behaves like a browser: GETs over pooled keep-alive
 * connections, and a request whose reused connection the server closed before answering is sent
 * again ({@link BrowserResend}, RFC 9112, 9.3.1). wrk does not resend, so it counts such a close
 * as a failure; this counts what a user would see. Prints {@link #SERVING} once a first request
 * was answered (for {@link #awaitServing}), then {@code ok=N failed=N resent=N} and the first
 * failures.
 *
 * <p>Usage: {@code KeepAliveLoad <url> <host header> <connections> <seconds>}
 */
public final class KeepAliveLoad {
    /** The line printed once the first request was answered: the load is flowing. */
    public static final String SERVING = "serving";

    private KeepAliveLoad() {}

    /**
     * Waits until the load of this process has had its first answer (reading its output up to the
     * {@link #SERVING} line, unbuffered, so the rest stays to be read).
     */
    public static void awaitServing(Process load) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        java.io.InputStream out = load.getInputStream();
        for (int b; (b = out.read()) != -1; ) {
            if (b != '\n') {
                line.append((char) b);
            } else if (line.toString().equals(SERVING)) {
                return;
            } else {
                line.setLength(0);
            }
        }
        throw new AssertionError("the load ended before a first answer: " + line);
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        String host = args[1];
        int connections = Integer.parseInt(args[2]);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong resent = new AtomicLong();
        java.util.concurrent.CountDownLatch firstAnswer = new java.util.concurrent.CountDownLatch(1);
        ExecutorService workers = Executors.newFixedThreadPool(connections);
        for (int i = 0; i < connections; i++) {
            workers.submit(() -> {
                while (System.nanoTime() < until) {
                    try {
                        HttpResponse<String> response = BrowserResend.send(
                                client,
                                HttpRequest.newBuilder(uri)
                                        .header("Host", host)
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                resent);
                        if (response.statusCode() == 200) {
                            ok.incrementAndGet();
                            firstAnswer.countDown();
                        } else if (failed.incrementAndGet() <= 5) {
                            System.out.println("failure: status " + response.statusCode());
                        }
                    } catch (Exception e) {
                        if (failed.incrementAndGet() <= 5) {
                            System.out.println("failure: " + e);
                        }
                    }
                }
            });
        }
        workers.shutdown();
        if (firstAnswer.await(until - System.nanoTime(), TimeUnit.NANOSECONDS)) {
            System.out.println(SERVING);
            System.out.flush();
        }
        workers.awaitTermination(1, TimeUnit.HOURS);
        System.out.println("ok=" + ok.get() + " failed=" + failed.get() + " resent=" + resent.get());
    }
}
