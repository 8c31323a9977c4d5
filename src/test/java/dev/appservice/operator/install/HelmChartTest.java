package dev.appservice.operator.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Helm chart rendered by Helm's engine: lint, defaults, options, schema, CRDs. */
class HelmChartTest {
    static final Path CHART_CRDS = HelmChart.CHART.resolve("crds");

    @Test
    void lintsCleanInStrictMode() {
        LintResult lint = HelmChart.lint();
        assertThat(lint.isFailed())
                .as("helm lint --strict: %s", lint.getMessages())
                .isFalse();
        // Only the informational icon recommendation may remain (the project has no icon).
        assertThat(lint.getMessages()).allMatch(m -> m.startsWith("[INFO]"), "no warning or error");
    }

    @Test
    void defaultValuesRenderTheOperatorClusterWide() {
        Manifest manifest = HelmChart.render();
        List<String> expected = new java.util.ArrayList<>(HelmChart.OPERATOR_OBJECTS);
        expected.addAll(List.of(
                // The admission webhook, its certificates self-managed: no Secret (the operator creates it).
                "Service ase-operator/ase-operator-webhook",
                "ValidatingWebhookConfiguration ase-operator",
                "Role ase-operator/ase-operator-webhook",
                "RoleBinding ase-operator/ase-operator-webhook",
                "ClusterRole ase-operator-webhook",
                "ClusterRoleBinding ase-operator-webhook"));
        assertThat(manifest.identities()).containsExactlyInAnyOrderElementsOf(expected);

        Deployment deployment = manifest.one("Deployment", Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .isEqualTo(
                        Map.of("app.kubernetes.io/name", "ase-operator", "app.kubernetes.io/instance", "ase-operator"));
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("ase-operator");

        Container operator =
                deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(operator.getImage()).isEqualTo("ase-operator:0.1.0");
        assertThat(operator.getPorts())
                .extracting(p -> p.getName() + "=" + p.getContainerPort())
                .containsExactly("http=8080", "https=8443");
        assertHttpProbe(operator.getStartupProbe(), "/q/health/started");
        assertHttpProbe(operator.getLivenessProbe(), "/q/health/live");
        assertHttpProbe(operator.getReadinessProbe(), "/q/health/ready");
        assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(operator.getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(operator.getVolumeMounts())
                .singleElement()
                .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));

        Map<String, EnvVar> env = env(operator);
        assertThat(env.get("ASE_OPERATOR_NAMESPACE")
                        .getValueFrom()
                        .getFieldRef()
                        .getFieldPath())
                .isEqualTo("metadata.namespace");
        assertThat(env.get("ASE_POD_CIDRS").getValue()).isEqualTo("10.244.0.0/16,fd00:10:244::/56");
        assertThat(env.get("ASE_DNS_NAMESPACE").getValue()).isEqualTo("kube-system");
        assertThat(env.get("ASE_LEADER_ELECTION_ENABLED").getValue()).isEqualTo("true");
        assertThat(env.get("ASE_LEADER_ELECTION_LEASE_NAME").getValue()).isEqualTo("ase-operator-leader");
        assertThat(env.get("ASE_LEADER_ELECTION_LEASE_NAMESPACE")
                        .getValueFrom()
                        .getFieldRef()
                        .getFieldPath())
                .isEqualTo("metadata.namespace");
        // Unset means the operator's own default; cluster-wide means no namespace list.
        assertThat(env)
                .doesNotContainKeys(
                        "ASE_PLACEHOLDER_IMAGE", "ASE_AZURE_LOAD_BALANCER_CIDRS", "QUARKUS_OPERATOR_SDK_NAMESPACES");

        PodDisruptionBudget budget = manifest.one("PodDisruptionBudget", PodDisruptionBudget.class);
        assertThat(budget.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getSpec().getSelector().getMatchLabels())
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());

        Role lease = manifest.named("Role", "ase-operator-leader-election", Role.class);
        assertThat(lease.getRules())
                .anySatisfy(r -> assertThat(r.getResourceNames()).containsExactly("ase-operator-leader"));
    }

    /** Issue 27: a quota per tenant namespace for the three kinds, so what the operator caches is bounded. */
    @Test
    void tenantQuotaIsOptInAndBoundsTheThreeKindsPerNamespace() {
        assertThat(HelmChart.render().ofKind("ResourceQuota", ResourceQuota.class))
                .as("off by default")
                .isEmpty();
        Manifest manifest = HelmChart.render("tenantQuota: {enabled: true, namespaces: [team-a, team-b]}");
        List<ResourceQuota> quotas = manifest.ofKind("ResourceQuota", ResourceQuota.class);
        assertThat(quotas)
                .extracting(q ->
                        q.getMetadata().getNamespace() + "/" + q.getMetadata().getName())
                .containsExactly("team-a/ase-operator-tenant", "team-b/ase-operator-tenant");
        assertThat(quotas)
                .allSatisfy(q -> assertThat(q.getSpec().getHard())
                        .isEqualTo(Map.of(
                                "count/appserviceenvironments.appservice.dev", new Quantity("10"),
                                "count/isolatedplans.appservice.dev", new Quantity("100"),
                                "count/webapps.appservice.dev", new Quantity("500"))));
        assertThat(HelmChart.render("tenantQuota: {enabled: true, namespaces: [team-a], webApps: 50}")
                        .one("ResourceQuota", ResourceQuota.class)
                        .getSpec()
                        .getHard())
                .containsEntry("count/webapps.appservice.dev", new Quantity("50"));
        assertThatThrownBy(() -> HelmChart.render("tenantQuota: {enabled: true, namespaces: [Team_A]}"))
                .hasMessageContaining("tenantQuota");
        assertThatThrownBy(() -> HelmChart.render("tenantQuota: {webApps: -1}")).hasMessageContaining("tenantQuota");
    }

    @Test
    void watchNamespacesRenderRolesInThoseNamespacesAndNothingClusterWide() {
        Manifest manifest = HelmChart.render("watchNamespaces: [team-a, team-b]");
        // Cluster-wide only what cannot be namespaced: the webhook configuration, by its name (WebhookChartTest).
        assertThat(manifest.ofKind("ClusterRole", ClusterRole.class))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.getMetadata().getName()).isEqualTo("ase-operator-webhook");
                    assertThat(r.getRules())
                            .allSatisfy(rule ->
                                    assertThat(rule.getResources()).containsExactly("validatingwebhookconfigurations"));
                });
        assertThat(manifest.ofKind("ClusterRoleBinding")).hasSize(1);
        List<Role> roles = manifest.ofKind("Role", Role.class);
        assertThat(roles)
                .extracting(r ->
                        r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        "team-a/ase-operator",
                        "team-b/ase-operator",
                        "ase-operator/ase-operator-leader-election",
                        "ase-operator/ase-operator-webhook");
        List<RoleBinding> bindings = manifest.ofKind("RoleBinding", RoleBinding.class);
        assertThat(bindings).hasSize(4).allSatisfy(b -> {
            assertThat(b.getRoleRef().getKind()).isEqualTo("Role");
            assertThat(b.getSubjects()).singleElement().satisfies(s -> {
                assertThat(s.getKind()).isEqualTo("ServiceAccount");
                assertThat(s.getName()).isEqualTo("ase-operator");
                assertThat(s.getNamespace()).isEqualTo("ase-operator");
            });
        });
        // The namespaced rules are the cluster-wide ones, only bound per namespace.
        ClusterRole clusterWide = HelmChart.render().named("ClusterRole", "ase-operator", ClusterRole.class);
        assertThat(roles.stream().filter(r -> r.getMetadata().getName().equals("ase-operator")))
                .allSatisfy(r -> assertThat(r.getRules()).isEqualTo(clusterWide.getRules()));

        Container operator = manifest.one("Deployment", Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(env(operator).get("QUARKUS_OPERATOR_SDK_NAMESPACES").getValue())
                .isEqualTo("team-a,team-b");
    }

    @Test
    void operatorSettingsBecomeItsEnvironment() {
        Manifest manifest = HelmChart.render("""
                operator:
                  placeholderImage: registry.local/nginx-unprivileged:1.27
                  podCidrs: [10.42.0.0/16]
                  azureLoadBalancerCidrs: [168.63.129.16/32, 10.0.0.4/32]
                  dnsNamespace: dns
                  extraEnv: [{name: QUARKUS_LOG_LEVEL, value: DEBUG}]
                leaderElection: {leaseName: my-lease}
                image: {repository: registry.local/ase-operator, tag: dev}
                """);
        Deployment deployment = manifest.one("Deployment", Deployment.class);
        Container operator =
                deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, EnvVar> env = env(operator);
        assertThat(operator.getImage()).isEqualTo("registry.local/ase-operator:dev");
        assertThat(env.get("ASE_PLACEHOLDER_IMAGE").getValue()).isEqualTo("registry.local/nginx-unprivileged:1.27");
        assertThat(env.get("ASE_POD_CIDRS").getValue()).isEqualTo("10.42.0.0/16");
        assertThat(env.get("ASE_AZURE_LOAD_BALANCER_CIDRS").getValue()).isEqualTo("168.63.129.16/32,10.0.0.4/32");
        assertThat(env.get("ASE_DNS_NAMESPACE").getValue()).isEqualTo("dns");
        assertThat(env.get("QUARKUS_LOG_LEVEL").getValue()).isEqualTo("DEBUG");
        assertThat(env.get("ASE_LEADER_ELECTION_LEASE_NAME").getValue()).isEqualTo("my-lease");
        assertThat(manifest.named("Role", "ase-operator-leader-election", Role.class)
                        .getRules())
                .anySatisfy(r -> assertThat(r.getResourceNames()).containsExactly("my-lease"));
    }

    @Test
    void oneReplicaWithoutLeaderElectionHasNoBudgetAndNoLease() {
        Manifest manifest = HelmChart.render("replicaCount: 1\nleaderElection: {enabled: false}");
        assertThat(manifest.ofKind("PodDisruptionBudget"))
                .as("a budget of 1 out of 1 would block every drain")
                .isEmpty();
        assertThat(manifest.ofKind("Role")).extracting(Manifest::name).doesNotContain("ase-operator-leader-election");
        Container operator = manifest.one("Deployment", Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(env(operator).get("ASE_LEADER_ELECTION_ENABLED").getValue()).isEqualTo("false");
        assertThat(env(operator)).doesNotContainKeys("ASE_LEADER_ELECTION_LEASE_NAME");
    }

    @Test
    void withoutRbacOrServiceAccountTheChartUsesTheNamedAccount() {
        Manifest manifest =
                HelmChart.render("rbac: {create: false}\nserviceAccount: {create: false, name: platform-operator}");
        assertThat(manifest.identities())
                .containsExactlyInAnyOrder(
                        "Deployment ase-operator/ase-operator",
                        "PodDisruptionBudget ase-operator/ase-operator",
                        "NetworkPolicy ase-operator/ase-operator",
                        "Service ase-operator/ase-operator-webhook",
                        "ValidatingWebhookConfiguration ase-operator");
        assertThat(manifest.one("Deployment", Deployment.class)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getServiceAccountName())
                .isEqualTo("platform-operator");
        assertThatThrownBy(() -> HelmChart.render("serviceAccount: {create: false}"))
                .hasMessageContaining("serviceAccount.name is required");
    }

    @Test
    void serviceMonitorAndJsonLogsAreOptIn() {
        Manifest plain = HelmChart.render();
        assertThat(plain.ofKind("ServiceMonitor")).isEmpty();
        assertThat(plain.one("Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv())
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("ASE_LOG_JSON");
                    assertThat(e.getValue()).isEqualTo("false");
                });

        Manifest monitored = HelmChart.render(
                "metrics: {serviceMonitor: {enabled: true, interval: 15s, labels: {release: prometheus}}}\nlogging: {json: true}");
        Map<String, Object> monitor = monitored.ofKind("ServiceMonitor").get(0);
        assertThat(monitor.toString())
                .contains("release=prometheus")
                .contains("path=/q/metrics")
                .contains("interval=15s")
                .contains("port=http-metrics");
        io.fabric8.kubernetes.api.model.Service metrics =
                monitored.named("Service", "ase-operator-metrics", io.fabric8.kubernetes.api.model.Service.class);
        assertThat(metrics.getSpec().getPorts().get(0).getTargetPort().getStrVal())
                .isEqualTo("http");
        assertThat(metrics.getMetadata().getLabels()).containsEntry("appservice.dev/metrics", "true");
        assertThat(monitored
                        .one("Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv())
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("ASE_LOG_JSON");
                    assertThat(e.getValue()).isEqualTo("true");
                });
        assertThatThrownBy(() -> HelmChart.render("metrics: {serviceMonitor: {interval: soon}}"))
                .hasMessageContaining("interval");
    }

    @Test
    void theSchemaRejectsUnknownKeysAndWrongTypes() {
        assertThatThrownBy(() -> HelmChart.render("replicas: 3")).hasMessageContaining("replicas");
        assertThatThrownBy(() -> HelmChart.render("replicaCount: two")).hasMessageContaining("replicaCount");
        assertThatThrownBy(() -> HelmChart.render("watchNamespaces: team-a")).hasMessageContaining("watchNamespaces");
        assertThatThrownBy(() -> HelmChart.render("watchNamespaces: [Team_A]")).hasMessageContaining("watchNamespaces");
        assertThatThrownBy(() -> HelmChart.render("leaderElection: {enabled: yes please}"))
                .hasMessageContaining("enabled");
        assertThatThrownBy(() -> HelmChart.render("operator: {podCidrs: []}")).hasMessageContaining("podCidrs");
        assertThatThrownBy(() -> HelmChart.render("operator: {podCidrs: [not-a-cidr]}"))
                .hasMessageContaining("podCidrs");
        assertThatThrownBy(() -> HelmChart.render("operator: {podCIDRs: [10.0.0.0/8]}"))
                .hasMessageContaining("podCIDRs");
        assertThatThrownBy(() -> HelmChart.render("image: {pullPolicy: Sometimes}"))
                .hasMessageContaining("pullPolicy");
        assertThatThrownBy(() -> HelmChart.render("runAsUser: 0")).hasMessageContaining("runAsUser");
        assertThatThrownBy(() -> HelmChart.render("webhook: {failurePolicy: Retry}"))
                .hasMessageContaining("failurePolicy");
        assertThatThrownBy(() -> HelmChart.render("webhook: {timeoutSeconds: 31}"))
                .hasMessageContaining("timeoutSeconds");
        assertThatThrownBy(() -> HelmChart.render("webhook: {certificates: {mode: vault}}"))
                .hasMessageContaining("mode");
        assertThatThrownBy(() -> HelmChart.render("webhook: {certificates: {issuer: mine}}"))
                .hasMessageContaining("issuer");
        assertThatThrownBy(() -> HelmChart.render("webhook: {caBundle: abc}")).hasMessageContaining("caBundle");
    }

    @Test
    void chartCrdsAreByteIdenticalToTheGeneratedOnes() throws IOException {
        Map<String, byte[]> generated = files(CustomResourceDefinitionFiles.GENERATED);
        assertThat(generated).isNotEmpty();
        Map<String, byte[]> inChart = files(CHART_CRDS);
        assertThat(inChart.keySet())
                .as("helm/ase-operator/crds holds the CRDs of crds/: " + CustomResourceDefinitionFiles.UPDATE_COMMAND)
                .isEqualTo(generated.keySet());
        for (String name : generated.keySet()) {
            assertThat(inChart.get(name))
                    .as(
                            "helm/ase-operator/crds/%s differs from crds/%s: %s",
                            name, name, CustomResourceDefinitionFiles.UPDATE_COMMAND)
                    .isEqualTo(generated.get(name));
        }
    }

    static Map<String, byte[]> files(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.sorted()
                    .collect(Collectors.toMap(
                            f -> f.getFileName().toString(),
                            f -> {
                                try {
                                    return Files.readAllBytes(f);
                                } catch (IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            },
                            (a, b) -> a,
                            java.util.TreeMap::new));
        }
    }

    private static Map<String, EnvVar> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }

    private static void assertHttpProbe(Probe probe, String path) {
        assertThat(probe).as("probe on %s", path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }
}
