package dev.appservice.operator.bench;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.TlsSettings;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.desired.NginxConfig;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.KeepAliveLoad;
import dev.appservice.operator.testing.RunningFrontEnd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark (not a test) of the data plane: requests per second and latency through a front end
 * (the generated configuration in the real nginx, started by the front-end script) against the
 * same app reached directly, in one run, with the same load generator (wrk, a process of its
 * own), over HTTP and HTTPS; then the failures while apps are added and removed under load.
 *
 * <p>The app is an nginx answering a constant 200, with one worker, as an app on an I1 instance
 * has one vCPU; the front end is an I1 too (one worker). That is the strictest comparison: the
 * cheaper the app, the larger the front end's share. Run it with the command in BENCHMARKS.md.
 */
public final class DataPlaneBenchmark {
    private static final int APP_PORT = 18080;
    private static final String HOST = "bench.ase1.p.appservice.local";
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern PERCENTILE = Pattern.compile("\\s(50|99)%\\s+([0-9.]+)(us|ms|s)");
    private static final Pattern TOTAL = Pattern.compile("([0-9]+) requests in");

    private DataPlaneBenchmark() {}

    record Result(String name, double rate, double p50Ms, double p99Ms, long requests, String errors) {
        Result named(String newName) {
            return new Result(newName, rate, p50Ms, p99Ms, requests, errors);
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(System.getProperty("bench.seconds", "10"));
        int connections = Integer.parseInt(System.getProperty("bench.connections", "32"));
        InstanceSize frontEndSize = InstanceSize.valueOf(System.getProperty("bench.frontEndSize", "I1"));
        Path appDir = Files.createTempDirectory("bench-app");
        Process app = startApp(appDir);
        try (RunningFrontEnd frontEnd = new RunningFrontEnd()) {
            AppServiceEnvironment ase = sized(Fixtures.environment("contoso", "ase1"), frontEndSize);
            TlsSettings tls = new TlsSettings();
            tls.setSecretName("wildcard");
            ase.getSpec().setTls(tls);
            // HTTPS first; with TLS on, HTTP is redirected, so HTTP is measured after TLS is switched off (a reload).
            frontEnd.start(frontEnd.render(topology(ase, List.of("bench")), Map.of("bench", "127.0.0.1:" + APP_PORT)));
            String https = "https://127.0.0.1:" + NginxConfig.HTTPS_PORT + "/";
            String direct = "http://127.0.0.1:" + APP_PORT + "/";
            wrk(direct, null, 2, connections, false); // warm-up

            List<Result> results = new ArrayList<>();
            for (int round = 1; round <= 2; round++) {
                results.add(wrk(direct, null, seconds, connections, false).named("direct HTTP, round " + round));
                results.add(wrk(https, HOST, seconds, connections, false).named("front end HTTPS, round " + round));
            }
            AppServiceEnvironment plain = sized(Fixtures.environment("contoso", "ase1"), frontEndSize);
            frontEnd.write(
                    frontEnd.render(topology(plain, List.of("bench")), Map.of("bench", "127.0.0.1:" + APP_PORT)));
            frontEnd.awaitReloads(1);
            String http = "http://127.0.0.1:" + NginxConfig.HTTP_PORT + "/";
            for (int round = 1; round <= 2; round++) {
                results.add(wrk(direct, null, seconds, connections, false).named("direct HTTP, round " + round));
                results.add(wrk(http, HOST, seconds, connections, false).named("front end HTTP, round " + round));
            }
            System.out.printf(
                    "wrk -t2 -c%d -d%ds --latency; app: nginx, 1 worker; front end: %s (%d worker(s))%n",
                    connections, seconds, frontEndSize, frontEndSize.vCpus());
            System.out.printf("%-30s %12s %9s %9s %s%n", "path", "requests/s", "p50 ms", "p99 ms", "errors");
            for (Result r : results) {
                System.out.printf(
                        "%-30s %12.0f %9.3f %9.3f %s%n", r.name(), r.rate(), r.p50Ms(), r.p99Ms(), r.errors());
            }
            for (String kind : List.of("HTTPS", "HTTP")) {
                List<Result> through = results.stream()
                        .filter(r -> r.name().startsWith("front end " + kind))
                        .toList();
                List<Result> directRuns = directBefore(results, through);
                double ratio = 0;
                double added = 0;
                for (int i = 0; i < through.size(); i++) {
                    ratio += through.get(i).rate() / directRuns.get(i).rate() / through.size();
                    added += (through.get(i).p99Ms() - directRuns.get(i).p99Ms()) / through.size();
                }
                System.out.printf(
                        "front end %s: %.2f of the direct rate, p99 %+.3f ms (mean of the paired rounds)%n",
                        kind, ratio, added);
            }

            // Apps added and removed under load: one reload every 2 s.
            int reloadsBefore = (int) frontEnd.reloads();
            Process keepAliveWrk = wrkProcess(http, HOST, 20, connections, false);
            Thread.sleep(200);
            Process closing = wrkProcess(http, HOST, 20, 8, true);
            Process browserLike = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Djdk.httpclient.allowRestrictedHeaders=host",
                            "-cp",
                            Path.of("target", "test-classes").toAbsolutePath().toString(),
                            KeepAliveLoad.class.getName(),
                            http,
                            HOST,
                            "8",
                            "20")
                    .redirectErrorStream(true)
                    .start();
            int changes = 0;
            long end = System.nanoTime() + 18_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.sleep(2000);
                List<String> apps = new ArrayList<>(List.of("bench"));
                if (changes % 2 == 0) {
                    apps.add("added-" + changes);
                }
                Map<String, String> addresses = new HashMap<>();
                apps.forEach(a -> addresses.put(a, "127.0.0.1:" + APP_PORT));
                frontEnd.write(frontEnd.render(topology(plain, apps), addresses));
                changes++;
            }
            Result keepAlive = parse(new String(keepAliveWrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            Result perRequest = parse(new String(closing.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            String browser = new String(browserLike.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            keepAliveWrk.waitFor();
            closing.waitFor();
            browserLike.waitFor();
            System.out.printf(
                    "%nApps added and removed under load: %d changes, %d reloads in 20 s%n",
                    changes, frontEnd.reloads() - reloadsBefore);
            System.out.printf(
                    "  wrk, %d keep-alive connections:  %d requests, errors: %s%n",
                    connections, keepAlive.requests(), keepAlive.errors());
            System.out.printf(
                    "  wrk, 8 connections, Connection: close:  %d requests, errors: %s%n",
                    perRequest.requests(), perRequest.errors());
            System.out.printf(
                    "  JDK HttpClient, 8 keep-alive connections (resends as browsers do):  %s%n",
                    browser.lines().reduce((a, b) -> b).orElse(""));
        } finally {
            app.destroy();
            app.waitFor();
        }
    }

    private static List<Result> directBefore(List<Result> results, List<Result> through) {
        List<Result> paired = new ArrayList<>();
        for (Result r : through) {
            paired.add(results.get(results.indexOf(r) - 1));
        }
        return paired;
    }

    static AppServiceEnvironment sized(AppServiceEnvironment ase, InstanceSize size) {
        ase.getSpec().setFrontEnd(new dev.appservice.operator.api.FrontEndSettings());
        ase.getSpec().getFrontEnd().setSize(size);
        return ase;
    }

    static EnvironmentTopology topology(AppServiceEnvironment ase, List<String> appNames) {
        IsolatedPlan plan = Fixtures.plan("contoso", "web-plan", "ase1", InstanceSize.I1, 1);
        List<WebApp> apps = new ArrayList<>();
        for (int i = 0; i < appNames.size(); i++) {
            WebApp app = Fixtures.app("contoso", appNames.get(i), "web-plan", 8080 + i);
            app.getSpec()
                    .setHostNames(List.of(appNames.get(i).equals("bench") ? HOST : appNames.get(i) + ".example.com"));
            apps.add(app);
        }
        return new EnvironmentTopology(ase, List.of(plan), apps);
    }

    static Process startApp(Path dir) throws IOException, InterruptedException {
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path conf = dir.resolve("app.conf");
        Files.writeString(conf, """
                worker_processes 1;
                pid %1$s/app.pid;
                error_log stderr warn;
                events { worker_connections 4096; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/client;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    keepalive_requests 100000;
                    server {
                        listen 127.0.0.1:%2$d;
                        location / { return 200 "hello from the app\\n"; }
                    }
                }
                """.formatted(dir, APP_PORT));
        Process app = new ProcessBuilder(
                        RunningFrontEnd.NGINX.toString(), "-e", "stderr", "-c", conf.toString(), "-g", "daemon off;")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("app.log").toFile())
                .start();
        Thread.sleep(500);
        return app;
    }

    static Process wrkProcess(String url, String host, int seconds, int connections, boolean closeEach)
            throws IOException {
        List<String> command = new ArrayList<>(
                List.of("wrk", "-t", "2", "-c", Integer.toString(connections), "-d", seconds + "s", "--latency"));
        if (host != null) {
            command.addAll(List.of("-H", "Host: " + host));
        }
        if (closeEach) {
            command.addAll(List.of("-H", "Connection: close"));
        }
        command.add(url);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    static Result wrk(String url, String host, int seconds, int connections, boolean closeEach)
            throws IOException, InterruptedException {
        Process process = wrkProcess(url, host, seconds, connections, closeEach);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return parse(out);
    }

    static Result parse(String out) {
        Matcher rate = RATE.matcher(out);
        Matcher total = TOTAL.matcher(out);
        double p50 = 0;
        double p99 = 0;
        Matcher percentile = PERCENTILE.matcher(out);
        while (percentile.find()) {
            double value = Double.parseDouble(percentile.group(2));
            double ms = switch (percentile.group(3)) {
                case "us" -> value / 1000;
                case "s" -> value * 1000;
                default -> value;
            };
            if (percentile.group(1).equals("50")) {
                p50 = ms;
            } else {
                p99 = ms;
            }
        }
        List<String> errors = out.lines()
                .filter(l -> l.contains("Socket errors") || l.contains("Non-2xx"))
                .map(String::trim)
                .toList();
        return new Result(
                "",
                rate.find() ? Double.parseDouble(rate.group(1)) : 0,
                p50,
                p99,
                total.find() ? Long.parseLong(total.group(1)) : 0,
                errors.isEmpty() ? "none" : String.join("; ", errors));
    }
}
