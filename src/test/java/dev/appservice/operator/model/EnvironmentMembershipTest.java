package dev.appservice.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.informer.CacheIndexes;
import dev.appservice.operator.testing.Fixtures;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which environment a plan belongs to, and an app through its plan, as pure data: the environment
 * the plan names in the plan's own namespace, never another namespace's of the same name; nothing
 * while a name is missing. The informers' index and the topology decide by the same rule.
 */
class EnvironmentMembershipTest {
    final AppServiceEnvironment ase1 = Fixtures.environment("team", "ase1");
    final AppServiceEnvironment otherNamespaceAse1 = Fixtures.environment("other", "ase1");
    final IsolatedPlan web = Fixtures.plan("team", "web", "ase1", InstanceSize.I1, 1);

    @Test
    void aPlanBelongsToTheEnvironmentItNamesInItsOwnNamespace() {
        assertThat(EnvironmentMembership.environmentOf(web)).contains(new ResourceID("ase1", "team"));
        assertThat(EnvironmentMembership.belongsTo(web, ase1)).isTrue();
        assertThat(EnvironmentMembership.belongsTo(web, otherNamespaceAse1)).isFalse();
        assertThat(EnvironmentMembership.belongsTo(web, Fixtures.environment("team", "ase2")))
                .isFalse();
    }

    @Test
    void aPlanNamingNoEnvironmentBelongsToNone() {
        IsolatedPlan unnamed = Fixtures.plan("team", "web", null, InstanceSize.I1, 1);
        IsolatedPlan noSpec = Fixtures.plan("team", "web", "ase1", InstanceSize.I1, 1);
        noSpec.setSpec(null);
        for (IsolatedPlan plan : List.of(unnamed, noSpec)) {
            assertThat(EnvironmentMembership.environmentOf(plan)).isEmpty();
            assertThat(EnvironmentMembership.belongsTo(plan, ase1)).isFalse();
            assertThat(CacheIndexes.plansByEnvironment()
                            .get(CacheIndexes.PLANS_BY_ENVIRONMENT)
                            .apply(plan))
                    .isEmpty();
        }
    }

    @Test
    void anAppRunsOnThePlanItNamesInItsOwnNamespace() {
        WebApp app = Fixtures.app("team", "shop", "web", 8080);
        assertThat(EnvironmentMembership.planOf(app)).contains(new ResourceID("web", "team"));
        assertThat(EnvironmentMembership.runsOn(app, web)).isTrue();
        assertThat(EnvironmentMembership.runsOn(app, Fixtures.plan("other", "web", "ase1", InstanceSize.I1, 1)))
                .isFalse();
        assertThat(EnvironmentMembership.planOf(Fixtures.app("team", "shop", null, 8080)))
                .isEmpty();
    }

    @Test
    void anAppBelongsToItsPlansEnvironmentWhileThePlanIsFound() {
        Map<ResourceID, IsolatedPlan> plans = Map.of(ResourceID.fromResource(web), web);
        WebApp app = Fixtures.app("team", "shop", "web", 8080);
        assertThat(EnvironmentMembership.environmentOf(app, id -> Optional.ofNullable(plans.get(id))))
                .contains(new ResourceID("ase1", "team"));
        // The plan of that name in another namespace is not the app's.
        WebApp elsewhere = Fixtures.app("other", "shop", "web", 8080);
        assertThat(EnvironmentMembership.environmentOf(elsewhere, id -> Optional.ofNullable(plans.get(id))))
                .isEmpty();
        assertThat(EnvironmentMembership.environmentOf(app, id -> Optional.empty()))
                .isEmpty();
    }

    @Test
    void theIndexKeysAPlanUnderTheEnvironmentItBelongsTo() {
        assertThat(CacheIndexes.plansByEnvironment()
                        .get(CacheIndexes.PLANS_BY_ENVIRONMENT)
                        .apply(web))
                .containsExactly(CacheIndexes.key(ResourceID.fromResource(ase1)));
    }

    @Test
    void theTopologyHoldsThePlansThatBelongToItsEnvironmentOnly() {
        IsolatedPlan elsewhere = Fixtures.plan("other", "web", "ase1", InstanceSize.I1, 1);
        IsolatedPlan another = Fixtures.plan("team", "api", "ase2", InstanceSize.I1, 1);
        WebApp app = Fixtures.app("team", "shop", "web", 8080);
        WebApp otherApp = Fixtures.app("other", "shop", "web", 8080);
        EnvironmentTopology topology =
                new EnvironmentTopology(ase1, List.of(web, elsewhere, another), List.of(app, otherApp));
        assertThat(topology.plans()).containsExactly(web);
        assertThat(topology.apps(web)).containsExactly(app);
        assertThat(topology.planOf(app)).contains(web);
        assertThat(topology.planOf(otherApp)).isEmpty();
    }
}
