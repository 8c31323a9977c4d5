package dev.appservice.operator.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The offline {@code validate} of the packaged jar (issue 18): 1,000 and 20,000 apps, and one file
 * holding a 50 MB string. Apps come 8 to a plan (an I1 plan's density), 10 plans to an
 * environment, each environment in its own namespace and virtual network, every app with one
 * extra host name; so the set grows by whole environments and a linear {@code validate} takes about
 * 20 times as long for 20 times the apps. Each size is run {@value #RUNS} times; the median is
 * reported, with JVM start-up included (as a pipeline pays it).
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests
 * ./mvnw -B -q -Pbench test-compile exec:java -Dbench.main=dev.appservice.operator.bench.ValidateBenchmark
 * </pre>
 */
public final class ValidateBenchmark {
    static final int RUNS = 3;
    static final int APPS_PER_PLAN = 8;
    static final int PLANS_PER_ENVIRONMENT = 10;
    static final int APPS_PER_ENVIRONMENT = APPS_PER_PLAN * PLANS_PER_ENVIRONMENT;
    static final int FIFTY_MEGABYTES = 50 * 1024 * 1024;

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(System.getProperty("operator.jar", "target/quarkus-app/quarkus-run.jar"));
        Path directory = Files.createDirectories(Path.of("target/bench-validate"));
        int[] sizes = {
            Integer.getInteger("bench.small", 1_000),
            Integer.getInteger("bench.large", 20_000),
            Integer.getInteger("bench.largest", 40_000)
        };
        // The fixed cost of every run (JVM start, CRDs and CEL rules loaded): one app.
        Path one = directory.resolve("apps-1.yaml");
        writeApps(one, 1);
        long baseline = median(jar, one, 0);
        System.out.printf(
                "validate 1 app (start-up, schemas and CEL rules): median %,d ms of %d runs%n", baseline, RUNS);
        long[] medians = new long[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            Path file = directory.resolve("apps-" + sizes[i] + ".yaml");
            writeApps(file, sizes[i]);
            medians[i] = median(jar, file, 0);
            System.out.printf(
                    "validate %,d apps (%,d environments, %,d plans; %,d bytes): median %,d ms of %d runs, %,d ms past start-up%n",
                    sizes[i],
                    (sizes[i] + APPS_PER_ENVIRONMENT - 1) / APPS_PER_ENVIRONMENT,
                    (sizes[i] + APPS_PER_PLAN - 1) / APPS_PER_PLAN,
                    Files.size(file),
                    medians[i],
                    RUNS,
                    medians[i] - baseline);
        }
        for (int i = 1; i < sizes.length; i++) {
            System.out.printf(
                    "ratio %,d / %,d apps: %.1f with start-up, %.1f past it (linear: %.1f)%n",
                    sizes[i],
                    sizes[0],
                    (double) medians[i] / medians[0],
                    (double) (medians[i] - baseline) / Math.max(1, medians[0] - baseline),
                    (double) sizes[i] / sizes[0]);
        }
        Path huge = directory.resolve("fifty-megabytes.yaml");
        writeHugeString(huge);
        long hugeMillis = median(jar, huge, 1);
        System.out.printf(
                "validate one 50 MB string (%,d bytes): refused, median %,d ms of %d runs%n",
                Files.size(huge), hugeMillis, RUNS);
    }

    static void writeApps(Path file, int apps) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            int environments = (apps + APPS_PER_ENVIRONMENT - 1) / APPS_PER_ENVIRONMENT;
            int written = 0;
            for (int e = 0; e < environments; e++) {
                String namespace = "team-" + e;
                out.write("""
                        apiVersion: appservice.dev/v1alpha1
                        kind: AppServiceEnvironment
                        metadata: {name: ase, namespace: %s}
                        spec:
                          virtualNetwork: {name: vnet-%d, subnet: 10.1.0.0/24, addressPrefixes: [10.1.0.0/16]}
                          dnsSuffix: ase-%d.apps.example.com
                          maxInstances: 200
                        ---
                        """.formatted(namespace, e, e));
                for (int p = 0; p < PLANS_PER_ENVIRONMENT && written < apps; p++) {
                    out.write("""
                            apiVersion: appservice.dev/v1alpha1
                            kind: IsolatedPlan
                            metadata: {name: plan-%d, namespace: %s}
                            spec: {environmentName: ase, size: I1, instances: 2}
                            ---
                            """.formatted(p, namespace));
                    for (int a = 0; a < APPS_PER_PLAN && written < apps; a++, written++) {
                        out.write("""
                                apiVersion: appservice.dev/v1alpha1
                                kind: WebApp
                                metadata: {name: app-%d-%d, namespace: %s}
                                spec:
                                  planName: plan-%d
                                  image: registry.example/app:1
                                  port: %d
                                  hostNames: [app-%d-%d-%d.contoso.com]
                                ---
                                """.formatted(p, a, namespace, p, 8000 + a, e, p, a));
                    }
                }
            }
        }
    }

    static void writeHugeString(Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(
                    "apiVersion: appservice.dev/v1alpha1\nkind: WebApp\nmetadata: {name: huge, namespace: team}\nspec:\n  planName: plan\n  image: \"");
            char[] chunk = "x".repeat(1 << 20).toCharArray();
            for (int i = 0; i < FIFTY_MEGABYTES / chunk.length; i++) {
                out.write(chunk);
            }
            out.write("\"\n");
        }
    }

    static long median(Path jar, Path file, int expectedExit) throws IOException, InterruptedException {
        List<Long> times = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            long start = System.nanoTime();
            Process process = new ProcessBuilder("java", "-jar", jar.toString(), "validate", "-f", file.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(Path.of("target/bench-validate/stderr.txt").toFile())
                    .start();
            if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != expectedExit) {
                throw new IllegalStateException("validate -f " + file + " exited " + process.exitValue() + ", expected "
                        + expectedExit + ": see target/bench-validate/stderr.txt");
            }
            times.add((System.nanoTime() - start) / 1_000_000);
        }
        times.sort(null);
        return times.get(times.size() / 2);
    }
}
