package dev.appservice.operator.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** Stand-ins for apps on the loopback: each answers every request with a text of its own, 200. */
public final class LoopbackBackends implements AutoCloseable {
    private static final int BACKLOG = 256;
    private static final int THREADS = 16;
    private final List<HttpServer> servers = new ArrayList<>();
    private final java.util.Map<String, java.util.concurrent.atomic.AtomicLong> answered =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Starts one; returns its {@code 127.0.0.1:port}. The request body is read and dropped. */
    public String start(Function<HttpExchange, String> answer) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            byte[] body = answer.apply(exchange).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(THREADS));
        server.start();
        servers.add(server);
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** One that answers with its name, counting its answers ({@link #answered}). */
    public String named(String name) throws IOException {
        java.util.concurrent.atomic.AtomicLong count =
                answered.computeIfAbsent(name, n -> new java.util.concurrent.atomic.AtomicLong());
        return start(exchange -> {
            count.incrementAndGet();
            return name;
        });
    }

    /** The requests the ones {@link #named} so answered so far. */
    public long answered(String name) {
        java.util.concurrent.atomic.AtomicLong count = answered.get(name);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        servers.forEach(server -> server.stop(0));
        servers.clear();
    }
}
