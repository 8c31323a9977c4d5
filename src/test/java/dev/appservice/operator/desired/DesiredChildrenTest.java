package dev.appservice.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.EnvironmentVersion;
import dev.appservice.operator.api.FrontEndSettings;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.NetworkSecurityGroup;
import dev.appservice.operator.api.RuleAccess;
import dev.appservice.operator.api.RuleProtocol;
import dev.appservice.operator.api.SecurityRule;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WorkerPool;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.network.NsgCompiler;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.validation.SpecValidation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The desired children of environments and plans as data: which exist, in which order, under which names. */
class DesiredChildrenTest {
    private static final OperatorSettings SETTINGS = OperatorSettings.defaults();

    private static List<String> kindsAndNames(List<HasMetadata> children) {
        return children.stream()
                .map(c -> c.getKind() + " " + c.getMetadata().getName())
                .toList();
    }

    private static SecurityRule rule(String name, int priority, String prefix) {
        SecurityRule rule = new SecurityRule();
        rule.setName(name);
        rule.setPriority(priority);
        rule.setAccess(RuleAccess.Allow);
        rule.setProtocol(RuleProtocol.Tcp);
        rule.setSourceAddressPrefixes(List.of("Internet"));
        rule.setDestinationAddressPrefixes(List.of(prefix));
        rule.setDestinationPortRanges(List.of("443"));
        return rule;
    }

    @Test
    void aV2EnvironmentWithoutAnNsgHasItsFrontEndsServicesTheWorkerAndTheEgressPolicy() {
        AppServiceEnvironment ase = Fixtures.environment("ns", "ase");
        var children = EnvironmentChildren.offline(new EnvironmentTopology(ase, List.of()), SETTINGS);

        assertThat(kindsAndNames(children.all()))
                .containsExactly(
                        "ConfigMap ase-frontend-config",
                        "Secret ase-frontend-certs",
                        "Deployment ase-frontend",
                        "PodDisruptionBudget ase-frontend",
                        "Service ase-vip",
                        "Service ase-internal",
                        "Service ase-management",
                        "NetworkPolicy " + NsgCompiler.workerPolicyName("ase"),
                        "NetworkPolicy " + NsgCompiler.egressPolicyName("ase"));
        assertThat(children.frontEnds().getSpec().getReplicas()).isEqualTo(2);
        assertThat(children.find("Service", "ase-vip")).contains(children.vip());
        assertThat(children.find("Service", "ase-frontend")).isEmpty();
    }

    @Test
    void anNsgAddsTheFrontEndPolicyAndTheEgressPolicyIsAlwaysThere() {
        AppServiceEnvironment ase = Fixtures.environment("ns", "ase");
        NetworkSecurityGroup nsg = new NetworkSecurityGroup();
        nsg.setInboundRules(List.of(rule("https", 100, "*")));
        ase.getSpec().setNetworkSecurityGroup(nsg);
        var inboundOnly = EnvironmentChildren.offline(new EnvironmentTopology(ase, List.of()), SETTINGS);
        assertThat(inboundOnly.networkPolicies())
                .extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        NsgCompiler.workerPolicyName("ase"),
                        NsgCompiler.frontEndPolicyName("ase"),
                        NsgCompiler.egressPolicyName("ase"));

        SecurityRule out = rule("web-out", 100, "10.9.0.0/16");
        out.setSourceAddressPrefixes(List.of("*"));
        nsg.setOutboundRules(List.of(out));
        var withOutbound = EnvironmentChildren.offline(new EnvironmentTopology(ase, List.of()), SETTINGS);
        assertThat(withOutbound.networkPolicies())
                .extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        NsgCompiler.workerPolicyName("ase"),
                        NsgCompiler.frontEndPolicyName("ase"),
                        NsgCompiler.egressPolicyName("ase"));
        assertThat(withOutbound.all()).containsAll(withOutbound.networkPolicies());
    }

    @Test
    void aV1EnvironmentHasOnePlaceholderPerPoolHoldingItsFreeWorkers() {
        AppServiceEnvironment ase = Fixtures.environment("ns", "ase");
        ase.getSpec().setVersion(EnvironmentVersion.V1);
        FrontEndSettings frontEnd = new FrontEndSettings();
        frontEnd.setCount(2);
        ase.getSpec().setFrontEnd(frontEnd);
        WorkerPool small = new WorkerPool();
        small.setName("small");
        small.setCount(6);
        ase.getSpec().setWorkerPools(List.of(small));
        IsolatedPlan web = Fixtures.plan("ns", "web", "ase", InstanceSize.I1, 4);
        web.getSpec().setWorkerPool("small");

        var children = EnvironmentChildren.offline(new EnvironmentTopology(ase, List.of(web)), SETTINGS);

        assertThat(children.workerPools()).singleElement().satisfies(d -> {
            assertThat(d.getMetadata().getName()).isEqualTo(WorkerPools.deploymentName("ase", "small"));
            assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        });
        assertThat(children.all()).contains(children.workerPools().get(0));
    }

    @Test
    void everyChildNameIsUniquePerKindEvenWithManyShards() {
        AppServiceEnvironment ase = Fixtures.environment("ns", "ase");
        IsolatedPlan plan = Fixtures.plan("ns", "web", "ase", InstanceSize.I3, 10);
        List<WebApp> apps = new java.util.ArrayList<>();
        for (int i = 0; i < 32; i++) {
            WebApp app = Fixtures.app("ns", "app-" + i, "web", 8080);
            app.getSpec()
                    .setHostNames(java.util.stream.IntStream.range(0, 40)
                            .mapToObj(h -> "h" + h + "-" + app.getMetadata().getName()
                                    + ".contoso-with-a-rather-long-domain-name.example")
                            .toList());
            apps.add(app);
        }
        var children = EnvironmentChildren.offline(new EnvironmentTopology(ase, List.of(plan), apps), SETTINGS);

        List<String> names = kindsAndNames(children.all());
        assertThat(names).doesNotHaveDuplicates();
        assertThat(children.mainConfigMap().getMetadata().getName()).isEqualTo(ResourceNames.frontEndConfig("ase"));
    }

    @Test
    void aPlanHasItsPlaceholderOnlyWhileItsEnvironmentExistsAndNoServiceEvenWhenItsOnlyAppIsInvalid() {
        AppServiceEnvironment ase = Fixtures.environment("ns", "ase");
        IsolatedPlan plan = Fixtures.plan("ns", "web", "ase", InstanceSize.I1, 2);
        WebApp invalid = Fixtures.app("ns", "broken", "web", 8080);
        invalid.getSpec().setHostNames(List.of("not a host name"));
        assertThat(SpecValidation.acceptable(invalid)).isFalse();
        // The reconcilers leave invalid apps out of the topology (defect 1: such a plan once got a Service with no
        // ports).
        List<WebApp> acceptable = java.util.stream.Stream.of(invalid)
                .filter(SpecValidation::acceptable)
                .toList();

        var children =
                PlanChildren.of(plan, Optional.of(new EnvironmentTopology(ase, List.of(plan), acceptable)), SETTINGS);
        assertThat(kindsAndNames(children.all()))
                .containsExactly("Deployment " + ResourceNames.workerDeployment("web"));
        assertThat(children.workers().orElseThrow().getSpec().getReplicas()).isEqualTo(2);

        var orphan = PlanChildren.of(plan, Optional.empty(), SETTINGS);
        assertThat(orphan.all()).isEmpty();
    }
}
