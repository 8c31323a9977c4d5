package dev.appservice.operator.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL of the chart's monitoring, as the chart renders it with the dashboard and the rules
 * enabled: every query of the Grafana dashboard (panels and template variables) and every
 * expression of the PrometheusRule; and the metric names a query reads.
 */
final class MonitoringQueries {
    static final String ENABLED = "metrics: {dashboard: {enabled: true}, prometheusRule: {enabled: true}}";
    /** Series Prometheus makes itself for every target: not the operator's to export. */
    static final Set<String> MADE_BY_PROMETHEUS = Set.of("up");

    private static final Set<String> KEYWORDS = Set.of(
            "and",
            "or",
            "unless",
            "bool",
            "offset",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "inf",
            "nan");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern NAME = Pattern.compile("(?<![\\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)\\}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
    /** Labels Prometheus adds to every series of a target (the ServiceMonitor's job). */
    static final Set<String> TARGET_LABELS =
            Set.of("job", "instance", "namespace", "pod", "service", "endpoint", "container");

    private static final ObjectMapper JSON = new ObjectMapper();

    private MonitoringQueries() {}

    /** The dashboard JSON in the chart's ConfigMap (rendered with it enabled). */
    static JsonNode dashboard(Manifest chart) {
        @SuppressWarnings("unchecked")
        Map<String, String> data = (Map<String, String>) chart.ofKind("ConfigMap").stream()
                .filter(c -> Manifest.name(c).endsWith("-dashboard"))
                .findFirst()
                .orElseThrow()
                .get("data");
        try {
            return JSON.readTree(data.get("ase-operator.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every {@code expr} of the dashboard's panels. */
    static List<String> dashboardQueries(Manifest chart) {
        List<String> queries = new ArrayList<>();
        dashboard(chart).findValues("expr").forEach(e -> queries.add(e.asText()));
        return queries;
    }

    /** The metrics the dashboard's template variables read ({@code label_values(metric, label)}). */
    static Set<String> variableMetrics(Manifest chart) {
        Set<String> names = new TreeSet<>();
        for (JsonNode variable : dashboard(chart).path("templating").path("list")) {
            Matcher m = LABEL_VALUES.matcher(variable.path("definition").asText());
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** Every alert's {@code expr} in the PrometheusRule. */
    @SuppressWarnings("unchecked")
    static List<String> ruleExpressions(Manifest chart) {
        List<String> expressions = new ArrayList<>();
        Map<String, Object> spec =
                (Map<String, Object>) chart.ofKind("PrometheusRule").get(0).get("spec");
        for (Map<String, Object> group : (List<Map<String, Object>>) spec.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                expressions.add((String) rule.get("expr"));
            }
        }
        return expressions;
    }

    /** Every metric the dashboard and the rules read. */
    static Set<String> metricNames(Manifest chart) {
        Set<String> names = new TreeSet<>(variableMetrics(chart));
        dashboardQueries(chart).forEach(q -> names.addAll(metricNames(q)));
        ruleExpressions(chart).forEach(e -> names.addAll(metricNames(e)));
        return names;
    }

    /** Every query of the dashboard and expression of the rules. */
    static List<String> allQueries(Manifest chart) {
        List<String> all = new ArrayList<>(dashboardQueries(chart));
        all.addAll(ruleExpressions(chart));
        return all;
    }

    /** The label names each metric is selected by in these queries ({@code metric{label="..."}}), target labels aside. */
    static Map<String, Set<String>> selectorLabels(List<String> queries) {
        Map<String, Set<String>> labels = new java.util.TreeMap<>();
        for (String query : queries) {
            Matcher selector = SELECTOR.matcher(STRING.matcher(query).replaceAll("\"\""));
            while (selector.find()) {
                Matcher matcher = MATCHER.matcher(selector.group(2));
                while (matcher.find()) {
                    if (!TARGET_LABELS.contains(matcher.group(1))) {
                        labels.computeIfAbsent(selector.group(1), m -> new TreeSet<>())
                                .add(matcher.group(1));
                    }
                }
            }
        }
        return labels;
    }

    /**
     * The metric names one PromQL expression reads: identifiers that are neither functions,
     * keywords, label names (in braces or grouping clauses), strings, durations nor numbers.
     */
    static Set<String> metricNames(String promql) {
        String bare = STRING.matcher(promql).replaceAll("\"\"");
        bare = bare.replaceAll("\\{[^}]*\\}", " ").replaceAll("\\[[^\\]]*\\]", " ");
        bare = GROUPING.matcher(bare).replaceAll(" ");
        bare = bare.replaceAll("\\$\\{?\\w+\\}?", " ").replaceAll("\\b\\d[\\w.]*", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(bare);
        while (m.find()) {
            if (!KEYWORDS.contains(m.group(1).toLowerCase())) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
