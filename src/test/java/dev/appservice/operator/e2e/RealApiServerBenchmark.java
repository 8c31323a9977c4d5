package dev.appservice.operator.e2e;

import static dev.appservice.operator.bench.OperatorBenchmark.cpuSeconds;
import static dev.appservice.operator.bench.OperatorBenchmark.print;
import static dev.appservice.operator.bench.OperatorBenchmark.rssMiB;

import com.marcnuri.helm.Helm;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.bench.OperatorBenchmark;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.MaximalWebApp;
import dev.appservice.operator.testing.ReadyConditions;
import dev.appservice.operator.validation.WebAppBudget;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>With {@code -Dbench.maximalApps=N} (issue 27), also N of the largest WebApps the rules admit
 * ({@link MaximalWebApp}) in one tenant namespace under the chart's {@code tenantQuota}
 * ResourceQuota (500 WebApps), on a plan of one I3 instance (so they are admitted and cached, and
 * held by the plan's density: they test the cache, not the children); and an {@link AdmissionProbe}
 * measures the webhook's latency (p50, p99) while all of it is applied and converges.
 */
public final class RealApiServerBenchmark {
    static final String OPERATOR_USER = "system:serviceaccount:ase-operator:ase-operator";
    static final Duration CONVERGED_WITHIN = Duration.ofMinutes(20);
    /** The tenant namespace of the maximal WebApps, its environment and its plan. */
    static final String TENANT = "tenant-maximal";

    static final int MAXIMAL_APPS = Integer.getInteger("bench.maximalApps", 0);
    /** The quota controller's full resync ({@link ControlPlane#QUOTA_RESYNC}) and a minute more. */
    static final Duration QUOTA_COUNTED_WITHIN = ControlPlane.QUOTA_RESYNC.plusMinutes(1);

    private RealApiServerBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of("target", "bench-real-apiserver").toAbsolutePath();
        try (InstalledCluster cluster = InstalledCluster.start(work)) {
            run(cluster);
        } catch (Exception | Error e) {
            // The clients' threads would keep the JVM of exec:java waiting.
            e.printStackTrace();
            System.exit(1);
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
        List<HasMetadata> maximal = MAXIMAL_APPS > 0 ? tenant(cluster) : List.of();
        AdmissionProbe probe =
                MAXIMAL_APPS > 0 ? AdmissionProbe.start(cluster.webhookUrl(), TENANT, MaximalWebApp.PLAN) : null;
        double operatorCpu = cpuSeconds(operator.pid());
        long applying = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        Set<String> reasons = java.util.concurrent.ConcurrentHashMap.newKeySet();
        for (HasMetadata resource : resources) {
            pool.submit(() -> client.resource(resource).create());
        }
        for (HasMetadata app : maximal) {
            pool.submit(() -> {
                try {
                    client.resource(app).create();
                } catch (KubernetesClientException e) {
                    refused.incrementAndGet();
                    if (reasons.size() < 3) {
                        reasons.add(e.getCode() + " " + e.getMessage());
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        long applied = System.nanoTime();
        print("applied custom resources (each reviewed by the webhook)", resources.size(), "");
        if (MAXIMAL_APPS > 0) {
            print("maximal WebApps applied", maximal.size(), "");
            print("  of which refused (the tenant's quota, or the webhook)", refused.get(), "");
            reasons.forEach(reason -> System.out.println("  refused: " + reason));
            System.out.println("admission while applying: " + probe.summary());
            print("RSS once everything is applied", rssMiB(operator), "MiB");
            probe.reset();
        }
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
        if (probe != null) {
            System.out.println("admission while converging: " + probe.summary());
            probe.close();
        }
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
        if (MAXIMAL_APPS > 0) {
            print("  the chart's memory limit", OPERATOR_LIMIT_MIB, "MiB");
            print("  margin under it", OPERATOR_LIMIT_MIB - rssMiB(operator), "MiB");
        }
        OperatorBenchmark.memoryBreakdown(
                operator,
                Path.of("target", MAXIMAL_APPS > 0 ? "bench-real-maximal-memory.txt" : "bench-real-memory.txt"));
        String metrics = cluster.plane.metrics();
        print(
                "API server requests answered 409 (all clients)",
                metrics.lines()
                        .filter(l -> l.startsWith("apiserver_request_total{") && l.contains("code=\"409\""))
                        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                        .sum(),
                "");
    }

    /**
     * Resources not yet Ready at their generation; in the tenant namespace, whose apps the plan's
     * density holds, those whose status is not yet written at their generation.
     */
    private static int notReady(KubernetesClient client) {
        int waiting = 0;
        for (var kind : ReadyConditions.KINDS) {
            for (var resource : client.resources(kind).inAnyNamespace().list().getItems()) {
                boolean done = TENANT.equals(resource.getMetadata().getNamespace())
                        ? observedAtGeneration(resource)
                        : ReadyConditions.readyAtGeneration(resource);
                if (!done) {
                    waiting++;
                }
            }
        }
        return waiting;
    }

    private static boolean observedAtGeneration(HasMetadata resource) {
        Object status = resource instanceof dev.appservice.operator.api.WebApp app
                ? app.getStatus()
                : resource instanceof dev.appservice.operator.api.IsolatedPlan plan
                        ? plan.getStatus()
                        : ((dev.appservice.operator.api.AppServiceEnvironment) resource).getStatus();
        return status instanceof dev.appservice.operator.api.ObservedStatus observed
                && java.util.Objects.equals(
                        observed.getObservedGeneration(), resource.getMetadata().getGeneration());
    }

    /** Creates the resource, again while the quota controller has not yet counted its kind ("status unknown"). */
    private static void createCounted(KubernetesClient client, HasMetadata resource) throws InterruptedException {
        long until = System.nanoTime() + QUOTA_COUNTED_WITHIN.toNanos();
        while (true) {
            try {
                client.resource(resource).create();
                return;
            } catch (KubernetesClientException e) {
                if (System.nanoTime() > until || !String.valueOf(e.getMessage()).contains("status unknown for quota")) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    /** The chart's memory limit, which the RSS is judged against. */
    static final long OPERATOR_LIMIT_MIB =
            dev.appservice.operator.install.OperatorContainer.chartMemoryLimit() / (1024 * 1024);

    /**
     * The tenant namespace with the chart's tenant quota (rendered by Helm, applied), an
     * environment and a plan of one I3 instance; returns the maximal WebApps to create in it.
     */
    private static List<HasMetadata> tenant(InstalledCluster cluster) throws InterruptedException {
        KubernetesClient client = cluster.admin;
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(TENANT)
                        .endMetadata()
                        .build())
                .create();
        String rendered = new Helm(Path.of("helm", "ase-operator"))
                .template()
                .withName("ase-operator")
                .withNamespace("ase-operator")
                .withKubeVersion("v1.34.4")
                .set("tenantQuota.enabled", "true")
                .set("tenantQuota.namespaces[0]", TENANT)
                .call();
        client
                .load(new java.io.ByteArrayInputStream(rendered.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .items()
                .stream()
                .filter(o -> o instanceof ResourceQuota)
                .forEach(q -> client.resource(q).create());
        // Until the quota controller has counted the namespace, the API server refuses creates it covers; a custom
        // resource's count may wait for the controller's next full sync (every 5 minutes by default).
        long counted = System.nanoTime() + QUOTA_COUNTED_WITHIN.toNanos();
        while (System.nanoTime() < counted
                && client.resources(ResourceQuota.class).inNamespace(TENANT).list().getItems().stream()
                        .anyMatch(q -> q.getStatus() == null
                                || q.getStatus().getUsed() == null
                                || !q.getStatus()
                                        .getUsed()
                                        .keySet()
                                        .containsAll(q.getSpec().getHard().keySet()))) {
            Thread.sleep(500);
        }
        createCounted(client, Fixtures.environment(TENANT, "ase"));
        createCounted(client, Fixtures.plan(TENANT, MaximalWebApp.PLAN, "ase", InstanceSize.I3, 1));
        // The maximal apps' owner references name ConfigMaps that exist, with their uids (same length), so that the
        // garbage collector leaves the apps alone.
        Map<String, String> owners = new java.util.HashMap<>();
        for (int i = 0; i < WebAppBudget.MAX_METADATA_ENTRIES; i++) {
            var owner = client.resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("o" + i)
                            .withNamespace(TENANT)
                            .endMetadata()
                            .build())
                    .create();
            owners.put(owner.getMetadata().getName(), owner.getMetadata().getUid());
        }
        List<HasMetadata> apps = new java.util.ArrayList<>();
        for (int i = 0; i < MAXIMAL_APPS; i++) {
            var app = MaximalWebApp.build(TENANT, "maximal-" + i, MaximalWebApp.Shape.SMALLEST_ENTRIES);
            app.getMetadata().getOwnerReferences().forEach(o -> o.setUid(owners.get(o.getName())));
            apps.add(app);
        }
        print(
                "maximal WebApp, bytes of spec and metadata (WebAppBudget)",
                WebAppBudget.objectBytes((dev.appservice.operator.api.WebApp) apps.get(0)),
                "");
        return apps;
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
