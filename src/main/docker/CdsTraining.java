import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The training run of the image's class-data sharing archive (Dockerfile.jvm): starts the
 * operator, as the image does, against a minimal API server of its own, waits until the operator
 * is ready ({@code /q/health/ready}: the informers synced, the webhook's caches filled, HTTP and
 * HTTPS listening), asks its webhook for one review, and stops it with SIGTERM, as Kubernetes
 * does; the operator's JVM writes the archive as it exits. So the archive holds the classes of the
 * whole start, not only those loaded before the first call to the API server.
 *
 * <pre>
 * java -cp DIR CdsTraining KEYSTORE.p12 java -XX:ArchiveClassesAtExit=... $JAVA_OPTS -jar quarkus-run.jar
 * </pre>
 *
 * The API server answers what the operator's start asks, and nothing is there: {@code /version};
 * every list empty; every watch held open without events; every object by name 404; a created or
 * replaced object returned as sent. It runs on java.base alone (the image's own runtime has no
 * HTTP server module), is no part of the image, and runs in its own JVM: only the operator's JVM
 * writes the archive. Exits non-zero, with the operator's output, if the operator is not ready
 * within a minute or its archive is not written.
 */
public final class CdsTraining {
    static final AtomicInteger REQUESTS = new AtomicInteger();
    static final boolean TRACE = Boolean.getBoolean("training.trace");

    public static void main(String[] args) throws Exception {
        Path tls = pemFiles(Path.of(args[0]));
        List<String> command = List.of(args).subList(1, args.length);
        ServerSocket apiServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> serve(apiServer), "api-server");
        accept.setDaemon(true);
        accept.start();
        int http = freePort();
        int https = freePort();
        Path log = Files.createTempFile("cds-training", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", "http://127.0.0.1:" + apiServer.getLocalPort());
        env.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", "default");
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(http));
        env.put("QUARKUS_HTTP_SSL_PORT", Integer.toString(https));
        env.put("ASE_WEBHOOK_TLS_CERT", tls.resolve("tls.crt").toString());
        env.put("ASE_WEBHOOK_TLS_KEY", tls.resolve("tls.key").toString());
        long started = System.nanoTime();
        Process operator = builder.start();
        try {
            awaitReady(operator, http, log);
            long ready = System.nanoTime();
            review(http);
            operator.destroy();
            if (!operator.waitFor(60, TimeUnit.SECONDS)) {
                fail("the operator did not stop within 60 s of SIGTERM", log);
            }
            System.out.printf(
                    "CdsTraining: ready in %d ms (%d API requests), stopped with exit code %d%n",
                    TimeUnit.NANOSECONDS.toMillis(ready - started), REQUESTS.get(), operator.exitValue());
        } finally {
            operator.destroyForcibly();
        }
    }

    /**
     * The webhook's certificate and key as the chart mounts them (PEM files), from the PKCS #12
     * store keytool made for this run alone (password "training"), written to a new directory.
     */
    static Path pemFiles(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        char[] password = "training".toCharArray();
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, password);
        }
        String alias = store.aliases().nextElement();
        Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Path directory = Files.createTempDirectory("cds-training-tls");
        Files.writeString(
                directory.resolve("tls.crt"),
                "-----BEGIN CERTIFICATE-----\n"
                        + pem.encodeToString(store.getCertificate(alias).getEncoded())
                        + "\n-----END CERTIFICATE-----\n");
        Files.writeString(
                directory.resolve("tls.key"),
                "-----BEGIN PRIVATE KEY-----\n"
                        + pem.encodeToString(store.getKey(alias, password).getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        return directory;
    }

    static void awaitReady(Process operator, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!operator.isAlive()) {
                fail("the operator exited with " + operator.exitValue() + " before it was ready", log);
            }
            try {
                HttpURLConnection ready = (HttpURLConnection)
                        new URL("http://127.0.0.1:" + port + "/q/health/ready").openConnection();
                ready.setConnectTimeout(1000);
                ready.setReadTimeout(5000);
                int code = ready.getResponseCode();
                ready.disconnect();
                if (code == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        fail("the operator was not ready within 60 s", log);
    }

    /** One admission review of a WebApp, as the API server sends it; the answer is not checked. */
    static void review(int port) throws IOException {
        String review = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
                + "\"uid\":\"00000000-0000-0000-0000-000000000001\","
                + "\"kind\":{\"group\":\"appservice.dev\",\"version\":\"v1\",\"kind\":\"WebApp\"},"
                + "\"resource\":{\"group\":\"appservice.dev\",\"version\":\"v1\",\"resource\":\"webapps\"},"
                + "\"name\":\"web\",\"namespace\":\"default\",\"operation\":\"CREATE\","
                + "\"object\":{\"apiVersion\":\"appservice.dev/v1\",\"kind\":\"WebApp\","
                + "\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{}}}}";
        try {
            HttpURLConnection post = (HttpURLConnection)
                    new URL("http://127.0.0.1:" + port + "/admission/validate").openConnection();
            post.setConnectTimeout(1000);
            post.setReadTimeout(10_000);
            post.setRequestMethod("POST");
            post.setDoOutput(true);
            post.setRequestProperty("Content-Type", "application/json");
            try (OutputStream body = post.getOutputStream()) {
                body.write(review.getBytes(StandardCharsets.UTF_8));
            }
            post.getResponseCode();
            post.disconnect();
        } catch (IOException ignored) {
            // training only: a review the webhook refuses still trains its path
        }
    }

    static void fail(String why, Path log) throws IOException {
        System.out.println(Files.readString(log));
        throw new IllegalStateException("CdsTraining: " + why);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void serve(ServerSocket server) {
        while (true) {
            try {
                Socket connection = server.accept();
                Thread handler = new Thread(() -> connection(connection), "api-server-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** HTTP/1.1 with keep-alive: one request after another on the connection until it closes. */
    static void connection(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                String requestLine = line(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                    int colon = header.indexOf(':');
                    if (colon > 0) {
                        headers.put(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
                    }
                }
                byte[] body = body(in, headers);
                REQUESTS.incrementAndGet();
                String[] parts = requestLine.split(" ");
                if (TRACE) {
                    System.err.println("api-server: " + requestLine);
                }
                if (!answer(parts[0], parts[1], headers, body, in, out)) {
                    return;
                }
            }
        } catch (IOException closed) {
            // the operator closed the connection
        }
    }

    /** Writes the answer; false when the connection is held (a watch) and is over once it returns. */
    static boolean answer(String method, String target, Map<String, String> headers, byte[] body, InputStream in, OutputStream out)
            throws IOException {
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        String params = query < 0 ? "" : target.substring(query + 1);
        if (path.equals("/version")) {
            return respond(out, 200, "{\"major\":\"1\",\"minor\":\"33\",\"gitVersion\":\"v1.33.0\",\"platform\":\"linux/amd64\"}");
        }
        List<String> rest = resourcePath(path);
        if (method.equals("GET") && (params.contains("watch=true") || params.contains("watch=1"))) {
            String key = headers.get("Sec-WebSocket-Key");
            if (key != null) {
                String accept;
                try {
                    accept = Base64.getEncoder()
                            .encodeToString(MessageDigest.getInstance("SHA-1")
                                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                                            .getBytes(StandardCharsets.US_ASCII)));
                } catch (NoSuchAlgorithmException e) {
                    throw new IOException(e);
                }
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            // No events: held open until the operator closes it (or stops). What it sends (pings,
            // a close frame) is read and dropped.
            while (in.read() != -1) {
                // dropped
            }
            return false;
        }
        switch (method) {
            case "GET":
                if (rest != null && rest.size() == 1) {
                    return respond(out, 200, "{\"apiVersion\":\"v1\",\"kind\":\"List\","
                            + "\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[]}");
                }
                return notFound(out);
            case "POST":
                return respond(out, 201, new String(body, StandardCharsets.UTF_8));
            case "PUT":
            case "PATCH":
                return notFound(out);
            case "DELETE":
                return notFound(out);
            default:
                return respond(out, 405, status(405, "MethodNotAllowed"));
        }
    }

    /**
     * The path after the API group and version, without {@code namespaces/NAME} when it is a
     * namespaced resource: [resource] for a list, [resource, name] for an object, null for a
     * discovery document.
     */
    static List<String> resourcePath(String path) {
        List<String> segments = new ArrayList<>(List.of(path.replaceAll("^/+|/+$", "").split("/+")));
        int skip = segments.size() > 0 && segments.get(0).equals("api") ? 2 : segments.size() > 0 && segments.get(0).equals("apis") ? 3 : -1;
        if (skip < 0 || segments.size() <= skip) {
            return null;
        }
        List<String> rest = segments.subList(skip, segments.size());
        if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
            rest = rest.subList(2, rest.size());
        }
        return rest;
    }

    static boolean notFound(OutputStream out) throws IOException {
        return respond(out, 404, status(404, "NotFound"));
    }

    static String status(int code, String reason) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"" + reason
                + "\",\"code\":" + code + "}";
    }

    static boolean respond(OutputStream out, int code, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        out.write(String.format(
                        Locale.ROOT,
                        "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n",
                        code,
                        code < 300 ? "OK" : "Error",
                        body.length)
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return true;
    }

    static byte[] body(InputStream in, Map<String, String> headers) throws IOException {
        String length = headers.get("Content-Length");
        if (length != null) {
            return in.readNBytes(Integer.parseInt(length));
        }
        if ("chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line(in);
                int n = size == null ? 0 : Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    line(in);
                    return body.toByteArray();
                }
                body.write(in.readNBytes(n));
                line(in);
            }
        }
        return new byte[0];
    }

    /** One CRLF-ended line, or null at the end of the stream. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = line.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
    }
}
