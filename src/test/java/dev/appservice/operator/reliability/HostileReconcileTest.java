package dev.appservice.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.ObservedStatus;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.testing.BeforeAdmission;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.HostileResources;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import dev.appservice.operator.testing.ReadyConditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hostile cases of {@link HostileInputTest}, this time stored in the API server and left to
 * the reconcilers, as when the webhook is bypassed or down (failurePolicy aside, a cluster admin
 * can remove it): every case the API server itself would store (its metadata rules and the CRD's
 * schema, {@link BeforeAdmission}: it applies them whether or not a webhook is called), admitted
 * by the webhook's rules or not, among them environments with 4,000 NSG rules. Each resource ends
 * with a Ready condition
 * that says why (reconciled, waiting, or refused with the field at fault), every child written is
 * one Kubernetes accepts, and an environment created after them all still converges.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class HostileReconcileTest extends OperatorTest {
    static final int CASES = 40;

    final List<String> namespaces = new ArrayList<>();

    @Test
    void hostileResourcesAreReconciledOrReportedAndTheOthersCarryOn() {
        List<HasMetadata> stored = storableCases();
        assertThat(stored.stream()
                        .filter(AppServiceEnvironment.class::isInstance)
                        .map(AppServiceEnvironment.class::cast)
                        .anyMatch(e -> e.getSpec().getNetworkSecurityGroup() != null
                                && e.getSpec()
                                                .getNetworkSecurityGroup()
                                                .getInboundRules()
                                                .size()
                                        >= 4000))
                .as("the cases include an NSG of 4,000 rules")
                .isTrue();
        stored.forEach(r -> client.resource(r).create());

        // Another environment, created after all of them, converges.
        client.resource(Fixtures.environment(ns, "sentinel")).create();
        client.resource(Fixtures.plan(ns, "sentinel-plan", "sentinel", InstanceSize.I1, 2))
                .create();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> client.apps()
                                        .deployments()
                                        .inNamespace(ns)
                                        .withName("sentinel-frontend")
                                        .get()
                                != null
                        && client.apps()
                                        .deployments()
                                        .inNamespace(ns)
                                        .withName("sentinel-plan-workers")
                                        .get()
                                != null);

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    for (HasMetadata resource : stored) {
                        String what = resource.getKind() + " "
                                + resource.getMetadata().getNamespace() + "/"
                                + resource.getMetadata().getName();
                        @SuppressWarnings("unchecked")
                        Condition ready = ReadyConditions.of(
                                client,
                                (Class<? extends CustomResource<?, ? extends ObservedStatus>>) resource.getClass(),
                                resource.getMetadata().getNamespace(),
                                resource.getMetadata().getName());
                        assertThat(ready).as(what + " has a Ready condition").isNotNull();
                        assertThat(ready.getReason()).as(what + " Ready reason").isNotBlank();
                        assertThat(ready.getMessage())
                                .as(what + " Ready message")
                                .isNotBlank();
                    }
                });

        List<HasMetadata> children = new ArrayList<>();
        for (String namespace : namespaces) {
            children.addAll(
                    client.apps().deployments().inNamespace(namespace).list().getItems());
            children.addAll(client.services().inNamespace(namespace).list().getItems());
            children.addAll(client.configMaps().inNamespace(namespace).list().getItems());
            children.addAll(client.network()
                    .networkPolicies()
                    .inNamespace(namespace)
                    .list()
                    .getItems());
        }
        assertThat(children)
                .as("some hostile cases were reconciled into children")
                .isNotEmpty();
        children.forEach(child -> HostileInputTest.assertValid(
                child, child.getKind() + " " + child.getMetadata().getNamespace()));
        // And nothing the operator tried to write was refused by the validating layer (the API server's rules).
        for (String namespace : namespaces) {
            assertThat(MockKubernetes.refusedWritesIn(namespace))
                    .as("writes a real API server would refuse in " + namespace)
                    .isEmpty();
        }
    }

    /**
     * The first cases the API server would store (names DNS subdomains of at most 253 characters,
     * specs the CRD's schema accepts), each in namespaces of its own, and the first case with 4,000
     * NSG rules.
     */
    private List<HasMetadata> storableCases() {
        HostileResources generator = new HostileResources(HostileInputTest.SEED);
        List<HasMetadata> stored = new ArrayList<>();
        int taken = 0;
        int big = 0;
        for (int i = 0; i < HostileInputTest.CASES && (taken < CASES || big < 1); i++) {
            HostileResources.Case c = generator.next(i);
            List<HasMetadata> resources = List.of(c.environment(), c.plan(), c.app());
            boolean storable = resources.stream().allMatch(BeforeAdmission::passes);
            boolean huge = c.environment().getSpec().getNetworkSecurityGroup() != null
                    && c.environment()
                                    .getSpec()
                                    .getNetworkSecurityGroup()
                                    .getInboundRules()
                                    .size()
                            >= 4000;
            if (!storable || !(taken < CASES || huge && big < 1)) {
                continue;
            }
            taken++;
            big += huge ? 1 : 0;
            for (HasMetadata r : resources) {
                String namespace =
                        ns + "-" + i + "-" + r.getMetadata().getNamespace().replace("ns-", "");
                r.getMetadata().setNamespace(namespace);
                if (!namespaces.contains(namespace)) {
                    namespaces.add(namespace);
                }
                stored.add(r);
            }
        }
        return stored;
    }

    /** Removes what the test stored and what the operator made of it, so later tests share a small mock server. */
    @AfterEach
    void removeEverything() {
        namespaces.add(ns);
        for (String namespace : namespaces) {
            Stream.of(WebApp.class, IsolatedPlan.class, AppServiceEnvironment.class)
                    .forEach(type ->
                            client.resources(type).inNamespace(namespace).delete());
            client.apps().deployments().inNamespace(namespace).delete();
            client.services().inNamespace(namespace).delete();
            client.configMaps().inNamespace(namespace).delete();
            client.network().networkPolicies().inNamespace(namespace).delete();
            client.v1().events().inNamespace(namespace).delete();
        }
    }
}
