package dev.appservice.operator.testing.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * kube-proxy for one Service, on the loopback: a cluster IP and port ({@link #address()}) whose
 * every new connection is given one of the Service's current endpoints, in turn, and stays with
 * it for its whole life (as conntrack keeps a DNAT'ed flow), even after the endpoint has left the
 * set. With no endpoint a connection is reset, as kube-proxy rejects connections to a Service
 * without endpoints. Bytes are copied both ways; a half-close or a reset on one side is passed to
 * the other.
 */
public final class ServiceProxy implements AutoCloseable {
    private static final int BACKLOG = 512;
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final int BUFFER_BYTES = 16 * 1024;

    private final ServerSocket listener;
    private final List<String> endpoints = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final Map<String, AtomicLong> connectionsByEndpoint = new ConcurrentHashMap<>();
    /** Connections given each endpoint after it left the set (kube-proxy never does that). */
    private final Map<String, AtomicLong> givenAfterRemoval = new ConcurrentHashMap<>();

    private final AtomicLong rejected = new AtomicLong();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "service-proxy");
        t.setDaemon(true);
        return t;
    });

    public ServiceProxy() throws IOException {
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
        threads.execute(this::accept);
    }

    /** The Service's "cluster IP" and port, as {@code 127.0.0.1:port}. */
    public String address() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    public synchronized void add(String endpoint) {
        endpoints.add(endpoint);
        givenAfterRemoval.remove(endpoint);
    }

    /**
     * The endpoint leaves the set: no new connection goes to it; those it has stay. A connection
     * is given its endpoint atomically with respect to this, so none decided after it returns goes there.
     */
    public synchronized void remove(String endpoint) {
        endpoints.remove(endpoint);
        givenAfterRemoval.putIfAbsent(endpoint, new AtomicLong());
    }

    /**
     * New connections given {@code endpoint} after it was last removed: 0 by construction, which
     * a test asserts to show that what it removed got no new connection (-1 if never removed).
     */
    public long connectionsAfterRemoval(String endpoint) {
        AtomicLong count = givenAfterRemoval.get(endpoint);
        return count == null ? -1 : count.get();
    }

    public List<String> endpoints() {
        return new ArrayList<>(endpoints);
    }

    /** Connections given to that endpoint so far. */
    public long connections(String endpoint) {
        AtomicLong count = connectionsByEndpoint.get(endpoint);
        return count == null ? 0 : count.get();
    }

    /** Connections reset for want of an endpoint, or because the chosen one refused. */
    public long rejected() {
        return rejected.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException closed) {
                return;
            }
            threads.execute(() -> connect(client));
        }
    }

    /** The next endpoint in turn, or null when there is none. */
    private synchronized String choose() {
        if (endpoints.isEmpty()) {
            return null;
        }
        String endpoint = endpoints.get(Math.floorMod(next.getAndIncrement(), endpoints.size()));
        AtomicLong afterRemoval = givenAfterRemoval.get(endpoint);
        if (afterRemoval != null) {
            afterRemoval.incrementAndGet();
        }
        return endpoint;
    }

    private void connect(Socket client) {
        String endpoint = choose();
        if (endpoint == null) {
            rejected.incrementAndGet();
            reset(client);
            return;
        }
        Socket backend = new Socket();
        try {
            String[] hostPort = endpoint.split(":");
            backend.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
            backend.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException refused) {
            rejected.incrementAndGet();
            reset(client);
            closeQuietly(backend);
            return;
        }
        connectionsByEndpoint.computeIfAbsent(endpoint, e -> new AtomicLong()).incrementAndGet();
        AtomicInteger open = new AtomicInteger(2);
        threads.execute(() -> copy(client, backend, open));
        copy(backend, client, open);
    }

    /** Copies until end of stream (then half-closes the other side) or an error (then resets both). */
    private static void copy(Socket from, Socket to, AtomicInteger open) {
        byte[] buffer = new byte[BUFFER_BYTES];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
            if (open.decrementAndGet() == 0) {
                closeQuietly(from);
                closeQuietly(to);
            }
        } catch (IOException broken) {
            reset(from);
            reset(to);
        }
    }

    static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed
        }
        closeQuietly(socket);
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}
