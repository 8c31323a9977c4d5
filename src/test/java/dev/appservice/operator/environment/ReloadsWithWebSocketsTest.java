package dev.appservice.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.FrontEndSettings;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.desired.FrontEndConfiguration;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.RunningFrontEnd;
import dev.appservice.operator.testing.cluster.AppInstance;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Old nginx workers left by reloads end within {@code worker_shutdown_timeout} (the request
 * timeout) even while WebSockets they hold stay busy: 200 WebSockets open through the real nginx,
 * each sending a byte every {@value #PING_MILLIS} ms throughout (so the idle timeout never ends
 * them), 100 reloads, then within the bound after the last reload (and a slack for a busy
 * machine) every old worker is gone, every WebSocket was closed by the front end, and the front
 * end's memory is back near where it started (its baseline, before the WebSockets).
 */
@org.junit.jupiter.api.Tag(dev.appservice.operator.testing.TestGroups.DATA_PLANE)
class ReloadsWithWebSocketsTest {
    static final String HOST = "chat.ase1.p.appservice.local";
    static final int WEBSOCKETS = 200;
    static final int RELOADS = 100;
    static final int REQUEST_TIMEOUT_SECONDS = 4;
    static final long PING_MILLIS = 1_000;
    /** How often the workers are listed, to see when old ones end. */
    static final long SAMPLE_MILLIS = 50;

    static final long RELOAD_WAIT_MILLIS = 10_000;
    /** Beyond the bound, for a busy machine. */
    static final long SHUTDOWN_SLACK_MILLIS = 15_000;
    /** What 100 reloads may leave behind in the front end's resident memory. */
    static final long MEMORY_SLACK_KIB = 16 * 1024;

    RunningFrontEnd frontEnd;
    AppInstance app;
    final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        if (frontEnd != null) {
            frontEnd.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void oldWorkersHoldingWebSocketsEndWithinTheRequestTimeout() throws Exception {
        AppServiceEnvironment ase = Fixtures.environment("contoso", "ase1");
        FrontEndSettings settings = new FrontEndSettings();
        settings.setRequestTimeout(REQUEST_TIMEOUT_SECONDS + "s");
        ase.getSpec().setFrontEnd(settings);
        IsolatedPlan plan = Fixtures.plan("contoso", "web-plan", "ase1", InstanceSize.I1, 1);
        WebApp chat = Fixtures.app("contoso", "chat", "web-plan", 8080);
        app = new AppInstance("chat");
        frontEnd = RunningFrontEnd.onFreePorts();
        FrontEndConfiguration configuration = frontEnd.render(
                new EnvironmentTopology(ase, List.of(plan), List.of(chat)), Map.of("chat", app.endpoint()));
        assertThat(configuration.main()).contains("worker_shutdown_timeout " + REQUEST_TIMEOUT_SECONDS + "s;");
        frontEnd.start(configuration);
        long master = frontEnd.masterPid();
        long baselineKib = residentKib(master);

        for (int i = 0; i < WEBSOCKETS; i++) {
            sockets.add(openWebSocket());
        }
        int[] closed = new int[WEBSOCKETS];
        assertThat(ping(closed)).as("WebSockets closed before any reload").isZero();
        // Every open WebSocket carries a byte each way every PING_MILLIS, reloads or not, so the
        // idle timeout never ends one: only the old workers' shutdown bound does.
        AtomicInteger closedCount = new AtomicInteger();
        AtomicBoolean pinging = new AtomicBoolean(true);
        Thread pinger = new Thread(() -> {
            while (pinging.get()) {
                closedCount.set(ping(closed));
                try {
                    Thread.sleep(PING_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        pinger.start();

        // When each worker was told to quit (the reload after the one that started it), and when
        // it was last seen alive (sampled every SAMPLE_MILLIS): how long old workers outlive their reload.
        Map<Long, Long> toldToQuit = new ConcurrentHashMap<>();
        Map<Long, Long> lastSeen = new ConcurrentHashMap<>();
        Thread sampler = new Thread(() -> {
            while (pinging.get()) {
                try {
                    long at = System.nanoTime();
                    workers(master).forEach(pid -> lastSeen.put(pid, at));
                    Thread.sleep(SAMPLE_MILLIS);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();

        Set<Long> seen = new HashSet<>(workers(master));
        Set<Long> current = new HashSet<>(seen);
        long lastReload = 0;
        long longestMillis;
        try {
            for (int i = 0; i < RELOADS; i++) {
                new ProcessBuilder("kill", "-HUP", Long.toString(master))
                        .start()
                        .waitFor();
                lastReload = System.nanoTime();
                for (long pid : current) {
                    toldToQuit.put(pid, lastReload);
                }
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RELOAD_WAIT_MILLIS);
                while (seen.containsAll(workers(master)) && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                List<Long> now = workers(master);
                assertThat(seen.containsAll(now))
                        .as("reload " + (i + 1) + " started new workers")
                        .isFalse();
                current = new HashSet<>(now);
                current.removeAll(seen);
                seen.addAll(now);
            }

            long deadline = lastReload
                    + TimeUnit.MILLISECONDS.toNanos(REQUEST_TIMEOUT_SECONDS * 1_000L + SHUTDOWN_SLACK_MILLIS);
            while (System.nanoTime() < deadline
                    && (oldWorkers(master, toldToQuit) > 0 || closedCount.get() < WEBSOCKETS)) {
                Thread.sleep(SAMPLE_MILLIS);
            }
            assertThat(oldWorkers(master, toldToQuit))
                    .as("old workers still running")
                    .isZero();
            assertThat(shuttingDown(master))
                    .as("old workers still shutting down")
                    .isZero();
        } finally {
            pinging.set(false);
            pinger.interrupt();
            sampler.interrupt();
            pinger.join();
            sampler.join();
        }
        longestMillis = toldToQuit.entrySet().stream()
                .mapToLong(e -> Math.max(0, lastSeen.getOrDefault(e.getKey(), 0L) - e.getValue()) / 1_000_000)
                .max()
                .orElse(0);
        System.out.printf(
                "%d reloads, %d old workers: the longest-lived ended within %d ms of its reload"
                        + " (worker_shutdown_timeout %d s; sampled every %d ms)%n",
                RELOADS, toldToQuit.size(), longestMillis + SAMPLE_MILLIS, REQUEST_TIMEOUT_SECONDS, SAMPLE_MILLIS);

        assertThat(workers(master)).hasSize(InstanceSize.I1.vCpus());
        assertThat(WEBSOCKETS - ping(closed))
                .as("WebSockets the front end has not closed")
                .isZero();
        long afterKib = residentKib(master);
        System.out.printf(
                "front end RSS: %d KiB before, %d KiB after %d reloads with %d WebSockets%n",
                baselineKib, afterKib, RELOADS, WEBSOCKETS);
        assertThat(afterKib).isLessThanOrEqualTo(baselineKib + MEMORY_SLACK_KIB);
    }

    Socket openWebSocket() throws IOException {
        Socket socket = new Socket("127.0.0.1", frontEnd.httpPort());
        socket.setSoTimeout(5_000);
        socket.getOutputStream()
                .write(("GET /socket HTTP/1.1\r\nHost: " + HOST + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the upgrade: " + head);
            }
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
        return socket;
    }

    /** A byte each way on every WebSocket still open; marks the ones the front end closed, returns how many are closed. */
    int ping(int[] closed) {
        int count = 0;
        for (int i = 0; i < sockets.size(); i++) {
            if (closed[i] == 0) {
                try {
                    Socket s = sockets.get(i);
                    s.getOutputStream().write('x');
                    if (s.getInputStream().read() < 0) {
                        closed[i] = 1;
                    }
                } catch (IOException e) {
                    closed[i] = 1;
                }
            }
            count += closed[i];
        }
        return count;
    }

    static List<Long> workers(long master) throws IOException {
        List<Long> children = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.toList()) {
                String name = proc.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(fields[1]) == master && !"Z".equals(fields[0])) {
                        children.add(Long.parseLong(name));
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        }
        return children;
    }

    /** Workers told to quit by a reload that are still running. */
    static long oldWorkers(long master, Map<Long, Long> toldToQuit) throws IOException {
        return workers(master).stream().filter(toldToQuit::containsKey).count();
    }

    static int shuttingDown(long master) throws IOException {
        int count = 0;
        for (long pid : workers(master)) {
            try {
                String command = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
                if (command.contains("shutting down")) {
                    count++;
                }
            } catch (IOException gone) {
                // exited meanwhile
            }
        }
        return count;
    }

    /** Resident memory of the master and its workers. */
    static long residentKib(long master) throws IOException {
        long total = rss(master);
        for (long pid : workers(master)) {
            total += rss(pid);
        }
        return total;
    }

    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException gone) {
            // exited meanwhile
        }
        return 0;
    }
}
