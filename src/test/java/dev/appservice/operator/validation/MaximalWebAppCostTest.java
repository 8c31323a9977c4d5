package dev.appservice.operator.validation;

import static dev.appservice.operator.testing.Fixtures.environment;
import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AccessRestriction;
import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppSpec;
import dev.appservice.operator.config.NetworkSettings;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.testing.BeforeAdmission;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.HostileResources;
import dev.appservice.operator.testing.MaximalWebApp;
import dev.appservice.operator.testing.MaximalWebApp.Shape;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openjdk.jol.info.GraphLayout;

/**
 * The cost of the largest WebApp the rules admit (issue 27), as data: {@link MaximalWebApp} is
 * admitted, one more of anything is refused naming the field and the limit, and what the operator
 * holds of it once deserialised from its JSON and kept in an informer cache (measured with JOL) is within
 * {@link WebAppBudget#RETAINED_BYTES}. Sizes, not timings.
 */
class MaximalWebAppCostTest {
    static final String NS = "tenant";
    static final NetworkSettings NETWORK = OperatorSettings.defaults().network();
    static final KubernetesSerialization JSON = new KubernetesSerialization();

    final AppServiceEnvironment ase = environment(NS, "ase1");
    final IsolatedPlan plan = plan(NS, MaximalWebApp.PLAN, "ase1", InstanceSize.I3, 2);
    final ClusterView view = ClusterView.of(List.of(ase), List.of(plan), List.of());

    @ParameterizedTest
    @EnumSource(Shape.class)
    void theLargestAdmissibleWebAppIsAdmittedAndCostsAtMostItsBudget(Shape shape) {
        WebApp app = MaximalWebApp.build(NS, shape);
        assertThat(BeforeAdmission.refusals(app))
                .as(shape + " passes the schema")
                .isEmpty();
        assertThat(errors(app)).as(shape + " is admitted").isEmpty();
        assertThat(WebAppBudget.objectBytes(app)).isEqualTo(WebAppBudget.MAX_OBJECT_BYTES);

        // What the operator holds: the object as the API server sends it, deserialised (no strings shared with the
        // builder), with what the server adds.
        // One uid per shape: the caches keep one copy per uid and version, across stores.
        app.getMetadata().setUid("3f1c2a4e-0000-4000-8000-00000000000" + shape.ordinal());
        app.getMetadata().setResourceVersion("123456789");
        app.getMetadata().setCreationTimestamp("2026-12-03T07:30:00Z");
        app.getMetadata().setGeneration(1L);
        String json = JSON.asJson(app);
        // Kept as the operator's informer caches keep it (SharingItemStore: one copy per version, empty maps and lists
        // shared).
        var cache = new dev.appservice.operator.informer.SharingItemStore<WebApp>();
        cache.put(NS + "/" + app.getMetadata().getName(), JSON.unmarshal(json, WebApp.class));
        WebApp held = cache.get(NS + "/" + app.getMetadata().getName());
        long retained = GraphLayout.parseInstance(held).totalSize();
        System.out.printf(
                "maximal WebApp (%s): %d bytes as JSON, %d bytes retained (%.1f KiB; budget %d KiB)%n",
                shape,
                json.getBytes(StandardCharsets.UTF_8).length,
                retained,
                retained / 1024.0,
                WebAppBudget.RETAINED_BYTES / 1024);
        System.out.printf(
                "  of which env %d, access rules %d, slots %d, host names %d, owner references %d, annotations %d%n",
                GraphLayout.parseInstance(held.getSpec().getEnv()).totalSize(),
                GraphLayout.parseInstance(held.getSpec().getAccessRestrictions())
                        .totalSize(),
                GraphLayout.parseInstance(held.getSpec().getSlots()).totalSize(),
                GraphLayout.parseInstance(held.getSpec().getHostNames()).totalSize(),
                GraphLayout.parseInstance(held.getMetadata().getOwnerReferences())
                        .totalSize(),
                GraphLayout.parseInstance(held.getMetadata().getAnnotations()).totalSize());
        assertThat(retained).as(shape + ": retained heap").isLessThanOrEqualTo(WebAppBudget.RETAINED_BYTES);
    }

    /** Under other names (the benchmark's maximal-0 to maximal-499) the app is as large, and admitted. */
    @ParameterizedTest
    @EnumSource(Shape.class)
    void everyNameMakesAsLargeAnApp(Shape shape) {
        for (String name : List.of("m", "maximal-7", "maximal-42", "maximal-499")) {
            WebApp app = MaximalWebApp.build(NS, name, shape);
            assertThat(errors(app)).as(name).isEmpty();
            // Full, or short by less than the smallest addition (an empty annotation, {"fill":""}).
            assertThat(WebAppBudget.objectBytes(app))
                    .as(name)
                    .isBetween((long) WebAppBudget.MAX_OBJECT_BYTES - "{\"fill\":\"\"}".length(), (long)
                            WebAppBudget.MAX_OBJECT_BYTES);
        }
    }

    /** The maximal app is full in bytes, its variables and metadata entries at their counts: any addition is refused, naming a field and the limit. */
    @ParameterizedTest
    @EnumSource(Shape.class)
    void oneMoreOfAnythingOnTheMaximalAppIsRefused(Shape shape) {
        String bytes = "at most " + WebAppBudget.MAX_OBJECT_BYTES + " bytes";
        refused(
                MaximalWebApp.build(NS, shape),
                app -> app.getSpec().getSlots().get(0).getAccessRestrictions().add(MaximalWebApp.shortestRule(0)),
                bytes);
        refused(
                MaximalWebApp.build(NS, shape),
                app -> app.getSpec().getSlots().get(0).setEnv(List.of(oneVariable())),
                "at most " + WebAppBudget.MAX_ENV_ENTRIES + " across the app and its slots");
        refused(
                MaximalWebApp.build(NS, shape),
                app -> app.getMetadata().setLabels(Map.of("l", "")),
                "at most " + WebAppBudget.MAX_METADATA_ENTRIES + " together");
        refused(
                MaximalWebApp.build(NS, shape),
                app -> app.getMetadata().getAnnotations().compute("fill", (k, v) -> v + "x"),
                bytes);
        refused(
                MaximalWebApp.build(NS, shape),
                app -> app.getSpec().getHostNames().add("h.contoso.com"),
                bytes);
    }

    /** Each count is a limit of its own, reached with the shortest entries well within the bytes. */
    @org.junit.jupiter.api.Test
    void eachCountLimitRefusesOneMoreNamingTheFieldAndTheLimit() {
        WebApp rules = atLimit(app -> {
            List<AccessRestriction> list = new ArrayList<>();
            for (int i = 0; i < WebAppBudget.MAX_ACCESS_RULES; i++) {
                list.add(MaximalWebApp.shortestRule(i));
            }
            app.getSpec().setAccessRestrictions(list);
            app.getSpec().setSlots(HostileResources.slots(1));
            app.getSpec().getSlots().get(0).setAccessRestrictions(new ArrayList<>());
        });
        refused(
                rules,
                app -> app.getSpec().getSlots().get(0).getAccessRestrictions().add(MaximalWebApp.shortestRule(0)),
                "spec.accessRestrictions",
                "at most " + WebAppBudget.MAX_ACCESS_RULES + " across the app and its slots");
        WebApp env = atLimit(app -> {
            List<EnvVar> list = new ArrayList<>();
            for (int i = 0; i < WebAppBudget.MAX_ENV_ENTRIES; i++) {
                list.add(oneVariable());
            }
            app.getSpec().setEnv(list);
            app.getSpec().setSlots(HostileResources.slots(1));
        });
        refused(
                env,
                app -> app.getSpec().getSlots().get(0).setEnv(List.of(oneVariable())),
                "spec.env",
                "at most " + WebAppBudget.MAX_ENV_ENTRIES + " across the app and its slots");
        WebApp metadata = atLimit(app -> {
            Map<String, String> labels = new LinkedHashMap<>();
            for (int i = 0; i < WebAppBudget.MAX_METADATA_ENTRIES; i++) {
                labels.put("l" + i, "");
            }
            app.getMetadata().setLabels(labels);
        });
        refused(
                metadata,
                app -> app.getMetadata().setAnnotations(Map.of("a", "")),
                "metadata",
                "at most " + WebAppBudget.MAX_METADATA_ENTRIES + " together");
        // The slots' count is the CRD schema's (maxItems), refused before admission.
        WebApp slots = atLimit(app -> app.getSpec().setSlots(HostileResources.slots(WebAppSpec.MAX_SLOTS)));
        slots.getSpec()
                .getSlots()
                .add(HostileResources.slots(WebAppSpec.MAX_SLOTS + 1).get(WebAppSpec.MAX_SLOTS));
        assertThat(BeforeAdmission.refusals(slots))
                .containsExactly("WebApp " + NS + "/" + MaximalWebApp.NAME + ": spec.slots: Too many: "
                        + (WebAppSpec.MAX_SLOTS + 1) + ": must have at most " + WebAppSpec.MAX_SLOTS + " items");
    }

    private WebApp atLimit(Consumer<WebApp> fill) {
        WebApp app = Fixtures.app(NS, MaximalWebApp.NAME, MaximalWebApp.PLAN, 8080);
        fill.accept(app);
        assertThat(BeforeAdmission.refusals(app))
                .as("at the limit, the schema takes it")
                .isEmpty();
        assertThat(errors(app)).as("at the limit").isEmpty();
        return app;
    }

    private void refused(WebApp app, Consumer<WebApp> oneMore, String field, String limit) {
        oneMore.accept(app);
        assertThat(errors(app)).anySatisfy(v -> {
            assertThat(v.object()).isEqualTo("WebApp " + NS + "/" + MaximalWebApp.NAME);
            assertThat(v.field()).isEqualTo(field);
            assertThat(v.message()).contains(limit);
        });
    }

    private static EnvVar oneVariable() {
        return new EnvVarBuilder().withName("ONE_MORE").withValue("").build();
    }

    /**
     * Issue 27's object, admitted before this budget: 512 access rules on the app and on each of its
     * 20 slots. Now refused before any other rule, naming the field and the limit; its cost is
     * printed for the record (README).
     */
    @org.junit.jupiter.api.Test
    void issue27sObjectIsRefusedByTheBudget() {
        WebApp app = RunningAppsAdmissionTest.maximal("issue-27");
        app.getMetadata().setNamespace(NS);
        String json = JSON.asJson(app);
        long retained =
                GraphLayout.parseInstance(JSON.unmarshal(json, WebApp.class)).totalSize();
        System.out.printf(
                "issue 27's WebApp: %d bytes as JSON, %d bytes retained (%.2f MiB)%n",
                json.getBytes(StandardCharsets.UTF_8).length, retained, retained / 1024.0 / 1024);
        assertThat(retained).isGreaterThan(WebAppBudget.RETAINED_BYTES);
        assertThat(errors(app)).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("spec.slots[*].accessRestrictions");
            assertThat(v.message())
                    .contains("hold 10752 access rules")
                    .contains("at most " + WebAppBudget.MAX_ACCESS_RULES + " across the app and its slots");
        });
    }

    private void refused(WebApp app, Consumer<WebApp> oneMore, String limit) {
        oneMore.accept(app);
        List<Violation> errors = errors(app);
        assertThat(errors).as(limit).isNotEmpty();
        assertThat(errors).anySatisfy(v -> {
            assertThat(v.object()).isEqualTo("WebApp " + NS + "/" + MaximalWebApp.NAME);
            assertThat(v.field()).isNotBlank();
            assertThat(v.message()).contains(limit);
        });
    }

    private List<Violation> errors(WebApp app) {
        return AdmissionRules.check(app, null, view, NETWORK).stream()
                .filter(v -> !v.warning())
                .toList();
    }
}
