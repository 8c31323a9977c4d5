package dev.appservice.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.CapacityLimits;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.config.NetworkSettings;
import dev.appservice.operator.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The admission rules as data: an object, its previous version and a view of the others in; violations out. */
class AdmissionRulesTest {
    private static final NetworkSettings NETWORK = NetworkSettings.defaults();

    private static List<String> errors(Object object, Object previous, ClusterView view) {
        return AdmissionRules.check(object, previous, view, NETWORK).stream()
                .filter(v -> !v.warning())
                .map(Violation::describe)
                .toList();
    }

    private static IsolatedPlan plan(String name, int instances) {
        return Fixtures.plan("ns", name, "ase", InstanceSize.I1, instances);
    }

    @Test
    void aPlanIsRefusedPastTheEnvironmentsLimitNamingObjectFieldAndLimit() {
        AppServiceEnvironment ase = Fixtures.environment("ns", "ase");
        ase.getSpec().setMaxInstances(20);
        var view = ClusterView.of(List.of(ase), List.of(plan("a", 15)), List.of());

        assertThat(errors(plan("b", 6), null, view))
                .singleElement()
                .asString()
                .contains("IsolatedPlan ns/b")
                .contains("spec.instances")
                .contains("limit 20")
                .contains("15 used by 1 other plan");
        assertThat(errors(plan("b", 5), null, view)).isEmpty();
    }

    @Test
    void planInstancesAreCheckedAgainstTheHundredPerPlan() {
        var view = ClusterView.of(List.of(Fixtures.environment("ns", "ase")), List.of(), List.of());
        assertThat(errors(plan("big", CapacityLimits.PLAN_INSTANCES + 1), null, view))
                .singleElement()
                .asString()
                .contains("spec.instances")
                .contains(String.valueOf(CapacityLimits.PLAN_INSTANCES));
        assertThat(errors(plan("big", CapacityLimits.PLAN_INSTANCES), null, view))
                .isEmpty();
    }

    @Test
    void aPlanBeingDeletedDoesNotCountAgainstTheLimitAsTheReconcilersDoNotCountIt() {
        AppServiceEnvironment ase = Fixtures.environment("ns", "ase");
        ase.getSpec().setMaxInstances(20);
        IsolatedPlan leaving = plan("leaving", 15);
        leaving.getMetadata().setDeletionTimestamp("2026-11-27T00:00:00Z");
        var view = ClusterView.of(List.of(ase), List.of(leaving), List.of());

        assertThat(errors(plan("b", 20), null, view)).isEmpty();
    }

    @Test
    void shrinkingAnEnvironmentBelowWhatItsPlansUseIsRefused() {
        AppServiceEnvironment ase = Fixtures.environment("ns", "ase");
        ase.getSpec().setMaxInstances(30);
        var view = ClusterView.of(List.of(ase), List.of(plan("a", 12), plan("b", 10)), List.of());
        AppServiceEnvironment shrunk = Fixtures.environment("ns", "ase");
        shrunk.getSpec().setMaxInstances(21);

        assertThat(errors(shrunk, ase, view))
                .singleElement()
                .asString()
                .contains("AppServiceEnvironment ns/ase")
                .contains("spec.maxInstances")
                .contains("21 is below the 22 instances");
    }

    @Test
    void twoAppsOfAPlanMayShareAPortAndThePlanNameIsImmutable() {
        var view = ClusterView.of(
                List.of(Fixtures.environment("ns", "ase")),
                List.of(plan("p", 1)),
                List.of(Fixtures.app("ns", "first", "p", 8080)));

        // Each app has pods of its own: two apps of one plan may both listen on 8080.
        assertThat(errors(Fixtures.app("ns", "second", "p", 8080), null, view)).isEmpty();
        WebApp moved = Fixtures.app("ns", "first", "other", 8080);
        assertThat(errors(moved, Fixtures.app("ns", "first", "p", 8080), view))
                .singleElement()
                .asString()
                .contains("spec.planName")
                .contains("immutable");
    }
}
