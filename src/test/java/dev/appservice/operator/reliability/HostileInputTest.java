package dev.appservice.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.cli.DesiredObjects;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.testing.BeforeAdmission;
import dev.appservice.operator.testing.HostileResources;
import dev.appservice.operator.validation.AdmissionRules;
import dev.appservice.operator.validation.ClusterView;
import dev.appservice.operator.validation.Violation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Randomized hostile input (fixed seed, thousands of cases): huge and negative counts, empty and
 * unicode strings, names so long that child names would pass 63 characters, invalid CIDRs,
 * duplicate priorities, thousands of NSG rules. Each resource is either rejected, by what the API
 * server and {@code validate} check first (metadata rules, the CRD's schema: {@link
 * BeforeAdmission}) or by the admission rules, with a message naming object and field, or turned
 * into objects that Kubernetes accepts:
 * names and label values within their limits and formats. Nothing throws. A property test of tens
 * of seconds: CI runs it, the quick loop does not.
 */
@org.junit.jupiter.api.Tag(dev.appservice.operator.testing.TestGroups.SLOW)
public class HostileInputTest {
    static final long SEED = 8_2026_1121L;
    static final int CASES = 3000;
    static final Pattern DNS_1035 = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");
    static final Pattern DNS_1123_SUBDOMAIN =
            Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    static final Pattern LABEL_VALUE = Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");
    final HostileResources generator = new HostileResources(SEED);

    @Test
    void everyHostileResourceIsRejectedClearlyOrRenderedIntoValidObjects() {
        int rejected = 0;
        int rendered = 0;
        for (int i = 0; i < CASES; i++) {
            HostileResources.Case generated = generator.next(i);
            AppServiceEnvironment ase = generated.environment();
            IsolatedPlan plan = generated.plan();
            WebApp app = generated.app();
            String what = "case " + i + ": " + ase.getMetadata().getName();
            try {
                // As the API server and validate: the metadata rules and the CRD's schema first; the admission
                // rules see only what passed them (and only admitted objects are in the cluster's view).
                List<String> refusedFirst = new ArrayList<>();
                boolean environmentPasses = admissible(ase, refusedFirst);
                boolean planPasses = admissible(plan, refusedFirst);
                boolean appPasses = admissible(app, refusedFirst);
                for (String refusal : refusedFirst) {
                    assertThat(refusal)
                            .as(what)
                            .matches("^(AppServiceEnvironment|IsolatedPlan|WebApp) [^/]*/.*: \\S.*");
                }
                List<AppServiceEnvironment> environments = environmentPasses ? List.of(ase) : List.of();
                List<IsolatedPlan> plans = planPasses ? List.of(plan) : List.of();
                ClusterView empty = ClusterView.of(List.of(), List.of(), List.of());
                List<Violation> environmentProblems = environmentPasses
                        ? AdmissionRules.check(
                                ase, null, empty, OperatorSettings.defaults().network())
                        : List.of();
                List<Violation> planProblems = planPasses
                        ? AdmissionRules.check(
                                plan,
                                null,
                                ClusterView.of(environments, List.of(), List.of()),
                                OperatorSettings.defaults().network())
                        : List.of();
                List<Violation> appProblems = appPasses
                        ? AdmissionRules.check(
                                app,
                                null,
                                ClusterView.of(environments, plans, List.of()),
                                OperatorSettings.defaults().network())
                        : List.of();
                for (Violation v : concat(environmentProblems, planProblems, appProblems)) {
                    assertThat(v.describe())
                            .as(what)
                            .matches("^(AppServiceEnvironment|IsolatedPlan|WebApp) [^/]*/.*: \\S.*");
                    assertThat(v.field()).as(what).isNotBlank();
                }
                if (!refusedFirst.isEmpty()
                        || concat(environmentProblems, planProblems, appProblems).stream()
                                .anyMatch(v -> !v.warning())) {
                    rejected++;
                    continue;
                }
                List<HasMetadata> objects = DesiredObjects.of(
                        List.of(ase), List.of(plan), List.of(app), OperatorSettings.defaults(), w -> {});
                for (HasMetadata o : objects) {
                    assertValid(o, what);
                }
                rendered++;
            } catch (RuntimeException | StackOverflowError e) {
                fail(what + " threw " + e, e);
            }
        }
        assertThat(rejected).as("rejected").isGreaterThan(CASES / 10);
        assertThat(rendered).as("rendered").isGreaterThan(CASES / 10);
    }

    /** What the API server would refuse in a child, or the kubelet in its pod: names, label values, selectors, ports. */
    public static void assertValid(HasMetadata o, String what) {
        String name = o.getMetadata().getName();
        assertThat(name)
                .as(what + ": %s name", o.getKind())
                .hasSizeLessThanOrEqualTo(63)
                .matches(DNS_1035);
        labels(o.getMetadata().getLabels(), what);
        if (o instanceof Deployment d) {
            PodTemplateSpec template = d.getSpec().getTemplate();
            labels(template.getMetadata().getLabels(), what);
            labels(d.getSpec().getSelector().getMatchLabels(), what);
            assertThat(template.getMetadata().getLabels())
                    .as(what)
                    .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
            var affinity = template.getSpec().getAffinity();
            if (affinity != null && affinity.getNodeAffinity() != null) {
                affinity.getNodeAffinity()
                        .getRequiredDuringSchedulingIgnoredDuringExecution()
                        .getNodeSelectorTerms()
                        .forEach(term -> term.getMatchExpressions()
                                .forEach(e -> e.getValues()
                                        .forEach(v -> assertThat(v)
                                                .as(what + ": node affinity value")
                                                .hasSizeLessThanOrEqualTo(63)
                                                .matches(LABEL_VALUE))));
            }
            assertThat(d.getSpec().getReplicas()).as(what + " replicas").isBetween(0, 200);
            template.getSpec().getContainers().forEach(c -> {
                assertThat(c.getName())
                        .as(what + " container")
                        .hasSizeLessThanOrEqualTo(63)
                        .matches(DNS_1123_SUBDOMAIN);
                c.getPorts()
                        .forEach(p ->
                                assertThat(p.getName()).as(what + " port name").hasSizeLessThanOrEqualTo(15));
            });
        }
    }

    static void labels(Map<String, String> labels, String what) {
        if (labels == null) {
            return;
        }
        labels.forEach((k, v) -> assertThat(v)
                .as(what + ": label " + k)
                .hasSizeLessThanOrEqualTo(63)
                .matches(LABEL_VALUE));
    }

    /** Whether the object passes what is checked before admission; its refusals added to {@code refused}. */
    static boolean admissible(HasMetadata object, List<String> refused) {
        List<String> found = BeforeAdmission.refusals(object);
        refused.addAll(found);
        return found.isEmpty();
    }

    @SafeVarargs
    static List<Violation> concat(List<Violation>... lists) {
        List<Violation> all = new ArrayList<>();
        for (List<Violation> l : lists) {
            all.addAll(l);
        }
        return all;
    }
}
