package dev.appservice.operator.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The chart's Grafana dashboard and PrometheusRule: off by default, rendered when enabled, the
 * dashboard loadable by Grafana's sidecar, the rules accepted by promtool. That every metric they
 * read is exported is checked against the packaged operator (PackagedOperatorIT).
 */
class MonitoringChartTest {
    static final Path DASHBOARD = HelmChart.CHART.resolve("dashboards/ase-operator.json");
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> ALERTS = List.of(
            "ASEOperatorDown",
            "ASEOperatorNoLeader",
            "ASEOperatorReconcileErrors",
            "ASEResourcesInReconcileError",
            "ASEWebhookFailing",
            "ASEWebhookSlow",
            "ASEEnvironmentNotReady",
            "ASEEnvironmentCapacityNearLimit",
            "ASEManagementBlockedByNsg",
            "ASEDnsBlockedByNsg");

    @Test
    void dashboardAndRulesAreOffByDefault() {
        Manifest chart = HelmChart.render();
        assertThat(chart.ofKind("PrometheusRule")).isEmpty();
        assertThat(chart.ofKind("ConfigMap")).isEmpty();
        assertThat(chart.identities()).noneMatch(i -> i.contains("dashboard"));
    }

    @Test
    void theDashboardIsAConfigMapForGrafanasSidecar() throws IOException {
        Manifest chart =
                HelmChart.render("metrics: {dashboard: {enabled: true, namespace: monitoring, labels: {team: platform},"
                        + " annotations: {grafana_folder: ASE}}}");
        assertThat(chart.ofKind("PrometheusRule"))
                .as("each is enabled on its own")
                .isEmpty();
        ConfigMap dashboard = chart.named("ConfigMap", "ase-operator-dashboard", ConfigMap.class);
        assertThat(dashboard.getMetadata().getNamespace()).isEqualTo("monitoring");
        assertThat(dashboard.getMetadata().getLabels())
                .containsEntry("grafana_dashboard", "1")
                .containsEntry("team", "platform")
                .containsEntry("app.kubernetes.io/name", "ase-operator");
        assertThat(dashboard.getMetadata().getAnnotations()).containsEntry("grafana_folder", "ASE");
        JsonNode rendered = JSON.readTree(dashboard.getData().get("ase-operator.json"));
        assertThat(rendered)
                .as("the chart's file, unchanged by the template")
                .isEqualTo(JSON.readTree(DASHBOARD.toFile()));
        assertThat(rendered.path("uid").asText()).isEqualTo("ase-operator");
        assertThat(HelmChart.render("metrics: {dashboard: {enabled: true}}")
                        .named("ConfigMap", "ase-operator-dashboard", ConfigMap.class)
                        .getMetadata()
                        .getNamespace())
                .as("by default, the release namespace")
                .isEqualTo(HelmChart.NAMESPACE);
    }

    /** The panels operators asked for, each reading what it says it shows. */
    @Test
    void theDashboardShowsReconcilesAdmissionResourcesAndEnvironments() {
        Manifest chart = HelmChart.render(MonitoringQueries.ENABLED);
        JsonNode dashboard = MonitoringQueries.dashboard(chart);
        Map<String, String> byTitle = new java.util.TreeMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            StringBuilder queries = new StringBuilder();
            panel.path("targets")
                    .forEach(t -> queries.append(t.path("expr").asText()).append('\n'));
            byTitle.put(panel.path("title").asText(), queries.toString());
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("datasource").path("uid").asText())
                        .as(panel.path("title").asText())
                        .isEqualTo("${datasource}");
                assertThat(queries.toString()).as(panel.path("title").asText()).isNotBlank();
            }
        }
        assertThat(byTitle.get("Reconciles per second"))
                .contains("sum by (controller_name)", "reconciliations_started_total");
        assertThat(byTitle.get("Reconcile errors per second"))
                .contains("sum by (controller_name)", "reconciliations_failure_total");
        assertThat(byTitle.get("Reconcile duration (p50, p99)"))
                .contains("controller_name, le", "reconciliations_execution_duration_seconds_bucket");
        assertThat(byTitle.get("Reviews per second")).contains("ase_admission_reviews_total");
        assertThat(byTitle.get("Denials per second")).contains("allowed=\"false\"");
        assertThat(byTitle.get("Review latency (p50, p99)"))
                .contains("http_server_requests_seconds_bucket", "uri=\"/admission/validate\"");
        assertThat(byTitle.get("Environments by Ready reason"))
                .contains("kind=\"AppServiceEnvironment\"", "ready, reason");
        assertThat(byTitle.get("Plans by Ready reason")).contains("kind=\"IsolatedPlan\"");
        assertThat(byTitle.get("Apps by Ready reason")).contains("kind=\"WebApp\"");
        assertThat(byTitle.get("Front ends desired and ready"))
                .contains("ase_environment_front_ends_desired", "ase_environment_front_ends_ready");
        assertThat(byTitle.get("Instances used and limit"))
                .contains("ase_environment_instances_used", "ase_environment_instances_limit");
        assertThat(byTitle.get("Conditions not True")).contains("ase_environment_condition");
    }

    @Test
    void theRulesSelectTheServiceMonitorsJobAndTheirThresholds() {
        Manifest chart = HelmChart.render("metrics: {prometheusRule: {enabled: true, labels: {release: prometheus},"
                + " environmentNotReadyFor: 30m, capacityRatio: 0.75, webhookLatencySeconds: 2}}");
        assertThat(chart.ofKind("ConfigMap")).isEmpty();
        Map<String, Object> rule = chart.ofKind("PrometheusRule").get(0);
        assertThat(Manifest.identity(rule)).isEqualTo("PrometheusRule ase-operator/ase-operator");
        assertThat(rule.toString()).contains("release=prometheus");
        List<String> expressions = MonitoringQueries.ruleExpressions(chart);
        assertThat(expressions)
                .hasSize(ALERTS.size())
                .allSatisfy(e -> assertThat(e).contains("job=\"ase-operator-metrics\""));
        String all = rule.toString();
        for (String alert : ALERTS) {
            assertThat(all).contains("alert=" + alert);
        }
        assertThat(all).contains("for=30m", ">= 0.75", "> 2");
        assertThat(MonitoringQueries.ruleExpressions(
                        HelmChart.render("metrics: {prometheusRule: {enabled: true, job: ase}}")))
                .allSatisfy(e -> assertThat(e).contains("job=\"ase\"").doesNotContain("ase-operator-metrics"));
        assertThatThrownBy(() -> HelmChart.render("metrics: {prometheusRule: {capacityRatio: 2}}"))
                .hasMessageContaining("capacityRatio");
        assertThatThrownBy(() -> HelmChart.render("metrics: {prometheusRule: {environmentNotReadyFor: soon}}"))
                .hasMessageContaining("environmentNotReadyFor");
        assertThatThrownBy(() -> HelmChart.render("metrics: {dashboard: {folder: ASE}}"))
                .hasMessageContaining("folder");
    }

    /** promtool (Debian's prometheus package) accepts the rules: PromQL, durations, templates. */
    @Test
    void promtoolAcceptsTheRules() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(promtool)) {
            assertThat("true".equals(System.getenv("CI")))
                    .as("in CI promtool must be installed (.ci/run installs prometheus)")
                    .isFalse();
            Assumptions.abort("promtool is not installed (apt-get install prometheus)");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) HelmChart.render(MonitoringQueries.ENABLED)
                .ofKind("PrometheusRule")
                .get(0)
                .get("spec");
        Path rules = Files.createTempFile("ase-operator-rules", ".yaml");
        try {
            new ObjectMapper(new YAMLFactory()).writeValue(rules.toFile(), Map.of("groups", spec.get("groups")));
            Process check = new ProcessBuilder(promtool.toString(), "check", "rules", rules.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(check.getInputStream().readAllBytes());
            assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(check.exitValue()).as(output).isZero();
            assertThat(output).contains("SUCCESS: " + ALERTS.size() + " rules found");
        } finally {
            Files.deleteIfExists(rules);
        }
    }

    /** The metric names are read the way PromQL reads them (the packaged operator's scrape is checked against them). */
    @Test
    void metricNamesAreTakenFromQueries() {
        assertThat(
                        MonitoringQueries.metricNames(
                                "histogram_quantile(0.99, sum by (controller_name, le) (rate(a_bucket{job=~\"$job\",x=\"y z\"}[$__rate_interval])))"
                                        + " / on(job) group_left max without (b) (c_total offset 5m) > bool 0.9 and absent(up{job=\"j\"} == 1)"))
                .containsExactly("a_bucket", "c_total", "up");
        assertThat(MonitoringQueries.selectorLabels(
                        List.of("rate(a{job=~\"$job\",x=\"y}\", z != \"\"}[5m]) / b{le=\"1\"} + c")))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("a", java.util.Set.of("x", "z"), "b", java.util.Set.of("le")));
        Manifest chart = HelmChart.render(MonitoringQueries.ENABLED);
        assertThat(MonitoringQueries.metricNames(chart))
                .contains(
                        "reconciliations_failure_total",
                        "ase_admission_reviews_total",
                        "ase_environment_condition",
                        "ase_environment_instances_used",
                        "ase_resources",
                        "ase_operator_leader",
                        "up")
                .allSatisfy(n -> assertThat(n).matches("[a-z_:]+"));
    }
}
