package dev.appservice.operator.e2e;

import static dev.appservice.operator.bench.OperatorBenchmark.cpuSeconds;
import static dev.appservice.operator.bench.OperatorBenchmark.print;
import static dev.appservice.operator.bench.OperatorBenchmark.rssMiB;

import dev.appservice.operator.bench.OperatorBenchmark;
import dev.appservice.operator.testing.ReadyConditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The mock-server operator benchmark's 3,100 custom resources (100 environments x 10 plans x 2
 * apps) against the real control plane of the end-to-end suite: kube-apiserver and etcd with
 * real {@code managedFields} in every object the informers cache, Deployments that get Pods
 * (kwok), webhook reviews for every create. Prints the apply time, the convergence (every
 * resource Ready at its generation), the operator's writes from the API server's audit log, its
 * CPU per resource and its RSS with everything cached. Run by {@code bench/run}.
 */
public final class RealApiServerBenchmark {
    static final String OPERATOR_USER = "system:serviceaccount:ase-operator:ase-operator";
    static final Duration CONVERGED_WITHIN = Duration.ofMinutes(20);

    private RealApiServerBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of("target", "bench-real-apiserver").toAbsolutePath();
        try (InstalledCluster cluster = InstalledCluster.start(work)) {
            run(cluster);
        }
        System.exit(0);
    }

    static void run(InstalledCluster cluster) throws Exception {
        KubernetesClient client = cluster.admin;
        Process operator = cluster.operator.process();
        List<HasMetadata> resources = OperatorBenchmark.resources();
        for (String namespace : resources.stream()
                .map(r -> r.getMetadata().getNamespace())
                .collect(Collectors.toCollection(TreeSet::new))) {
            client.resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(namespace)
                            .endMetadata()
                            .build())
                    .create();
        }
        double operatorCpu = cpuSeconds(operator.pid());
        long applying = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (HasMetadata resource : resources) {
            pool.submit(() -> client.resource(resource).create());
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        long applied = System.nanoTime();
        print("applied custom resources (each reviewed by the webhook)", resources.size(), "");
        print("apply time", (applied - applying) / 1e6, "ms");

        long deadline = System.nanoTime() + CONVERGED_WITHIN.toNanos();
        int waiting = Integer.MAX_VALUE;
        while (System.nanoTime() < deadline) {
            waiting = notReady(client);
            if (waiting == 0) {
                break;
            }
            Thread.sleep(1000);
        }
        long converged = System.nanoTime();
        if (waiting != 0) {
            print("NOT CONVERGED: resources not Ready at their generation", waiting, "");
        }
        print("convergence (every resource Ready at its generation)", (converged - applying) / 1e6, "ms");
        print("convergence after the last apply", (converged - applied) / 1e6, "ms");
        double used = cpuSeconds(operator.pid()) - operatorCpu;
        print("operator CPU time until convergence", used * 1000, "ms");
        print("operator CPU time per custom resource", used * 1000 / resources.size(), "ms");

        Map<String, Long> writes = writes(cluster);
        long creates = writes.entrySet().stream()
                .filter(w -> w.getKey().startsWith("create ") && !w.getKey().equals("create events"))
                .mapToLong(Map.Entry::getValue)
                .sum();
        long total = writes.values().stream().mapToLong(Long::longValue).sum();
        print("operator writes (audit log; lease renewals and events apart)", total, "");
        writes.forEach((what, count) -> print("  " + what, count, ""));
        print(
                "writes / (children created once + one status write per resource)",
                (double) total / (creates + resources.size()),
                "");

        Map<String, Long> before = writes(cluster);
        Thread.sleep(30_000);
        Map<String, Long> after = writes(cluster);
        long during = after.values().stream().mapToLong(Long::longValue).sum()
                - before.values().stream().mapToLong(Long::longValue).sum();
        print("operator writes during 30 s after convergence", during, "");
        print("RSS with everything cached (real managedFields)", rssMiB(operator), "MiB");
        String metrics = cluster.plane.metrics();
        print(
                "API server requests answered 409 (all clients)",
                metrics.lines()
                        .filter(l -> l.startsWith("apiserver_request_total{") && l.contains("code=\"409\""))
                        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                        .sum(),
                "");
    }

    private static int notReady(KubernetesClient client) {
        int waiting = 0;
        for (var kind : ReadyConditions.KINDS) {
            for (var resource : client.resources(kind).inAnyNamespace().list().getItems()) {
                if (!ReadyConditions.readyAtGeneration(resource)) {
                    waiting++;
                }
            }
        }
        return waiting;
    }

    /** The operator's writes so far by verb and resource, from the audit log. */
    private static Map<String, Long> writes(InstalledCluster cluster) {
        return AuditLog.of(cluster.plane.auditLog(), OPERATOR_USER).stream()
                .filter(AuditLog.Request::isWrite)
                .filter(r -> !r.isLeaseRenewal() && !r.isEvent() && !r.isAccessReview())
                .collect(Collectors.groupingBy(
                        r -> r.verb() + " " + r.resource() + (r.subresource().isEmpty() ? "" : "/" + r.subresource()),
                        TreeMap::new,
                        Collectors.counting()));
    }
}
