package dev.appservice.operator.webapp;

import static dev.appservice.operator.testing.Fixtures.environment;
import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.desired.NginxConfig;
import dev.appservice.operator.model.AppDensity;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import dev.appservice.operator.testing.ServiceAddresses;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** WebApps through the running operator: Deployments and Services of their own, servers on the front ends, status. */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class WebAppReconcilerTest extends OperatorTest {

    WebApp app(String name, String plan, int port, String healthCheckPath, List<EnvVar> env, String... hostNames) {
        WebApp app = Fixtures.app(ns, name, plan, port);
        app.getSpec().setHealthCheckPath(healthCheckPath);
        app.getSpec().setEnv(env);
        app.getSpec().setHostNames(hostNames.length == 0 ? null : List.of(hostNames));
        return app;
    }

    @Test
    void appsRunInDeploymentsOfTheirOwnAndBecomeServersOfTheFrontEnds() {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 2)).create();
        Deployment placeholder = awaitDeployment("web-workers", d -> true);
        assertThat(placeholder.getSpec().getTemplate().getSpec().getContainers())
                .extracting(Container::getName)
                .containsExactly("capacity");
        Deployment frontEndsBefore = awaitDeployment("ase1-frontend", d -> true);

        client.resource(app(
                        "shop",
                        "web",
                        8080,
                        "/health",
                        List.of(new EnvVarBuilder()
                                .withName("FOO")
                                .withValue("bar")
                                .build()),
                        "www.contoso.com"))
                .create();
        client.resource(app("blog", "web", 9000, null, null)).create();

        // Each app has a Deployment of its own: one pod per instance of the plan, running only that app.
        Deployment shopDeployment = awaitDeployment(ResourceNames.appWorkload("shop"), d -> true);
        Deployment blogDeployment = awaitDeployment(ResourceNames.appWorkload("blog"), d -> true);
        assertThat(shopDeployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(shopDeployment.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("WebApp/shop"));
        assertThat(shopDeployment.getMetadata().getLabels())
                .containsEntry("appservice.dev/plan", "web")
                .containsEntry("appservice.dev/webapp", "shop")
                .containsEntry("appservice.dev/environment", "ase1");
        // The pods carry the worker role (the environment's worker NetworkPolicy) but not the plan's selector.
        assertThat(shopDeployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("appservice.dev/role", "worker")
                .containsEntry("appservice.dev/webapp", "shop")
                .doesNotContainKey("appservice.dev/plan");
        assertThat(shopDeployment.getSpec().getSelector().getMatchLabels())
                .containsEntry("appservice.dev/webapp", "shop");
        Container shop =
                shopDeployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(shopDeployment.getSpec().getTemplate().getSpec().getContainers())
                .hasSize(1);
        Container blog =
                blogDeployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(shop.getImage()).isEqualTo("registry.example/shop:1.0");
        assertThat(shop.getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
        assertThat(shop.getEnv())
                .extracting(EnvVar::getName, EnvVar::getValue)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("WEBSITE_SITE_NAME", "shop"),
                        org.assertj.core.groups.Tuple.tuple("WEBSITE_HOSTNAME", "shop.ase1.p.appservice.local"),
                        org.assertj.core.groups.Tuple.tuple("WEBSITE_INSTANCE_ID", null),
                        org.assertj.core.groups.Tuple.tuple("WEBSITE_SKU", "Isolated"),
                        org.assertj.core.groups.Tuple.tuple("PORT", "8080"),
                        org.assertj.core.groups.Tuple.tuple("WEBSITES_PORT", "8080"),
                        org.assertj.core.groups.Tuple.tuple("HOME", "/home/appservice"),
                        org.assertj.core.groups.Tuple.tuple("FOO", "bar"));
        assertThat(shop.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
        // Liveness on the port: a failing health check takes an instance out, a closed port restarts it.
        assertThat(shop.getLivenessProbe().getTcpSocket().getPort().getIntVal()).isEqualTo(8080);
        assertThat(shop.getStartupProbe().getTcpSocket().getPort().getIntVal()).isEqualTo(8080);
        assertThat(blog.getReadinessProbe().getTcpSocket().getPort().getIntVal())
                .isEqualTo(9000);
        // Fixed per app (I1: 8 apps per instance): an eighth of the instance requested, the whole instance as limit.
        assertThat(blog.getResources().getRequests().get("cpu").toString()).isEqualTo("125m");
        assertThat(shop.getResources().getRequests().get("memory").toString()).isEqualTo("448Mi");
        assertThat(shop.getResources().getLimits().get("cpu").toString()).isEqualTo("1");
        assertThat(shop.getResources().getLimits().get("memory").toString()).isEqualTo("3584Mi");
        assertThat(shop.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(shop.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        // The placeholder holds the rest of each instance.
        Deployment rest = awaitDeployment(
                "web-workers",
                d -> d.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getRequests()
                        .get("cpu")
                        .toString()
                        .equals("750m"));
        assertThat(rest.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getRequests()
                        .get("memory")
                        .toString())
                .isEqualTo("2688Mi");
        assertThat(rest.getSpec().getReplicas()).isEqualTo(2);

        // Each app has a Service of its own selecting only its pods; there is no plan-wide Service.
        Service service = await().atMost(TIMEOUT)
                .until(
                        () -> client.services()
                                .inNamespace(ns)
                                .withName(ResourceNames.appWorkload("shop"))
                                .get(),
                        s -> s != null);
        assertThat(service.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(8080);
        assertThat(service.getSpec().getSelector())
                .containsEntry("appservice.dev/webapp", "shop")
                .doesNotContainKey("appservice.dev/plan");
        assertThat(service.getMetadata().getLabels())
                .containsEntry("appservice.dev/environment", "ase1")
                .containsEntry("app.kubernetes.io/managed-by", "ase-operator");
        assertThat(client.services().inNamespace(ns).withName("web-workers").get())
                .isNull();

        await().atMost(TIMEOUT)
                .until(() -> client.services()
                                .inNamespace(ns)
                                .withName(ResourceNames.appWorkload("blog"))
                                .get()
                        != null);
        ServiceAddresses.assignAll(client, ns);
        String address = client.services()
                .inNamespace(ns)
                .withName(ResourceNames.appWorkload("shop"))
                .get()
                .getSpec()
                .getClusterIP();
        String blogAddress = client.services()
                .inNamespace(ns)
                .withName(ResourceNames.appWorkload("blog"))
                .get()
                .getSpec()
                .getClusterIP();
        ConfigMap config = await().atMost(TIMEOUT)
                .until(
                        () -> client.configMaps()
                                .inNamespace(ns)
                                .withName("ase1-frontend-config")
                                .get(),
                        c -> c.getData().get(NginxConfig.shardFile(0)).contains("server " + address + ":8080"));
        assertThat(config.getData().get(NginxConfig.shardFile(0)))
                .contains("server_name shop.ase1.p.appservice.local www.contoso.com;")
                .contains("server " + address + ":8080 max_fails=0;")
                .contains("server " + blogAddress + ":9000 max_fails=0;")
                .contains("server_name blog.ase1.p.appservice.local;");
        // The front ends take the new configuration without a restart: their pod template is untouched.
        Deployment frontEnds = client.apps()
                .deployments()
                .inNamespace(ns)
                .withName("ase1-frontend")
                .get();
        assertThat(frontEnds.getSpec().getTemplate())
                .isEqualTo(frontEndsBefore.getSpec().getTemplate());
        assertThat(frontEnds.getMetadata().getGeneration())
                .isEqualTo(frontEndsBefore.getMetadata().getGeneration());
        assertThat(frontEnds.getSpec().getReplicas()).isEqualTo(2);

        WebApp waiting = awaitApp("shop", a -> a.getStatus().getUrls() != null);
        assertThat(waiting.getStatus().getUrls())
                .containsExactly("http://shop.ase1.p.appservice.local/", "http://www.contoso.com/");
        assertThat(Conditions.find(waiting.getStatus().getConditions(), "Ready").getReason())
                .isEqualTo("WorkersNotReady");

        // The app is ready when its own Deployment is.
        shopDeployment = client.apps()
                .deployments()
                .inNamespace(ns)
                .withName(ResourceNames.appWorkload("shop"))
                .get();
        shopDeployment.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(shopDeployment.getMetadata().getGeneration())
                .withReplicas(2)
                .withReadyReplicas(2)
                .withUpdatedReplicas(2)
                .build());
        client.resource(shopDeployment).updateStatus();
        WebApp serving = awaitApp("shop", a -> Conditions.isTrue(a.getStatus().getConditions(), "Ready"));
        assertThat(serving.getStatus().getReadyInstances()).isEqualTo(2);
        assertThat(Conditions.find(serving.getStatus().getConditions(), "Ready").getReason())
                .isEqualTo("Serving");
        assertThat(Conditions.find(awaitApp("blog", a -> true).getStatus().getConditions(), "Ready")
                        .getReason())
                .isEqualTo("WorkersNotReady");
        await().atMost(TIMEOUT).until(() -> {
            AppServiceEnvironment a = client.resources(AppServiceEnvironment.class)
                    .inNamespace(ns)
                    .withName("ase1")
                    .get();
            return a.getStatus() != null
                    && Integer.valueOf(2).equals(a.getStatus().getApps());
        });
    }

    @Test
    void removingTheAppsGivesThePlaceholderTheWholeInstanceBack() {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I2, 1)).create();
        client.resource(app("only", "web", 8080, null, null)).create();
        awaitDeployment(ResourceNames.appWorkload("only"), d -> true);
        Deployment shared = awaitDeployment(
                "web-workers",
                d -> d.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getRequests()
                        .get("cpu")
                        .toString()
                        .equals("1875m"));
        assertThat(shared.getSpec().getTemplate().getSpec().getContainers())
                .extracting(Container::getName)
                .containsExactly("capacity");

        client.resources(WebApp.class).inNamespace(ns).withName("only").delete();
        Deployment back = awaitDeployment(
                "web-workers",
                d -> d.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getRequests()
                        .get("cpu")
                        .toString()
                        .equals("2"));
        assertThat(back.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getRequests()
                        .get("memory")
                        .toString())
                .isEqualTo("7Gi");
    }

    @Test
    void appsBeyondThePlansDensityAreHeldWithAReasonAndNoDeployment() {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 2)).create();
        for (int i = 1; i <= AppDensity.I1_APPS_PER_INSTANCE + 1; i++) {
            client.resource(app("app" + i, "web", 8000 + i, null, null)).create();
        }
        // Admission order is creation time, then name: within one second, app1..app8 come before app9.
        WebApp held = awaitApp(
                "app9",
                a -> a.getStatus().getConditions() != null
                        && "PlanCapacityExceeded"
                                .equals(Conditions.find(a.getStatus().getConditions(), "Ready")
                                        .getReason()));
        assertThat(Conditions.find(held.getStatus().getConditions(), "Ready").getMessage())
                .isEqualTo(
                        "IsolatedPlan " + ns
                                + "/web runs at most 8 apps on its I1 instances; this app is number 9 of 9 in admission order"
                                + " (creation time, then name) and does not run: scale the plan up to a larger size, or move the app to another plan");
        for (int i = 1; i <= AppDensity.I1_APPS_PER_INSTANCE; i++) {
            awaitDeployment(
                    ResourceNames.appWorkload("app" + i), d -> d.getSpec().getReplicas() == 2);
        }
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName(ResourceNames.appWorkload("app9"))
                        .get())
                .isNull();
        // The eight apps take every instance whole: the placeholder runs no pod, the plan still counts its capacity.
        awaitDeployment("web-workers", d -> d.getSpec().getReplicas() == 0);
        await().atMost(TIMEOUT).until(() -> {
            AppServiceEnvironment a = client.resources(AppServiceEnvironment.class)
                    .inNamespace(ns)
                    .withName("ase1")
                    .get();
            return a.getStatus() != null
                    && a.getStatus().getInstances() != null
                    && a.getStatus().getInstances().getUsed() == 2;
        });

        // When an earlier app goes, the held one runs.
        client.resources(WebApp.class).inNamespace(ns).withName("app3").delete();
        awaitDeployment(ResourceNames.appWorkload("app9"), d -> d.getSpec().getReplicas() == 2);
    }

    @Test
    void anAppBeforeItsPlanSaysSo() {
        client.resource(app("early", "later", 8080, null, null)).create();
        WebApp app = awaitApp("early", a -> a.getStatus().getConditions() != null);
        assertThat(Conditions.find(app.getStatus().getConditions(), "Ready").getReason())
                .isEqualTo("PlanNotFound");
        assertThat(app.getStatus().getObservedGeneration())
                .isEqualTo(app.getMetadata().getGeneration());
    }

    /**
     * A host name two apps on different plans ask for is held by the one created first; when it
     * goes, the other app, on its own plan, is told at once that it holds the name now.
     */
    @Test
    void aContestedHostNamePassesToTheOtherAppWhenItsHolderOnAnotherPlanGoes() {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 1)).create();
        client.resource(plan(ns, "api", "ase1", InstanceSize.I1, 1)).create();
        WebApp first = Fixtures.app(ns, "first", "web", 8080);
        first.getSpec().setHostNames(List.of("www.contoso.com"));
        client.resource(first).create();
        awaitApp("first", a -> a.getStatus().getConditions() != null);
        WebApp second = Fixtures.app(ns, "second", "api", 8080);
        second.getSpec().setHostNames(List.of("www.contoso.com"));
        client.resource(second).create();

        WebApp losing = awaitApp(
                "second",
                a -> a.getStatus().getConditions() != null
                        && "HostNameConflict"
                                .equals(Conditions.find(a.getStatus().getConditions(), "Ready")
                                        .getReason()));
        assertThat(Conditions.find(losing.getStatus().getConditions(), "Ready").getMessage())
                .contains("www.contoso.com")
                .contains("first");

        client.resources(WebApp.class).inNamespace(ns).withName("first").delete();
        awaitApp(
                "second",
                a -> !"HostNameConflict"
                                .equals(Conditions.find(a.getStatus().getConditions(), "Ready")
                                        .getReason())
                        && a.getStatus().getUrls() != null
                        && a.getStatus().getUrls().stream().anyMatch(u -> u.contains("www.contoso.com")));
    }

    private Deployment awaitDeployment(String name, Predicate<Deployment> condition) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName(name)
                                .get(),
                        d -> d != null && condition.test(d));
    }

    private WebApp awaitApp(String name, Predicate<WebApp> condition) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> client.resources(WebApp.class)
                                .inNamespace(ns)
                                .withName(name)
                                .get(),
                        a -> a != null && a.getStatus() != null && condition.test(a));
    }
}
