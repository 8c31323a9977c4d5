package dev.appservice.operator.testing.cluster;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a request as a browser does over keep-alive connections: when the server closes a reused
 * connection before a single byte of the answer, the request is sent again, whatever its method
 * (Chromium's {@code HttpNetworkTransaction::ShouldResendRequest}; Go's {@code Transport} does the
 * same for idempotent requests). A server that closes a connection without answering has not
 * processed the request: nginx either answers (502, 504, ...) or closes before reading it, as an
 * idle keep-alive connection is closed on a reload or at {@code keepalive_timeout}, racing the
 * client's next request (RFC 9112, 9.3.1). The JDK client resends only GETs, and only once.
 *
 * <p>The JDK 17 client also, rarely, reports a reused connection closed unanswered when nginx
 * sent the whole answer: in one scale-in run under full load, nginx logged 89,770 POSTs answered
 * 200 with their 9 bytes, the client received 89,769 and resent one. That loss is the client's, not
 * the front end's; the resend covers it too (the test apps' POSTs are safe to repeat).
 *
 * <p>Anything else (a status, a timeout, a connection cut after part of an answer) is a failure
 * the user sees. Resends are counted, so that a test can report them.
 */
public final class BrowserResend {
    /** A browser's pool is small; each resend takes another connection, at worst a fresh one. */
    static final int ATTEMPTS = 4;
    /** The JDK's words for a connection closed before any byte of the response. */
    static final String CLOSED_UNANSWERED = "header parser received no bytes";

    private BrowserResend() {}

    public static HttpResponse<String> send(HttpClient client, HttpRequest request, AtomicLong resent)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (attempt == ATTEMPTS || !closedUnanswered(e)) {
                    throw e;
                }
                resent.incrementAndGet();
            }
        }
    }

    static boolean closedUnanswered(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(CLOSED_UNANSWERED)) {
                return true;
            }
        }
        return false;
    }
}
