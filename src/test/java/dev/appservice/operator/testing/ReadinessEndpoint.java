package dev.appservice.operator.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** Waits for an operator process's readiness endpoint ({@code /q/health/ready}: caches synced, webhook answering). */
public final class ReadinessEndpoint {
    private ReadinessEndpoint() {}

    /**
     * Polls {@code http://127.0.0.1:port/q/health/ready} every {@code poll} until it answers 200;
     * fails, naming the log, when the process exits or {@code within} passes.
     */
    public static void await(Process process, int port, Duration within, Duration poll, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the operator exited with " + process.exitValue() + ", see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(poll.toMillis());
        }
        throw new IllegalStateException("the operator was not ready within " + within + ", see " + log);
    }
}
