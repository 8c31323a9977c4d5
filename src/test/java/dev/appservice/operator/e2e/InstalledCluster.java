package dev.appservice.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The control plane with the operator installed as the chart installs it: the CRDs, the chart's
 * objects as Helm renders them (but the operator's Deployment: the jar runs as a process instead,
 * with the Deployment's environment), kwok's nodes, and the operator running as the chart's
 * ServiceAccount. {@link #main} starts one and keeps it up for a developer:
 * {@code ./mvnw -q -Pbench exec:java -Dbench.main=dev.appservice.operator.e2e.InstalledCluster}.
 */
final class InstalledCluster implements AutoCloseable {
    static final String OPERATOR_NAMESPACE = "ase-operator";
    static final String RELEASE = "ase-operator";
    static final String KUBERNETES_VERSION = "v1.34.4";
    static final List<String> CUSTOM_RESOURCES = List.of("appserviceenvironments", "isolatedplans", "webapps");

    final ControlPlane plane;
    final KubernetesClient admin;
    /** The chart's objects as applied (all but the CRDs and the operator's Deployment). */
    private List<HasMetadata> applied = List.of();

    private int webhookPort;
    private Path work;
    OperatorProcess operator;

    /** The egress gateway providers' CRDs (e2e/providers/fetch-crds). */
    static final Path PROVIDER_CRDS = dev.appservice.operator.testing.apiserver.CustomResourceSchemas.PROVIDER_CRDS;

    private InstalledCluster(ControlPlane plane) {
        this.plane = plane;
        this.admin = plane.adminClient();
    }

    /** The webhook's origin, as the chart's {@code webhook.url} names it to the API server. */
    String webhookUrl() {
        return "https://127.0.0.1:" + webhookPort;
    }

    static InstalledCluster start(Path work) throws Exception {
        deleteRecursively(work);
        Files.createDirectories(work);
        InstalledCluster cluster = new InstalledCluster(ControlPlane.start(binaries(), work.resolve("cluster"), work));
        try {
            KwokNodes.create(cluster.admin);
            cluster.work = work;
            cluster.webhookPort = OperatorProcess.freePort();
            Deployment deployment = cluster.installChart();
            cluster.operator = OperatorProcess.configure(
                    deployment, cluster.operatorKubeconfig(deployment, work), cluster.webhookPort, work);
            cluster.operator.start();
            cluster.operator.awaitReady();
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** A render of the chart: the operator's Deployment (run as a process, never applied) and the objects applied. */
    private record Release(Deployment operator, List<HasMetadata> objects) {}

    /** The chart as Helm renders it with these values (and the webhook's URL), CRDs apart (applied from crds/). */
    private Release render(Map<String, String> values) {
        var template = new Helm(Path.of("helm", "ase-operator"))
                .template()
                .withName(RELEASE)
                .withNamespace(OPERATOR_NAMESPACE)
                .withKubeVersion(KUBERNETES_VERSION)
                .set("webhook.url", "https://127.0.0.1:" + webhookPort);
        values.forEach(template::set);
        String rendered = template.call();
        Deployment operator = null;
        List<HasMetadata> objects = new ArrayList<>();
        for (HasMetadata object : admin.load(new ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8)))
                .items()) {
            if (object instanceof Deployment deployment) {
                operator = deployment;
            } else if (!(object instanceof CustomResourceDefinition)) {
                objects.add(object);
            }
        }
        assertThat(operator).as("the chart's operator Deployment").isNotNull();
        return new Release(operator, objects);
    }

    /**
     * An upgrade of the release with other values, as {@code helm upgrade} does it: objects the new
     * render no longer has are deleted, the others applied; then the operator restarts with the new
     * Deployment's environment, as a rollout would.
     */
    void upgrade(Map<String, String> values) throws Exception {
        Release release = render(values);
        for (HasMetadata old : applied) {
            if (release.objects().stream().noneMatch(o -> sameObject(o, old))) {
                admin.resource(old).delete();
            }
        }
        for (HasMetadata object : release.objects()) {
            admin.resource(object).forceConflicts().serverSideApply();
        }
        applied = release.objects();
        operator.close();
        operator =
                OperatorProcess.configure(release.operator(), work.resolve("operator.kubeconfig"), webhookPort, work);
        operator.start();
        operator.awaitReady();
    }

    private static boolean sameObject(HasMetadata a, HasMetadata b) {
        return a.getKind().equals(b.getKind())
                && a.getMetadata().getName().equals(b.getMetadata().getName())
                && java.util.Objects.equals(
                        a.getMetadata().getNamespace(), b.getMetadata().getNamespace());
    }

    /** Applies the chart's objects; returns the operator's Deployment, which is not applied. */
    private Deployment installChart() throws Exception {
        // The examples' layered-security environments use Cilium's egress gateway: its CRD is
        // installed (as Cilium would), and so are Antrea's and OVN-Kubernetes', so the operator's
        // objects meet each provider's own schema on a real API server.
        Release release = render(Map.of("egressGateway.enabled", "true"));
        admin.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(OPERATOR_NAMESPACE)
                        .endMetadata()
                        .build())
                .create();
        for (String crd : CUSTOM_RESOURCES) {
            admin.resource(admin.getKubernetesSerialization()
                            .unmarshal(
                                    Files.readString(Path.of("crds", crd + ".appservice.dev.yaml")),
                                    CustomResourceDefinition.class))
                    .create();
        }
        for (HasMetadata object : release.objects()) {
            admin.resource(object).create();
        }
        applied = release.objects();
        for (CustomResourceDefinition provider :
                dev.appservice.operator.testing.apiserver.CustomResourceSchemas.read(PROVIDER_CRDS)) {
            admin.resource(provider).create();
            admin.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(provider.getMetadata().getName())
                    .waitUntilCondition(InstalledCluster::established, 1, TimeUnit.MINUTES);
        }
        for (String crd : CUSTOM_RESOURCES) {
            admin.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(crd + ".appservice.dev")
                    .waitUntilCondition(InstalledCluster::established, 1, TimeUnit.MINUTES);
        }
        return release.operator();
    }

    /** Whether the API server serves the CRD's kind (a new CRD's status may have no conditions yet). */
    private static boolean established(CustomResourceDefinition crd) {
        return crd != null
                && crd.getStatus() != null
                && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** A kubeconfig with a token of the chart's ServiceAccount (TokenRequest, as the kubelet gets one). */
    private Path operatorKubeconfig(Deployment deployment, Path work) throws IOException {
        String token = admin.serviceAccounts()
                .inNamespace(OPERATOR_NAMESPACE)
                .withName(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(6 * 3600L)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
        Path kubeconfig = work.resolve("operator.kubeconfig");
        Files.writeString(kubeconfig, plane.kubeconfigWithToken(token));
        return kubeconfig;
    }

    @Override
    public void close() throws Exception {
        if (operator != null) {
            operator.close();
        }
        admin.close();
        plane.close();
    }

    /** The folder of binaries: ASE_E2E_BINARIES, or what e2e/cluster/build prints (building them the first time). */
    static Path binaries() throws IOException, InterruptedException {
        String configured = System.getenv("ASE_E2E_BINARIES");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Process build = new ProcessBuilder("e2e/cluster/build")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (build.waitFor() != 0) {
            throw new IllegalStateException("e2e/cluster/build failed");
        }
        return Path.of(output.lines().reduce((a, b) -> b).orElseThrow());
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Starts a cluster under target/e2e-local and keeps it up until the process is stopped. */
    public static void main(String[] args) throws Exception {
        Path work = Path.of("target", "e2e-local").toAbsolutePath();
        try (InstalledCluster cluster = start(work)) {
            System.out.println("export KUBECONFIG=" + cluster.plane.adminKubeconfig());
            System.out.println("operator log: " + cluster.operator.log());
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
