package dev.appservice.operator.testing.cluster;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One instance of an app (a pod's container) on the loopback, behaving as a well-written HTTP/1.1
 * server does: keep-alive, request bodies by Content-Length, answers 200 with its name; a
 * WebSocket upgrade is answered 101 and the connection then echoes what it gets. On SIGTERM
 * ({@link #terminate()}) it stops accepting, closes its idle connections, answers the requests it
 * has with {@code Connection: close} and exits once none is left; {@link #kill()} (SIGKILL) resets
 * everything at once. It counts the requests it answered.
 */
public final class AppInstance implements Pod, AutoCloseable {
    private static final int BACKLOG = 512;
    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final String name;
    private final ServerSocket listener;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private final CountDownLatch exited = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "app-instance");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean terminating;

    public AppInstance(String name) throws IOException {
        this.name = name;
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
        threads.execute(this::accept);
    }

    public String name() {
        return name;
    }

    /** Its pod's address, {@code 127.0.0.1:port}: the endpoint. */
    @Override
    public String endpoint() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    public long requests() {
        return requests.get();
    }

    public boolean exited() {
        return exited.getCount() == 0;
    }

    /** SIGTERM: graceful shutdown. */
    @Override
    public void terminate() {
        terminating = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closed
        }
        for (Connection connection : connections) {
            connection.closeIfIdle();
        }
        exitIfDone();
    }

    /** Waits for a graceful exit. */
    @Override
    public boolean awaitExit(long millis) throws InterruptedException {
        return exited.await(millis, TimeUnit.MILLISECONDS);
    }

    /** SIGKILL: every connection reset. */
    @Override
    public void kill() {
        terminating = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closed
        }
        for (Connection connection : connections) {
            ServiceProxy.reset(connection.socket);
        }
        connections.clear();
        exited.countDown();
    }

    @Override
    public void close() {
        kill();
        threads.shutdownNow();
    }

    private void exitIfDone() {
        if (terminating && connections.isEmpty()) {
            exited.countDown();
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                socket.setTcpNoDelay(true);
                Connection connection = new Connection(socket);
                connections.add(connection);
                threads.execute(connection::serve);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private final class Connection {
        final Socket socket;
        private boolean idle = true;
        private boolean closed;

        Connection(Socket socket) {
            this.socket = socket;
        }

        synchronized void closeIfIdle() {
            if (idle) {
                closed = true;
                ServiceProxy.closeQuietly(socket);
            }
        }

        /** The first byte of a request has arrived: busy, unless shutdown has already closed it. */
        private synchronized boolean busy() {
            if (closed) {
                return false;
            }
            idle = false;
            return true;
        }

        private synchronized void idle() {
            idle = true;
        }

        void serve() {
            try (socket) {
                InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                while (true) {
                    int first = in.read();
                    if (first < 0 || !busy()) {
                        return;
                    }
                    String requestLine = (char) first + line(in);
                    long contentLength = 0;
                    boolean upgrade = false;
                    String key = null;
                    String header;
                    while (!(header = line(in)).isEmpty()) {
                        int colon = header.indexOf(':');
                        if (colon < 0) {
                            continue;
                        }
                        String field = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                        String value = header.substring(colon + 1).trim();
                        switch (field) {
                            case "content-length" -> contentLength = Long.parseLong(value);
                            case "upgrade" -> upgrade = value.equalsIgnoreCase("websocket");
                            case "sec-websocket-key" -> key = value;
                            default -> {}
                        }
                    }
                    in.skipNBytes(contentLength);
                    requests.incrementAndGet();
                    if (upgrade) {
                        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                        + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        in.transferTo(out);
                        return;
                    }
                    byte[] body = (name + " " + requestLine.split(" ")[0]).getBytes(StandardCharsets.UTF_8);
                    boolean close = terminating;
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length + "\r\n"
                                    + (close ? "Connection: close\r\n" : "") + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                    if (close) {
                        return;
                    }
                    idle();
                    if (terminating) {
                        return;
                    }
                }
            } catch (SocketException | java.io.EOFException gone) {
                // closed by shutdown, kill or the peer
            } catch (IOException e) {
                // the peer went away
            } finally {
                connections.remove(this);
                exitIfDone();
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                bytes.write(b);
            }
        }
        if (b < 0) {
            throw new java.io.EOFException();
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
