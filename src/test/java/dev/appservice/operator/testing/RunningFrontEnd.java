package dev.appservice.operator.testing;

import dev.appservice.operator.desired.FrontEndConfiguration;
import dev.appservice.operator.desired.FrontEndProcess;
import dev.appservice.operator.desired.NginxConfig;
import dev.appservice.operator.model.EnvironmentTopology;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

/**
 * A front end as a pod runs it, on this machine: the real nginx (Debian's) started by the very
 * script of the front-end container ({@link FrontEndProcess}), its configuration in a directory
 * written as the kubelet updates a mounted ConfigMap, TLS from the test certificate. nginx's pid
 * and temp files go to the directory instead of /tmp. Listens on the front ends' container
 * ports (8080, 8443, 8454, 8455), so one at a time.
 */
public final class RunningFrontEnd implements AutoCloseable {
    public static final Path NGINX = Path.of("/usr/sbin/nginx");
    public static final Path TLS = Path.of("src/test/resources/tls").toAbsolutePath();

    private final Path dir;
    private final Path conf;
    private final Path certificates;
    /** Added to each of the front ends' container ports, so that several front ends (and other tests) can run at once. */
    private final int portOffset;

    /** How long a start may take before the test fails: nginx parses a large configuration slowly on a loaded machine. */
    private static final java.time.Duration START_TIMEOUT = java.time.Duration.ofSeconds(60);
    /** How long the graceful quit of {@link #close()} may take before nginx is killed. */
    private static final java.time.Duration QUIT_TIMEOUT = java.time.Duration.ofSeconds(10);

    private Process process;
    /** The workers that accepted connections before the last change written ({@link #rememberWorkers}). */
    private volatile java.util.Set<Long> workersBeforeChange = java.util.Set.of();

    public RunningFrontEnd() throws IOException {
        this(0);
    }

    /**
     * A front end listening on the container ports plus an offset at which all four are free now,
     * so that it runs beside other front ends.
     */
    public static RunningFrontEnd onFreePorts() throws IOException {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int offset = 10_000 + random.nextInt(40_000);
            if (free(NginxConfig.HTTP_PORT + offset)
                    && free(NginxConfig.HTTPS_PORT + offset)
                    && free(NginxConfig.MANAGEMENT_PORT + offset)
                    && free(NginxConfig.MANAGEMENT_SECONDARY_PORT + offset)) {
                return new RunningFrontEnd(offset);
            }
        }
        throw new IOException("no free ports for a front end");
    }

    private static boolean free(int port) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private RunningFrontEnd(int portOffset) throws IOException {
        this.portOffset = portOffset;
        dir = Files.createTempDirectory("nginx");
        // nginx's workers (nobody, when run as root) write request bodies below it.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        conf = Files.createDirectories(dir.resolve("conf"));
        certificates = Files.createDirectories(dir.resolve("certs"));
    }

    /** The directory of the apps' own certificates, as the front-end pods mount their copies. */
    public Path certificates() {
        return certificates;
    }

    /** The configuration with addresses by app name, and the apps' certificates and affinity instances. */
    public FrontEndConfiguration render(
            EnvironmentTopology topology,
            Map<String, String> addressByApp,
            dev.appservice.operator.desired.AppCertificates.Files certificateFiles,
            dev.appservice.operator.desired.AffinityUpstreams.Endpoints endpoints) {
        return NginxConfig.render(
                topology,
                (plan, app) ->
                        Optional.ofNullable(addressByApp.get(app.getMetadata().getName())),
                TLS.toString(),
                conf.toString(),
                new NginxConfig.AppEdges(certificateFiles, certificates.toString(), endpoints));
    }

    /** The configuration with addresses by app name (an app missing from the map has none). */
    public FrontEndConfiguration render(EnvironmentTopology topology, Map<String, String> addressByApp) {
        return NginxConfig.render(
                topology,
                (plan, app) ->
                        Optional.ofNullable(addressByApp.get(app.getMetadata().getName())),
                TLS.toString(),
                conf.toString());
    }

    /** The configuration with the given addresses (apps' and slots'). */
    public FrontEndConfiguration render(EnvironmentTopology topology, NginxConfig.AppAddresses addresses) {
        return NginxConfig.render(topology, addresses, TLS.toString(), conf.toString());
    }

    /** Every file replaced whole, at once, as the kubelet does. */
    public void write(FrontEndConfiguration configuration) throws IOException {
        for (var file : configuration.files().entrySet()) {
            String text = file.getKey().equals(NginxConfig.MAIN_FILE) ? relocate(file.getValue()) : file.getValue();
            writeFile(file.getKey(), text);
        }
    }

    /** The port HTTP is served on. */
    public int httpPort() {
        return NginxConfig.HTTP_PORT + portOffset;
    }

    /** The nginx master's process id, once started. */
    public long masterPid() throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("nginx.pid")).strip());
    }

    /** One file of the configuration directory replaced at once. */
    public void writeFile(String name, String text) throws IOException {
        rememberWorkers();
        Path staged = dir.resolve(name + ".new");
        Files.writeString(staged, portOffset == 0 ? text : relocatePorts(text));
        Files.move(staged, conf.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private String relocatePorts(String text) {
        Matcher listen = java.util.regex.Pattern.compile("listen (\\d+)").matcher(text);
        StringBuilder out = new StringBuilder();
        while (listen.find()) {
            listen.appendReplacement(out, "listen " + (Integer.parseInt(listen.group(1)) + portOffset));
        }
        listen.appendTail(out);
        return out.toString();
    }

    /** The main file as this front end needs it: pid and temp files in its directory. */
    public String relocate(String main) {
        return main.replaceAll("(pid|_temp_path) /tmp/", "$1 " + Matcher.quoteReplacement(dir.toString()) + "/");
    }

    /** {@code nginx -t} on the written configuration; fails with nginx's words. */
    public void check() throws IOException, InterruptedException {
        Process test = new ProcessBuilder(
                        NGINX.toString(),
                        "-e",
                        "stderr",
                        "-t",
                        "-c",
                        conf.resolve(NginxConfig.MAIN_FILE).toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (test.waitFor() != 0) {
            throw new AssertionError("nginx -t refused the configuration:\n" + out);
        }
    }

    /** Writes, checks and starts, polling for changes every second; returns once nginx listens. */
    public void start(FrontEndConfiguration configuration) throws IOException, InterruptedException {
        write(configuration);
        check();
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", FrontEndProcess.SCRIPT)
                .redirectErrorStream(true)
                .redirectOutput(log().toFile());
        builder.environment().put("CONF_DIR", conf.toString());
        builder.environment().put("TLS_DIR", TLS.toString());
        builder.environment().put("CERTS_DIR", certificates.toString());
        builder.environment().put("POLL_SECONDS", "1");
        builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        process = builder.start();
        // Generous: a configuration of thousands of host names takes seconds to load on a busy machine. Returns as
        // soon as nginx listens, and fails at once if it exited.
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", NginxConfig.MANAGEMENT_PORT + portOffset)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        String log = Files.readString(log());
        close();
        throw new AssertionError("nginx did not start within " + START_TIMEOUT + ": " + log);
    }

    public Path log() {
        return dir.resolve("nginx.log");
    }

    public String logText() throws IOException {
        return Files.readString(log());
    }

    public long reloads() throws IOException {
        try (var lines = Files.lines(log())) {
            return lines.filter(l -> l.contains("configuration reloaded")).count();
        }
    }

    /**
     * Waits until the front end has logged {@code count} reloads and its new workers have taken over:
     * every worker that served before the last change written has stopped accepting (nginx renames a
     * worker "worker process is shutting down" as it closes its listening sockets) or is gone. Until
     * then a new connection may still reach an old worker and its old configuration, for longer on
     * a busy machine.
     */
    public void awaitReloads(long count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (reloads() >= count) {
                java.util.Set<Long> now = acceptingWorkers();
                if (!now.isEmpty() && java.util.Collections.disjoint(now, workersBeforeChange)) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no reload " + count + " taken over by new workers (accepting: " + acceptingWorkers()
                + ", before the change: " + workersBeforeChange + "):\n" + logText());
    }

    /** Notes the workers serving now, before a change: {@link #awaitReloads} waits for others to take over. */
    public void rememberWorkers() {
        workersBeforeChange = acceptingWorkers();
    }

    /** The nginx workers of this front end that accept connections: not the master, not those shutting down. */
    private java.util.Set<Long> acceptingWorkers() {
        if (process == null) {
            return java.util.Set.of();
        }
        return process.descendants()
                .filter(p -> commandLine(p).equals("nginx: worker process"))
                .map(ProcessHandle::pid)
                .collect(java.util.stream.Collectors.toSet());
    }

    /** The process's title as nginx sets it (in /proc, where ProcessHandle's view may lag). */
    private static String commandLine(ProcessHandle process) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException gone) {
            return "";
        }
    }

    /**
     * SIGTERM to the container's process (the front-end script), as the kubelet sends it: the
     * script quits nginx gracefully (SIGQUIT, as {@code nginx -s quit}) and exits with it.
     */
    public void terminate() {
        if (process != null) {
            process.destroy();
        }
    }

    /** Waits for the container's process to exit, nginx with it. */
    public boolean awaitExit(long millis) throws InterruptedException {
        return process == null || process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    /** SIGKILL to nginx (master and workers) and the script, as at the end of a grace period. */
    public void kill() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /**
     * Quits nginx gracefully (SIGTERM to the script, which sends QUIT), then kills whatever of it is
     * left, the master and its workers, so that no nginx of this front end outlives the test and
     * answers on its ports in the next one.
     */
    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        java.util.List<ProcessHandle> tree =
                process.descendants().collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
        tree.add(process.toHandle());
        process.destroy(); // SIGTERM: the script quits nginx gracefully
        long deadline = System.nanoTime() + QUIT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && tree.stream().anyMatch(ProcessHandle::isAlive)) {
            Thread.sleep(50);
        }
        // Workers started after the list was taken (a reload) are the master's children: kill from the top down.
        for (ProcessHandle handle : tree) {
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
        }
        for (ProcessHandle handle : tree) {
            handle.onExit().join();
        }
        process = null;
    }
}
