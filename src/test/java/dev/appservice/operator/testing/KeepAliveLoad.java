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
 * as a failure; this counts what a user would see. Prints {@code ok=N failed=N resent=N} and the
 * first failures.
 *
 * <p>Usage: {@code KeepAliveLoad <url> <host header> <connections> <seconds>}
 */
public final class KeepAliveLoad {
    private KeepAliveLoad() {}

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
        workers.awaitTermination(1, TimeUnit.HOURS);
        System.out.println("ok=" + ok.get() + " failed=" + failed.get() + " resent=" + resent.get());
    }
}
