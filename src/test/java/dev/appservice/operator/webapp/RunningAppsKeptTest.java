package dev.appservice.operator.webapp;

import static dev.appservice.operator.testing.Fixtures.environment;
import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import dev.appservice.operator.testing.Reconciles;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Issue 25 with admission off (the mock API server has no webhook): running apps keep running,
 * a missing parent deletes nothing, and one oversized app is held alone.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class RunningAppsKeptTest extends OperatorTest {

    @Test
    void slotsAddedToTheOldestAppWaitAndTheRunningAppsKeepRunning() throws Exception {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 2)).create();
        for (int i = 1; i <= 8; i++) {
            client.resource(Fixtures.app(ns, "app" + i, "web", 8000 + i)).create();
        }
        for (int i = 1; i <= 8; i++) {
            awaitApp("app" + i, a -> a.getStatus().getAdmittedDeployments() != null);
            awaitDeployment(ResourceNames.appWorkload("app" + i));
        }
        Map<String, String> before = versions();
        WebApp oldest =
                client.resources(WebApp.class).inNamespace(ns).withName("app1").get();
        oldest.getSpec().setSlots(dev.appservice.operator.testing.HostileResources.slots(3));
        client.resource(oldest).update();
        WebApp held = awaitApp("app1", a -> "PlanCapacityExceeded".equals(ready(a).getReason()));
        assertThat(ready(held).getMessage()).contains("no room for slots s0, s1, s2");
        assertThat(held.getStatus().getAdmittedDeployments()).containsExactly("production");
        Reconciles.awaitIdle(TIMEOUT);
        // Every app keeps its Deployment untouched; no slot of the oldest app runs.
        assertThat(versions()).isEqualTo(before);
        for (int i = 2; i <= 8; i++) {
            assertThat(ready(client.resources(WebApp.class)
                                    .inNamespace(ns)
                                    .withName("app" + i)
                                    .get())
                            .getReason())
                    .isNotEqualTo("PlanCapacityExceeded");
        }
    }

    @Test
    void aDeletedAndRecreatedPlanRestartsNoApp() throws Exception {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 2)).create();
        client.resource(Fixtures.app(ns, "shop", "web", 8080)).create();
        Deployment running = awaitDeployment(ResourceNames.appWorkload("shop"));
        client.resources(IsolatedPlan.class).inNamespace(ns).withName("web").delete();
        awaitApp("shop", a -> "PlanNotFound".equals(ready(a).getReason()));
        Reconciles.awaitIdle(TIMEOUT);
        assertThat(deployment(ResourceNames.appWorkload("shop")))
                .as("a missing plan never deletes an app's instances")
                .isNotNull();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 2)).create();
        awaitApp("shop", a -> !"PlanNotFound".equals(ready(a).getReason()));
        Reconciles.awaitIdle(TIMEOUT);
        assertThat(deployment(ResourceNames.appWorkload("shop")).getMetadata().getResourceVersion())
                .isEqualTo(running.getMetadata().getResourceVersion());
    }

    @Test
    void anOversizedAppForcedInIsHeldAloneAndTheOthersKeepTakingChanges() {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I3, 1)).create();
        client.resource(Fixtures.app(ns, "small", "web", 8080)).create();
        // Within what one WebApp may hold (else it would be InvalidSpec), past its share of the front ends: long rules
        // written again for seven slots.
        WebApp huge = dev.appservice.operator.validation.RunningAppsAdmissionTest.withRules(
                "huge", dev.appservice.operator.validation.RunningAppsAdmissionTest.LONG_RULES_IN_BUDGET, true, 7);
        huge.getMetadata().setNamespace(ns);
        huge.getSpec().setPort(9090);
        client.resource(huge).create();
        WebApp held = awaitApp("huge", a -> "FrontEndConfigurationTooLarge".equals(ready(a).getReason()));
        assertThat(ready(held).getMessage()).contains("held");
        await().atMost(TIMEOUT).until(() -> config().contains("WebApp small"));
        assertThat(config()).doesNotContain("WebApp huge");
        WebApp small =
                client.resources(WebApp.class).inNamespace(ns).withName("small").get();
        small.getSpec().setHostNames(List.of("www.contoso.com"));
        client.resource(small).update();
        await().atMost(TIMEOUT).until(() -> config().contains("www.contoso.com"));
    }

    private static io.fabric8.kubernetes.api.model.Condition ready(WebApp app) {
        io.fabric8.kubernetes.api.model.Condition ready =
                Conditions.find(app.getStatus().getConditions(), Conditions.READY);
        return ready == null ? new io.fabric8.kubernetes.api.model.Condition() : ready;
    }

    private String config() {
        StringBuilder all = new StringBuilder();
        client.configMaps().inNamespace(ns).list().getItems().stream()
                .filter(m -> m.getMetadata().getName().startsWith("ase1-frontend-config"))
                .forEach(m -> m.getData().values().forEach(all::append));
        return all.toString();
    }

    private Map<String, String> versions() {
        Map<String, String> versions = new TreeMap<>();
        client.apps().deployments().inNamespace(ns).list().getItems().stream()
                .filter(d -> !d.getMetadata().getName().equals("web-workers"))
                .filter(d -> !d.getMetadata().getName().startsWith("ase1-"))
                .forEach(d ->
                        versions.put(d.getMetadata().getName(), d.getMetadata().getResourceVersion()));
        return versions;
    }

    private Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(ns).withName(name).get();
    }

    private Deployment awaitDeployment(String name) {
        return await().atMost(TIMEOUT).until(() -> deployment(name), d -> d != null);
    }

    private WebApp awaitApp(String name, Predicate<WebApp> condition) {
        return await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> client.resources(WebApp.class)
                                .inNamespace(ns)
                                .withName(name)
                                .get(),
                        a -> a != null
                                && a.getStatus() != null
                                && a.getStatus().getConditions() != null
                                && condition.test(a));
    }
}
