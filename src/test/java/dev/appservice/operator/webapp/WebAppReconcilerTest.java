package dev.appservice.operator.webapp;

import static dev.appservice.operator.testing.Fixtures.environment;
import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.environment.NginxConfig;
import dev.appservice.operator.testing.ServiceAddresses;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
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

/** WebApps through the running operator: containers on the plan's workers, servers on the front ends, status. */
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
    void appsBecomeContainersOfEveryWorkerAndServersOfTheFrontEnds() {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 2)).create();
        Deployment placeholder = awaitDeployment("web-workers", d -> true);
        assertThat(placeholder.getSpec().getTemplate().getSpec().getContainers()).extracting(Container::getName).containsExactly("capacity");
        Deployment frontEndsBefore = awaitDeployment("ase1-frontend", d -> true);

        client.resource(app("shop", "web", 8080, "/health", List.of(new EnvVarBuilder().withName("FOO").withValue("bar").build()), "www.contoso.com")).create();
        client.resource(app("blog", "web", 9000, null, null)).create();

        Deployment workers = awaitDeployment("web-workers", d -> d.getSpec().getTemplate().getSpec().getContainers().size() == 2);
        List<Container> containers = workers.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).extracting(Container::getName).containsExactly("blog", "shop");
        Container blog = containers.get(0);
        Container shop = containers.get(1);
        assertThat(shop.getImage()).isEqualTo("registry.example/shop:1.0");
        assertThat(shop.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
        assertThat(shop.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("PORT", "8080"), org.assertj.core.groups.Tuple.tuple("FOO", "bar"));
        assertThat(shop.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(shop.getLivenessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(8080);
        assertThat(blog.getReadinessProbe().getTcpSocket().getPort().getIntVal()).isEqualTo(9000);
        // The instance is shared: requests add up to the size, each app may burst to all of it.
        assertThat(blog.getResources().getRequests().get("cpu").toString()).isEqualTo("500m");
        assertThat(shop.getResources().getRequests().get("memory").toString()).isEqualTo("1792Mi");
        assertThat(shop.getResources().getLimits().get("cpu").toString()).isEqualTo("1");
        assertThat(shop.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(shop.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");

        Service service = await().atMost(TIMEOUT).until(() -> client.services().inNamespace(ns).withName("web-workers").get(), s -> s != null);
        assertThat(service.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(9000, 8080);
        assertThat(service.getSpec().getSelector()).containsEntry("appservice.dev/plan", "web");

        ServiceAddresses.assignAll(client, ns);
        String address = client.services().inNamespace(ns).withName("web-workers").get().getSpec().getClusterIP();
        ConfigMap config = await().atMost(TIMEOUT).until(() -> client.configMaps().inNamespace(ns).withName("ase1-frontend-config").get(),
                c -> c.getData().get(NginxConfig.shardFile(0)).contains("server " + address + ":8080"));
        assertThat(config.getData().get(NginxConfig.shardFile(0)))
                .contains("server_name shop.ase1.p.appservice.local www.contoso.com;")
                .contains("server " + address + ":8080 max_fails=0;")
                .contains("server " + address + ":9000 max_fails=0;")
                .contains("server_name blog.ase1.p.appservice.local;");
        // The front ends take the new configuration without a restart: their pod template is untouched.
        Deployment frontEnds = client.apps().deployments().inNamespace(ns).withName("ase1-frontend").get();
        assertThat(frontEnds.getSpec().getTemplate()).isEqualTo(frontEndsBefore.getSpec().getTemplate());
        assertThat(frontEnds.getMetadata().getGeneration()).isEqualTo(frontEndsBefore.getMetadata().getGeneration());
        assertThat(frontEnds.getSpec().getReplicas()).isEqualTo(2);

        WebApp waiting = awaitApp("shop", a -> a.getStatus().getUrls() != null);
        assertThat(waiting.getStatus().getUrls()).containsExactly("http://shop.ase1.p.appservice.local/", "http://www.contoso.com/");
        assertThat(Conditions.find(waiting.getStatus().getConditions(), "Ready").getReason()).isEqualTo("WorkersNotReady");

        workers = client.apps().deployments().inNamespace(ns).withName("web-workers").get();
        workers.setStatus(new DeploymentStatusBuilder().withObservedGeneration(workers.getMetadata().getGeneration())
                .withReplicas(2).withReadyReplicas(2).withUpdatedReplicas(2).build());
        client.resource(workers).updateStatus();
        WebApp serving = awaitApp("shop", a -> Conditions.isTrue(a.getStatus().getConditions(), "Ready"));
        assertThat(serving.getStatus().getReadyInstances()).isEqualTo(2);
        assertThat(Conditions.find(serving.getStatus().getConditions(), "Ready").getReason()).isEqualTo("Serving");
        await().atMost(TIMEOUT).until(() -> {
            AppServiceEnvironment a = client.resources(AppServiceEnvironment.class).inNamespace(ns).withName("ase1").get();
            return a.getStatus() != null && Integer.valueOf(2).equals(a.getStatus().getApps());
        });
    }

    @Test
    void removingTheAppsBringsThePlaceholderBackAndRemovesTheService() {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I2, 1)).create();
        client.resource(app("only", "web", 8080, null, null)).create();
        awaitDeployment("web-workers", d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getName().equals("only"));
        await().atMost(TIMEOUT).until(() -> client.services().inNamespace(ns).withName("web-workers").get() != null);

        client.resources(WebApp.class).inNamespace(ns).withName("only").delete();
        Deployment back = awaitDeployment("web-workers", d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getName().equals("capacity"));
        assertThat(back.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getRequests().get("cpu").toString()).isEqualTo("2");
        await().atMost(TIMEOUT).until(() -> client.services().inNamespace(ns).withName("web-workers").get() == null);
    }

    @Test
    void anAppBeforeItsPlanSaysSo() {
        client.resource(app("early", "later", 8080, null, null)).create();
        WebApp app = awaitApp("early", a -> a.getStatus().getConditions() != null);
        assertThat(Conditions.find(app.getStatus().getConditions(), "Ready").getReason()).isEqualTo("PlanNotFound");
        assertThat(app.getStatus().getObservedGeneration()).isEqualTo(app.getMetadata().getGeneration());
    }

    private Deployment awaitDeployment(String name, Predicate<Deployment> condition) {
        return await().atMost(TIMEOUT).until(() -> client.apps().deployments().inNamespace(ns).withName(name).get(),
                d -> d != null && condition.test(d));
    }

    private WebApp awaitApp(String name, Predicate<WebApp> condition) {
        return await().atMost(TIMEOUT).until(() -> client.resources(WebApp.class).inNamespace(ns).withName(name).get(),
                a -> a != null && a.getStatus() != null && condition.test(a));
    }
}
