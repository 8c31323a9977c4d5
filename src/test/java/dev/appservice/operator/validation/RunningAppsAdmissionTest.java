package dev.appservice.operator.validation;

import static dev.appservice.operator.testing.Fixtures.environment;
import static dev.appservice.operator.testing.Fixtures.plan;
import static dev.appservice.operator.testing.HostileResources.slots;
import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.RuleAccess;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppStatus;
import dev.appservice.operator.config.NetworkSettings;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.desired.NginxConfig;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 25 at admission: capacity given is kept, parents with dependents are not deleted, one app cannot jam. */
public class RunningAppsAdmissionTest {
    static final String NS = "team";
    static final NetworkSettings NETWORK = OperatorSettings.defaults().network();
    static final KubernetesSerialization JSON = new KubernetesSerialization();

    final AppServiceEnvironment ase = environment(NS, "ase1");
    final IsolatedPlan plan = plan(NS, "web", "ase1", InstanceSize.I1, 2);

    /** Eight running apps, the oldest first, each with the room its plan gave it recorded. */
    List<WebApp> running() {
        List<WebApp> apps = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            WebApp app = Fixtures.app(NS, "app" + i, "web", 8000 + i);
            app.getMetadata().setCreationTimestamp("2024-01-01T00:00:0" + i + "Z");
            app.setStatus(new WebAppStatus());
            app.getStatus().setAdmittedDeployments(List.of("production"));
            apps.add(app);
        }
        return apps;
    }

    @Test
    void slotsOnTheOldestAppThatWouldDisplaceRunningAppsAreRefusedNamingThem() {
        List<WebApp> apps = running();
        ClusterView view = ClusterView.of(List.of(ase), List.of(plan), apps);
        WebApp oldest = JSON.clone(apps.get(0));
        oldest.getSpec().setSlots(slots(3));
        List<Violation> problems = AdmissionRules.check(oldest, apps.get(0), view, NETWORK);
        assertThat(problems).filteredOn(v -> !v.warning()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("spec.slots");
            assertThat(v.describe())
                    .contains("3 more deployments")
                    .contains("runs at most 8 apps and slots on its I1 instances (8 running, 0 free)")
                    .contains("would displace running WebApps app8, app7, app6");
        });
        // Removing slots, or a change that asks for no more room, is allowed.
        WebApp edited = JSON.clone(apps.get(0));
        edited.getSpec().setImage("registry.example/app1:2.0");
        assertThat(AdmissionRules.check(edited, apps.get(0), view, NETWORK)).noneMatch(v -> !v.warning());
    }

    @Test
    void aNewcomerIsNotRefusedButWarnedThatItWaits() {
        ClusterView view = ClusterView.of(List.of(ase), List.of(plan), running());
        WebApp ninth = Fixtures.app(NS, "app9", "web", 9009);
        assertThat(AdmissionRules.check(ninth, null, view, NETWORK))
                .allMatch(Violation::warning)
                .anySatisfy(v -> assertThat(v.message()).contains("will not run (PlanCapacityExceeded)"));
    }

    @Test
    void aSmallerSizeThatWouldLeaveRunningAppsWithoutRoomIsRefused() {
        IsolatedPlan large = plan(NS, "web", "ase1", InstanceSize.I2, 2);
        List<WebApp> apps = new ArrayList<>(running());
        for (int i = 9; i <= 12; i++) {
            WebApp app = Fixtures.app(NS, "app" + i, "web", 8000 + i);
            app.getMetadata().setCreationTimestamp("2024-01-01T00:00:" + (10 + i) + "Z");
            app.setStatus(new WebAppStatus());
            app.getStatus().setAdmittedDeployments(List.of("production"));
            apps.add(app);
        }
        ClusterView view = ClusterView.of(List.of(ase), List.of(large), apps);
        List<Violation> problems = AdmissionRules.check(plan, large, view, NETWORK);
        assertThat(problems).filteredOn(v -> !v.warning()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("spec.size");
            assertThat(v.message())
                    .contains("I1 runs at most 8 apps and slots per instance, below the 12")
                    .contains("app12, app11, app10, app9");
        });
        // Fewer instances displace no app: each app runs on every instance.
        IsolatedPlan fewer = plan(NS, "web", "ase1", InstanceSize.I2, 1);
        assertThat(AdmissionRules.check(fewer, large, view, NETWORK)).noneMatch(v -> !v.warning());
    }

    @Test
    void deletingAParentWithDependentsIsRefusedNamingUpToTenUnlessAnnotated() {
        List<WebApp> apps = new ArrayList<>(running());
        for (int i = 9; i <= 12; i++) {
            apps.add(Fixtures.app(NS, "app" + i, "web", 8000 + i));
        }
        ClusterView view = ClusterView.of(List.of(ase), List.of(plan), apps);
        assertThat(DeletionRules.check(plan, view))
                .singleElement()
                .satisfies(v -> assertThat(v.describe())
                        .startsWith(
                                "IsolatedPlan team/web: cannot be deleted while 12 WebApps depend on it (app1, app10,")
                        .contains("and 2 more")
                        .contains("appservice.dev/allow-delete-with-dependents=\"true\""));
        assertThat(DeletionRules.check(ase, view))
                .singleElement()
                .satisfies(v -> assertThat(v.describe())
                        .contains("cannot be deleted while 1 IsolatedPlan depends on it (web)"));
        plan.getMetadata().setAnnotations(Map.of(DeletionRules.ALLOW_DELETE_WITH_DEPENDENTS, "true"));
        assertThat(DeletionRules.check(plan, view)).isEmpty();
        assertThat(DeletionRules.check(ase, ClusterView.of(List.of(ase), List.of(), List.of())))
                .isEmpty();
    }

    /** 512 access rules on the app and on each of its 20 slots. */
    public static WebApp maximal(String name) {
        WebApp app = Fixtures.app(NS, name, "web", 8080);
        List<dev.appservice.operator.api.AccessRestriction> rules = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            rules.add(Fixtures.accessRestriction(
                    "rule-" + i, 100 + i, RuleAccess.Allow, "10." + (i / 256) + "." + (i % 256) + ".0/24"));
        }
        app.getSpec().setAccessRestrictions(rules);
        List<DeploymentSlot> slots = slots(20);
        slots.forEach(s -> s.setAccessRestrictions(rules));
        app.getSpec().setSlots(slots);
        return app;
    }

    @Test
    void anAppWhoseShareOfTheFrontEndsWouldBeTooLargeIsRefusedNamingItsField() {
        IsolatedPlan i3 = plan(NS, "web", "ase1", InstanceSize.I3, 2);
        ClusterView view = ClusterView.of(List.of(ase), List.of(i3), List.of());
        // 512 rules on the app, held again by each of its 20 slots (none has a list of its own): the object holds
        // 512 (within WebAppBudget), the front ends would write 10752, past what one app may hold there.
        WebApp app = withRules("huge", 512, false, 20);
        assertThat(AdmissionRules.check(app, null, view, NETWORK))
                .filteredOn(v -> !v.warning())
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.field()).isEqualTo("spec.accessRestrictions");
                    assertThat(v.message())
                            .contains("make 10752 access rules across the app and its 20 slots")
                            .contains("at most " + FrontEndShareRules.MAX_ACCESS_RULES_PER_APP
                                    + " per app (512 in each list)");
                });
        // Issue 27's object, 512 rules on the app and on each slot's own list, is refused before: by what one
        // WebApp may hold (MaximalWebAppCostTest).
        assertThat(AdmissionRules.check(maximal("issue-27"), null, view, NETWORK))
                .filteredOn(v -> !v.warning())
                .singleElement()
                .satisfies(v -> assertThat(v.message())
                        .contains("at most " + WebAppBudget.MAX_ACCESS_RULES + " across the app and its slots"));
    }

    /** An app with {@code rules} access rules (long ones: IPv6 /128, 80-character names) and {@code slots} slots. */
    public static WebApp withRules(String name, int rules, boolean longest, int slots) {
        WebApp app = Fixtures.app(NS, name, "web", 8080);
        List<dev.appservice.operator.api.AccessRestriction> list = new ArrayList<>();
        for (int i = 0; i < rules; i++) {
            list.add(Fixtures.accessRestriction(
                    longest ? String.format("%-80s", "rule-" + i).replace(' ', 'x') : "r" + i,
                    100 + i,
                    RuleAccess.Allow,
                    longest
                            ? String.format("fd00:ffff:ffff:ffff:ffff:ffff:ffff:%04x/128", i)
                            : "10." + (i / 256) + "." + (i % 256) + ".0/24"));
        }
        app.getSpec().setAccessRestrictions(list);
        app.getSpec().setSlots(slots == 0 ? null : slots(slots));
        return app;
    }

    /** Long rules (IPv6 /128, 80-character names) that fit in what one WebApp may hold: about 180 bytes each. */
    public static final int LONG_RULES_IN_BUDGET = 250;

    @Test
    void oneAppHoldsAtMostItsCountOfAccessRulesAcrossItsSlotsThenItsShareInBytes() {
        IsolatedPlan i3 = plan(NS, "web", "ase1", InstanceSize.I3, 2);
        ClusterView view = ClusterView.of(List.of(ase), List.of(i3), List.of());
        // 512 rules, held again by three slots without their own: 2048, the cap, and within the byte share.
        assertThat(AdmissionRules.check(withRules("full", 512, false, 3), null, view, NETWORK))
                .noneMatch(v -> !v.warning());
        // A fourth such slot: 2560, refused by count, naming the app's list.
        assertThat(AdmissionRules.check(withRules("more", 512, false, 4), null, view, NETWORK))
                .filteredOn(v -> !v.warning())
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.field()).isEqualTo("spec.accessRestrictions");
                    assertThat(v.message())
                            .contains("make 2560 access rules across the app and its 4 slots")
                            .contains("written again for 4 slots without a list of their own")
                            .contains("at most 2048 per app");
                });
        // Within the count and within what one WebApp may hold (WebAppBudget's bytes), but long rules written again
        // for seven slots: the byte share refuses, naming the field that weighs most.
        assertThat(AdmissionRules.check(withRules("long", LONG_RULES_IN_BUDGET, true, 7), null, view, NETWORK))
                .filteredOn(v -> !v.warning())
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.field()).isEqualTo("spec.accessRestrictions");
                    assertThat(v.message()).contains("at most " + NginxConfig.MAX_APP_BYTES + " per app");
                });
    }
}
