package dev.appservice.operator.reliability;

import static dev.appservice.operator.testing.Fixtures.environment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.NetworkSecurityGroup;
import dev.appservice.operator.network.NsgStaircases;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import dev.appservice.operator.testing.ReadyConditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What admission refuses, stored anyway (webhook bypassed or down, or two environments admitted at
 * once): the reconciler holds the environment with a reason naming what is wrong, leaves it without
 * children, and goes ahead once that is fixed. Overlapping subnets hold the later environment only;
 * IPv4-mapped IPv6 is an InvalidSpec (never an exception retried forever); an NSG whose policy would
 * not fit the API server is NetworkPolicyTooLarge.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class NetworkHoldsTest extends OperatorTest {

    Condition ready(String name) {
        return ReadyConditions.of(client, AppServiceEnvironment.class, ns, name);
    }

    Deployment frontEnds(String environment) {
        return client.apps()
                .deployments()
                .inNamespace(ns)
                .withName(environment + "-frontend")
                .get();
    }

    AppServiceEnvironment inVnet(String name, String subnet) {
        AppServiceEnvironment ase = environment(ns, name);
        ase.getSpec().getVirtualNetwork().setName(ns + "-vnet");
        ase.getSpec().getVirtualNetwork().setSubnet(subnet);
        return ase;
    }

    @Test
    void theLaterOfTwoOverlappingEnvironmentsIsHeldUntilTheSubnetIsFree() {
        client.resource(inVnet("first", "10.40.0.0/16")).create();
        await().atMost(TIMEOUT).until(() -> frontEnds("first"), d -> d != null);
        client.resource(inVnet("second", "10.40.8.0/24")).create();
        await().atMost(TIMEOUT).until(() -> ready("second"), c -> c != null && "SubnetOverlap".equals(c.getReason()));
        Condition held = ready("second");
        assertThat(held.getStatus()).isEqualTo("False");
        assertThat(held.getMessage())
                .isEqualTo("AppServiceEnvironment " + ns
                        + "/second: spec.virtualNetwork.subnet 10.40.8.0/24 overlaps subnet "
                        + "10.40.0.0/16 of AppServiceEnvironment " + ns + "/first in virtual network " + ns
                        + "-vnet; an ASE's subnet is its own: "
                        + "choose a subnet outside it");
        assertThat(frontEnds("second"))
                .as("a held environment gets no children")
                .isNull();
        assertThat(await().atMost(TIMEOUT)
                        .until(() -> ready("first"), c -> c != null)
                        .getReason())
                .as("the earlier environment keeps its subnet")
                .isNotEqualTo("SubnetOverlap");

        // The earlier environment moves to another subnet: the held one is woken by that change and goes ahead.
        client.resources(AppServiceEnvironment.class)
                .inNamespace(ns)
                .withName("first")
                .edit(e -> {
                    e.getSpec().getVirtualNetwork().setSubnet("10.41.0.0/16");
                    return e;
                });
        await().atMost(TIMEOUT).until(() -> frontEnds("second"), d -> d != null);
        await().atMost(TIMEOUT).until(() -> ready("second"), c -> c != null && !"SubnetOverlap".equals(c.getReason()));
    }

    @Test
    void anIpv4MappedSubnetIsAnInvalidSpecNamingTheField() {
        client.resource(inVnet("mapped", "::ffff:0:0/96")).create();
        await().atMost(TIMEOUT).until(() -> ready("mapped"), c -> c != null && "InvalidSpec".equals(c.getReason()));
        assertThat(ready("mapped").getMessage())
                .startsWith("AppServiceEnvironment " + ns + "/mapped: spec.virtualNetwork.subnet '::ffff:0:0/96' "
                        + "is an IPv4-mapped IPv6 address");
        assertThat(frontEnds("mapped")).isNull();
    }

    @Test
    void anNsgWhosePolicyWouldNotFitIsHeldNamingItsRules() {
        AppServiceEnvironment ase = inVnet("large", "10.42.0.0/16");
        NetworkSecurityGroup nsg = new NetworkSecurityGroup();
        nsg.setOutboundRules(NsgStaircases.scattered(300, 100));
        ase.getSpec().setNetworkSecurityGroup(nsg);
        client.resource(ase).create();
        await().atMost(TIMEOUT)
                .until(() -> ready("large"), c -> c != null && "NetworkPolicyTooLarge".equals(c.getReason()));
        assertThat(ready("large").getMessage())
                .startsWith("AppServiceEnvironment " + ns + "/large: spec.networkSecurityGroup.outboundRules "
                        + "would compile into NetworkPolicy large-egress of about ")
                .contains("'scattered-");
        assertThat(frontEnds("large")).isNull();
        // The staircase compiles compactly: an environment with it goes ahead, with its egress policy.
        AppServiceEnvironment staircase = inVnet("staircase", "10.43.0.0/16");
        NetworkSecurityGroup compact = new NetworkSecurityGroup();
        compact.setOutboundRules(NsgStaircases.staircase(300));
        staircase.getSpec().setNetworkSecurityGroup(compact);
        client.resource(staircase).create();
        await().atMost(TIMEOUT).until(() -> frontEnds("staircase"), d -> d != null);
        await().atMost(TIMEOUT)
                .until(
                        () -> client.network()
                                .networkPolicies()
                                .inNamespace(ns)
                                .withName("staircase-egress")
                                .get(),
                        p -> p != null);
        assertThat(List.of(ready("large").getReason())).containsExactly("NetworkPolicyTooLarge");
    }
}
