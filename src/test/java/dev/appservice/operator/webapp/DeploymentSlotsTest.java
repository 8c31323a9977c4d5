package dev.appservice.operator.webapp;

import static dev.appservice.operator.testing.Fixtures.environment;
import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.desired.NginxConfig;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import dev.appservice.operator.testing.Reconciles;
import dev.appservice.operator.testing.ServiceAddresses;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deployment slots through the running operator and the mock API server (with its validating
 * layer): slots run as workloads of their own, a swap is routing and status only, a swap to a slot
 * that is not ready changes nothing and says so, swapping back restores the first state, and slots
 * take their share of the plan's capacity.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class DeploymentSlotsTest extends OperatorTest {
    private static final String SHOP = ResourceNames.appWorkload("shop");
    private static final String STAGING = ResourceNames.slotWorkload("shop", "staging");

    @AfterEach
    void noWriteARealApiServerWouldRefuse() {
        assertThat(MockKubernetes.refusedWritesIn(ns))
                .as("writes a real API server would refuse")
                .isEmpty();
    }

    private WebApp shopWithStaging(String production) {
        WebApp app = Fixtures.app(ns, "shop", "web", 8080);
        app.getSpec()
                .setEnv(List.of(
                        new EnvVarBuilder()
                                .withName("STAGE")
                                .withValue("production")
                                .build(),
                        new EnvVarBuilder().withName("COLOR").withValue("blue").build()));
        DeploymentSlot staging = new DeploymentSlot();
        staging.setName("staging");
        staging.setImage("registry.example/shop:2.0");
        staging.setEnv(List.of(
                new EnvVarBuilder().withName("STAGE").withValue("staging").build()));
        staging.setTrafficPercent(20);
        app.getSpec().setSlots(List.of(staging));
        app.getSpec().setProduction(production);
        return app;
    }

    private void ready(String deployment) {
        Deployment d =
                client.apps().deployments().inNamespace(ns).withName(deployment).get();
        d.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(d.getSpec().getReplicas())
                .withReadyReplicas(d.getSpec().getReplicas())
                .withUpdatedReplicas(d.getSpec().getReplicas())
                .build());
        client.resource(d).updateStatus();
    }

    private WebApp awaitApp(Predicate<WebApp> condition) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> client.resources(WebApp.class)
                                .inNamespace(ns)
                                .withName("shop")
                                .get(),
                        a -> a != null && a.getStatus() != null && condition.test(a));
    }

    private String config() {
        var map = client.configMaps()
                .inNamespace(ns)
                .withName("ase1-frontend-config")
                .get();
        return map == null ? "" : map.getData().get(NginxConfig.shardFile(0));
    }

    private static Condition routed(WebApp app) {
        return Conditions.find(app.getStatus().getConditions(), ProductionSwap.CONDITION);
    }

    /** Name to resourceVersion of every Deployment and Service in the namespace. */
    private Map<String, String> workloadVersions() {
        Map<String, String> versions = new TreeMap<>();
        List<HasMetadata> all = new ArrayList<>(
                client.apps().deployments().inNamespace(ns).list().getItems());
        all.addAll(client.services().inNamespace(ns).list().getItems());
        all.forEach(o -> versions.put(
                o.getKind() + "/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
        return versions;
    }

    /** Both deployments running and ready, addressed, and the front ends routing to them. */
    private String runningShop(String firstProduction) {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 2)).create();
        client.resource(shopWithStaging(firstProduction)).create();
        await().atMost(TIMEOUT)
                .until(() -> client.services().inNamespace(ns).withName(STAGING).get() != null
                        && client.services().inNamespace(ns).withName(SHOP).get() != null);
        ServiceAddresses.assignAll(client, ns);
        ready(SHOP);
        ready(STAGING);
        String staging = client.services()
                .inNamespace(ns)
                .withName(STAGING)
                .get()
                .getSpec()
                .getClusterIP();
        await().atMost(TIMEOUT).until(() -> config().contains("server " + staging + ":8080"));
        return staging;
    }

    @Test
    void aSlotRunsOnTheAppsPlanWithItsOwnImageAndSettingsAndHostName() {
        runningShop(null);
        Deployment slot =
                client.apps().deployments().inNamespace(ns).withName(STAGING).get();
        assertThat(slot.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("WebApp/shop"));
        assertThat(slot.getSpec().getReplicas()).isEqualTo(2);
        var container = slot.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("registry.example/shop:2.0");
        // The slot's env overrides the app's of the same name and keeps the rest.
        assertThat(container.getEnv())
                .extracting(e -> e.getName() + "=" + e.getValue())
                .containsExactly(
                        "WEBSITE_SITE_NAME=shop",
                        "WEBSITE_HOSTNAME=shop-staging.ase1.p.appservice.local",
                        "WEBSITE_INSTANCE_ID=null",
                        "WEBSITE_SKU=Isolated",
                        "PORT=8080",
                        "WEBSITES_PORT=8080",
                        "HOME=/home/appservice",
                        "STAGE=staging",
                        "COLOR=blue");
        // Neither the app's selector nor its Service matches the slot's pods.
        Deployment own =
                client.apps().deployments().inNamespace(ns).withName(SHOP).get();
        assertThat(slot.getSpec().getTemplate().getMetadata().getLabels())
                .doesNotContainEntry("appservice.dev/webapp", "shop")
                .containsEntry("appservice.dev/slot", "staging");
        assertThat(own.getSpec().getSelector().getMatchLabels()).containsEntry("appservice.dev/webapp", "shop");
        assertThat(client.services()
                        .inNamespace(ns)
                        .withName(STAGING)
                        .get()
                        .getSpec()
                        .getSelector())
                .containsEntry("appservice.dev/slot", "staging")
                .containsEntry("appservice.dev/webapp", STAGING);
        assertThat(config())
                .contains("server_name shop-staging.ase1.p.appservice.local;")
                .contains("20% \"staging\";");

        WebApp app = awaitApp(a -> a.getStatus().getSlots() != null
                && a.getStatus().getSlots().get(0).getReadyInstances() == 2);
        assertThat(app.getStatus().getProduction()).isEqualTo("production");
        assertThat(app.getStatus().getProductionImage()).isEqualTo("registry.example/shop:1.0");
        var status = app.getStatus().getSlots().get(0);
        assertThat(status.getUrl()).isEqualTo("http://shop-staging.ase1.p.appservice.local/");
        assertThat(status.getImage()).isEqualTo("registry.example/shop:2.0");
        assertThat(status.getDeployment()).isEqualTo("staging");
        assertThat(status.getTrafficPercent()).isEqualTo(20);

        // A slot removed from the spec loses its workload.
        WebApp edited =
                client.resources(WebApp.class).inNamespace(ns).withName("shop").get();
        edited.getSpec().setSlots(null);
        client.resource(edited).update();
        await().atMost(TIMEOUT)
                .until(() -> client.apps()
                                        .deployments()
                                        .inNamespace(ns)
                                        .withName(STAGING)
                                        .get()
                                == null
                        && client.services().inNamespace(ns).withName(STAGING).get() == null);
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName(SHOP)
                        .get()
                        .getMetadata()
                        .getResourceVersion())
                .isEqualTo(own.getMetadata().getResourceVersion());
    }

    @Test
    void aSwapWritesRoutingAndStatusButNoWorkloadAndSwappingBackRestoresTheFirstState() throws Exception {
        String stagingAddress = runningShop(null);
        String shopAddress =
                client.services().inNamespace(ns).withName(SHOP).get().getSpec().getClusterIP();
        awaitApp(a -> routed(a) != null && a.getStatus().getSlots().get(0).getReadyInstances() == 2);
        String firstConfig = config();
        assertThat(firstConfig).contains("production is served by deployment production");
        Map<String, String> before = workloadVersions();
        MockKubernetes.clearRequests();

        WebApp app =
                client.resources(WebApp.class).inNamespace(ns).withName("shop").get();
        app.getSpec().setProduction("staging");
        client.resource(app).update();

        WebApp swapped = awaitApp(a -> "staging".equals(a.getStatus().getProduction()));
        assertThat(routed(swapped).getReason()).isEqualTo(ProductionSwap.SERVING_SLOT);
        assertThat(swapped.getStatus().getProductionImage()).isEqualTo("registry.example/shop:2.0");
        // The slot's host name now serves the previous production: the rollback is there, running.
        assertThat(swapped.getStatus().getSlots().get(0).getDeployment()).isEqualTo("production");
        assertThat(swapped.getStatus().getSlots().get(0).getImage()).isEqualTo("registry.example/shop:1.0");
        await().atMost(TIMEOUT).until(() -> config().contains("production is served by deployment staging"));
        String swappedConfig = config();
        // Both upstreams stay; only the maps change: production's default goes to the slot's, the slot's host to the
        // app's.
        assertThat(swappedConfig)
                .contains("server " + stagingAddress + ":8080")
                .contains("server " + shopAddress + ":8080")
                .contains("default \"webapp-shop_staging\";");

        List<String> writes = MockKubernetes.writesSinceClear().stream()
                .filter(w -> w.contains("/namespaces/" + ns + "/"))
                .toList();
        assertThat(writes)
                .as("the front-end routing was written")
                .anyMatch(w -> w.contains("/configmaps/ase1-frontend-config"));
        assertThat(writes).as("and the status").anyMatch(w -> w.contains("/webapps/shop/status"));
        assertThat(writes)
                .as("but no workload")
                .noneMatch(w -> w.contains("/deployments/") || w.contains("/services/"));
        assertThat(workloadVersions()).as("no Deployment or Service changed").isEqualTo(before);
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(
                                client.v1().events().inNamespace(ns).list().getItems())
                        .anyMatch(e -> "ServingSlot".equals(e.getReason()) && "Normal".equals(e.getType())));

        // The reverse edit is an instant rollback, to exactly the first state.
        app = client.resources(WebApp.class).inNamespace(ns).withName("shop").get();
        app.getSpec().setProduction(null);
        client.resource(app).update();
        WebApp back = awaitApp(a -> "production".equals(a.getStatus().getProduction()));
        assertThat(routed(back).getReason()).isEqualTo(ProductionSwap.SERVING_PRODUCTION);
        await().atMost(TIMEOUT).until(() -> config().equals(firstConfig));
        assertThat(workloadVersions()).isEqualTo(before);
    }

    @Test
    void aSwapToASlotThatIsNotReadyChangesNothingAndSaysSo() throws Exception {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 2)).create();
        client.resource(shopWithStaging(null)).create();
        await().atMost(TIMEOUT)
                .until(() -> client.services().inNamespace(ns).withName(STAGING).get() != null
                        && client.services().inNamespace(ns).withName(SHOP).get() != null);
        ServiceAddresses.assignAll(client, ns);
        ready(SHOP);
        String stagingAddress = client.services()
                .inNamespace(ns)
                .withName(STAGING)
                .get()
                .getSpec()
                .getClusterIP();
        await().atMost(TIMEOUT).until(() -> config().contains("server " + stagingAddress + ":8080"));
        awaitApp(a -> routed(a) != null && Conditions.isTrue(a.getStatus().getConditions(), "Ready"));
        String firstConfig = config();
        Map<String, String> before = workloadVersions();

        WebApp app =
                client.resources(WebApp.class).inNamespace(ns).withName("shop").get();
        app.getSpec().setProduction("staging");
        client.resource(app).update();

        WebApp held = awaitApp(a -> a.getStatus().getObservedGeneration() == 2
                && "False".equals(routed(a).getStatus()));
        assertThat(routed(held).getReason()).isEqualTo(ProductionSwap.SLOT_NOT_READY);
        assertThat(routed(held).getMessage())
                .contains("slot staging's deployment, which is not ready (0 ready instances");
        assertThat(routed(held).getObservedGeneration()).isEqualTo(2);
        assertThat(held.getStatus().getProduction()).isEqualTo("production");
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(
                                client.v1().events().inNamespace(ns).list().getItems())
                        .anyMatch(e -> "SlotNotReady".equals(e.getReason()) && "Warning".equals(e.getType())));
        // Every reconcile the held swap set off has run: it changed neither routing nor workloads.
        Reconciles.awaitIdle(TIMEOUT);
        assertThat(config()).as("the routing is unchanged").isEqualTo(firstConfig);
        assertThat(workloadVersions()).isEqualTo(before);

        // Once the slot is ready, the swap goes ahead by itself.
        ready(STAGING);
        awaitApp(a -> "staging".equals(a.getStatus().getProduction())
                && "True".equals(routed(a).getStatus()));
        await().atMost(TIMEOUT).until(() -> config().contains("production is served by deployment staging"));
    }

    @Test
    void slotsTakeTheirShareOfThePlansCapacity() {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 2)).create();
        // I1 runs 8 apps per instance: an app with 7 slots takes all of it.
        WebApp big = Fixtures.app(ns, "big", "web", 8080);
        List<DeploymentSlot> slots = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            DeploymentSlot slot = new DeploymentSlot();
            slot.setName("s" + i);
            slot.setImage("registry.example/big:" + i);
            slots.add(slot);
        }
        big.getSpec().setSlots(slots);
        client.resource(big).create();
        await().atMost(TIMEOUT)
                .until(() -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName(ResourceNames.slotWorkload("big", "s6"))
                                .get()
                        != null);
        // The placeholder holds nothing: the app and its slots take every share of the instances.
        await().atMost(TIMEOUT)
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName("web-workers")
                                .get(),
                        d -> d != null && d.getSpec().getReplicas() == 0);

        client.resource(Fixtures.app(ns, "late", "web", 9000)).create();
        WebApp late = await().atMost(TIMEOUT)
                .until(
                        () -> client.resources(WebApp.class)
                                .inNamespace(ns)
                                .withName("late")
                                .get(),
                        a -> a.getStatus() != null
                                && Conditions.find(a.getStatus().getConditions(), "Ready") != null);
        assertThat(Conditions.find(late.getStatus().getConditions(), "Ready").getReason())
                .isEqualTo("PlanCapacityExceeded");
        assertThat(Conditions.find(late.getStatus().getConditions(), "Ready").getMessage())
                .contains(
                        "this app is number 2 of 2 in admission order (creation time, then name), each deployment slot counting as an app");
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName(ResourceNames.appWorkload("late"))
                        .get())
                .isNull();

        // One slot fewer makes room for the late app.
        WebApp edited =
                client.resources(WebApp.class).inNamespace(ns).withName("big").get();
        edited.getSpec().setSlots(slots.subList(0, 6));
        client.resource(edited).update();
        await().atMost(TIMEOUT)
                .until(() -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName(ResourceNames.appWorkload("late"))
                                .get()
                        != null);
        await().atMost(TIMEOUT)
                .until(() -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName(ResourceNames.slotWorkload("big", "s6"))
                                .get()
                        == null);
    }

    @Test
    void aSwapToASlotThatDoesNotExistIsAnInvalidSpec() {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 2)).create();
        client.resource(shopWithStaging("canary")).create();
        WebApp app = awaitApp(a -> Conditions.find(a.getStatus().getConditions(), "Ready") != null);
        Condition ready = Conditions.find(app.getStatus().getConditions(), "Ready");
        assertThat(ready.getReason()).isEqualTo("InvalidSpec");
        assertThat(ready.getMessage()).contains("spec.production").contains("canary");
        assertThat(client.apps().deployments().inNamespace(ns).withName(SHOP).get())
                .isNull();
    }
}
