package dev.appservice.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.CapacityLimits;
import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.PodSecurityLevel;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.config.NetworkSettings;
import dev.appservice.operator.testing.BeforeAdmission;
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

    /** The hundred per plan is the CRD schema's (maximum), refused before admission; the rules admit up to it. */
    @Test
    void planInstancesAreCheckedAgainstTheHundredPerPlan() {
        var view = ClusterView.of(List.of(Fixtures.environment("ns", "ase")), List.of(), List.of());
        assertThat(BeforeAdmission.refusals(plan("big", CapacityLimits.PLAN_INSTANCES + 1)))
                .singleElement()
                .asString()
                .contains("IsolatedPlan ns/big: spec.instances")
                .contains("less than or equal to " + CapacityLimits.PLAN_INSTANCES);
        assertThat(BeforeAdmission.refusals(plan("big", CapacityLimits.PLAN_INSTANCES)))
                .isEmpty();
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

    /**
     * The restricted profile forbids runAsUser 0 (and says nothing of runAsGroup): an app or slot
     * with uid 0 is refused at Restricted, naming object, field and rule, and allowed at Baseline.
     */
    @Test
    void runAsUserZeroIsRefusedAtRestrictedAndAllowedAtBaseline() {
        AppServiceEnvironment restricted = Fixtures.environment("ns", "ase");
        var view = ClusterView.of(List.of(restricted), List.of(plan("web", 2)), List.of());
        WebApp asRoot = Fixtures.app("ns", "shop", "web", 80);
        asRoot.getSpec().setRunAsUser(0L);
        assertThat(errors(asRoot, null, view))
                .singleElement()
                .asString()
                .startsWith("WebApp ns/shop: spec.runAsUser 0 (root) is not allowed")
                .contains("AppServiceEnvironment ns/ase runs apps at the Restricted Pod Security level")
                .contains("\"Running as Non-root user\" forbids runAsUser 0")
                .contains("spec.podSecurity to Baseline");

        WebApp rootGroup = Fixtures.app("ns", "shop", "web", 80);
        rootGroup.getSpec().setRunAsUser(1000L);
        rootGroup.getSpec().setRunAsGroup(0L);
        assertThat(errors(rootGroup, null, view))
                .as("gid 0 is allowed by restricted")
                .isEmpty();

        WebApp slotAsRoot = Fixtures.app("ns", "shop", "web", 80);
        DeploymentSlot staging = new DeploymentSlot();
        staging.setName("staging");
        staging.setImage("registry.example/shop:2.0");
        staging.setRunAsUser(0L);
        slotAsRoot.getSpec().setSlots(List.of(staging));
        assertThat(errors(slotAsRoot, null, view))
                .singleElement()
                .asString()
                .startsWith("WebApp ns/shop: spec.slots[0].runAsUser 0 (root) is not allowed");

        AppServiceEnvironment baseline = Fixtures.environment("ns", "ase");
        baseline.getSpec().setPodSecurity(PodSecurityLevel.Baseline);
        var baselineView = ClusterView.of(List.of(baseline), List.of(plan("web", 2)), List.of());
        assertThat(errors(asRoot, null, baselineView)).isEmpty();
        assertThat(errors(slotAsRoot, null, baselineView)).isEmpty();

        // Moving the environment to Restricted under such an app is allowed, with a warning naming it.
        var withApp = ClusterView.of(List.of(baseline), List.of(plan("web", 2)), List.of(asRoot));
        List<Violation> moved = AdmissionRules.check(restricted, baseline, withApp, NETWORK);
        assertThat(moved).noneMatch(v -> !v.warning());
        assertThat(moved)
                .extracting(Violation::describe)
                .anySatisfy(w -> assertThat(w)
                        .startsWith("AppServiceEnvironment ns/ase: spec.podSecurity Restricted forbids runAsUser 0")
                        .contains("WebApp ns/shop"));
    }

    private static List<String> warnings(Object object, ClusterView view) {
        return AdmissionRules.check(object, null, view, NETWORK).stream()
                .filter(Violation::warning)
                .map(Violation::describe)
                .toList();
    }

    /** Environment A without a gateway, whose VIP B's rule names: B is warned, naming the rule and A. */
    @Test
    void aRuleNamingTheVipOfAnEnvironmentWithoutAFixedOutboundAddressIsWarnedAbout() {
        AppServiceEnvironment a = Fixtures.environment("ns", "ase-a");
        a.setStatus(new dev.appservice.operator.api.AppServiceEnvironmentStatus());
        a.getStatus().setVipAddress("203.0.113.10");
        AppServiceEnvironment b = Fixtures.environment("ns", "ase-b");
        var nsg = new dev.appservice.operator.api.NetworkSecurityGroup();
        var rule = new dev.appservice.operator.api.SecurityRule();
        rule.setName("allow-a");
        rule.setPriority(200);
        rule.setAccess(dev.appservice.operator.api.RuleAccess.Allow);
        rule.setProtocol(dev.appservice.operator.api.RuleProtocol.Tcp);
        rule.setSourceAddressPrefixes(List.of("203.0.113.10/32"));
        rule.setDestinationPortRanges(List.of("443"));
        nsg.setInboundRules(List.of(rule));
        b.getSpec().setNetworkSecurityGroup(nsg);
        ClusterView view = ClusterView.of(List.of(a, b), List.of(), List.of());

        assertThat(errors(b, null, view)).isEmpty();
        assertThat(warnings(b, view))
                .anySatisfy(w -> assertThat(w)
                        .contains("rule 'allow-a' (priority 200)")
                        .contains("environment ns/ase-a")
                        .contains("ase-a has no fixed outbound address"));

        // With A's gateway holding that address, the rule admits A's apps: no warning.
        var gateway = new dev.appservice.operator.api.EgressGateway();
        gateway.setProvider(dev.appservice.operator.api.EgressGatewayProvider.OVNKubernetes);
        gateway.setAddresses(List.of("203.0.113.10"));
        var outbound = new dev.appservice.operator.api.OutboundSettings();
        outbound.setEgressGateway(gateway);
        a.getSpec().setOutbound(outbound);
        assertThat(warnings(b, view)).noneMatch(w -> w.contains("fixed outbound address"));
    }

    @Test
    void aGatewaysAddressesMustFitItsProvider() {
        AppServiceEnvironment ase = Fixtures.environment("ns", "ase");
        var gateway = new dev.appservice.operator.api.EgressGateway();
        gateway.setProvider(dev.appservice.operator.api.EgressGatewayProvider.Cilium);
        gateway.setAddresses(List.of("203.0.113.10", "2001:db8::10"));
        var outbound = new dev.appservice.operator.api.OutboundSettings();
        outbound.setEgressGateway(gateway);
        ase.getSpec().setOutbound(outbound);
        ClusterView view = ClusterView.of(List.of(ase), List.of(), List.of());
        assertThat(errors(ase, null, view))
                .anySatisfy(e -> assertThat(e)
                        .contains("spec.outbound.egressGateway.addresses")
                        .contains("one IPv4"));

        gateway.setProvider(dev.appservice.operator.api.EgressGatewayProvider.Antrea);
        assertThat(errors(ase, null, view)).as("Antrea: one IPv4 and one IPv6").isEmpty();

        gateway.setAddresses(List.of("203.0.113.10/32"));
        assertThat(errors(ase, null, view))
                .anySatisfy(e -> assertThat(e).contains("addresses[0]").contains("without a prefix length"));
        gateway.setAddresses(List.of("example.com"));
        assertThat(errors(ase, null, view)).anySatisfy(e -> assertThat(e).contains("is not an IPv4 or IPv6 address"));
    }
}
