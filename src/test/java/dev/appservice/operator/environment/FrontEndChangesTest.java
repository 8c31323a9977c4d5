package dev.appservice.operator.environment;

import static dev.appservice.operator.testing.Fixtures.environment;
import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.desired.FrontEnds;
import dev.appservice.operator.desired.NginxConfig;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import dev.appservice.operator.testing.ServiceAddresses;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Apps and host names reach the front ends by their configuration alone: the front-end
 * Deployment (and so every front-end pod) is never written when apps come and go, and a large
 * configuration is split into ConfigMaps of its own, removed again when no longer needed.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class FrontEndChangesTest extends OperatorTest {

    @Test
    void addingAndRemovingAppsWritesTheConfigurationButNeverTheFrontEndDeployment() throws Exception {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 2)).create();
        client.resource(Fixtures.app(ns, "shop", "web", 8080)).create();
        client.resource(Fixtures.app(ns, "blog", "web", 8081)).create();
        String shop = awaitAddress("shop");
        String blog = awaitAddress("blog");
        awaitApps(apps -> apps.contains("server " + shop + ":8080 ") && apps.contains("server " + blog + ":8081 "));
        Deployment before = client.apps()
                .deployments()
                .inNamespace(ns)
                .withName("ase1-frontend")
                .get();
        MockKubernetes.clearRequests();

        client.resource(Fixtures.app(ns, "api", "web", 9000)).create();
        String api = awaitAddress("api");
        awaitApps(apps -> apps.contains("server_name api.ase1.p.appservice.local;")
                && apps.contains("server " + api + ":9000 max_fails=0;"));
        client.resources(WebApp.class).inNamespace(ns).withName("blog").delete();
        awaitApps(apps -> !apps.contains("blog.ase1"));

        List<String> writes = MockKubernetes.writesSinceClear();
        assertThat(writes)
                .as("the configuration was written")
                .anyMatch(w -> w.matches("PUT /api/v1/namespaces/" + ns + "/configmaps/ase1-frontend-config"));
        assertThat(writes).as("the front ends were not").noneMatch(w -> w.contains("/deployments/ase1-frontend"));
        Deployment after = client.apps()
                .deployments()
                .inNamespace(ns)
                .withName("ase1-frontend")
                .get();
        assertThat(after.getMetadata().getGeneration())
                .isEqualTo(before.getMetadata().getGeneration());
        assertThat(after.getSpec().getTemplate()).isEqualTo(before.getSpec().getTemplate());
    }

    @Test
    void aLargeConfigurationIsSplitIntoConfigMapsThatGoWhenNoLongerNeeded() {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 1)).create();
        List<WebApp> apps = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            WebApp app = Fixtures.app(ns, "app" + i, "web", 10_000 + i);
            List<String> hosts = new ArrayList<>();
            for (int h = 0; h < 48; h++) {
                hosts.add("h" + h + "-" + "x".repeat(58) + "." + "y".repeat(60) + "." + "z".repeat(60) + ".app" + i
                        + ".example.com");
            }
            app.getSpec().setHostNames(hosts);
            apps.add(client.resource(app).create());
        }
        ConfigMap shard = await().atMost(TIMEOUT)
                .until(
                        () -> client.configMaps()
                                .inNamespace(ns)
                                .withName(FrontEnds.shardConfigMapName("ase1", 1))
                                .get(),
                        c -> c != null);
        assertThat(shard.getData()).containsOnlyKeys(NginxConfig.shardFile(1));
        assertThat(shard.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getName()).isEqualTo("ase1"));
        ConfigMap main = client.configMaps()
                .inNamespace(ns)
                .withName("ase1-frontend-config")
                .get();
        assertThat(main.getData().get(NginxConfig.MAIN_FILE))
                .contains(NginxConfig.SHARD_MARKER + NginxConfig.shardFile(1) + " ");

        for (WebApp app : apps.subList(5, apps.size())) {
            client.resource(app).delete();
        }
        await().atMost(TIMEOUT)
                .until(() -> client.configMaps()
                                .inNamespace(ns)
                                .withName(FrontEnds.shardConfigMapName("ase1", 1))
                                .get()
                        == null);
        awaitApps(all -> !all.contains(".app29.example.com"));
        assertThat(client.configMaps()
                        .inNamespace(ns)
                        .withName("ase1-frontend-config")
                        .get()
                        .getData())
                .containsOnlyKeys(NginxConfig.MAIN_FILE, NginxConfig.shardFile(0));
    }

    /** Waits for the app's own Service, gives it a cluster IP as the API server would, and returns it. */
    private String awaitAddress(String app) {
        String name = ResourceNames.appWorkload(app);
        await().atMost(TIMEOUT)
                .until(() -> client.services().inNamespace(ns).withName(name).get() != null);
        ServiceAddresses.assignAll(client, ns);
        return client.services().inNamespace(ns).withName(name).get().getSpec().getClusterIP();
    }

    private void awaitApps(Predicate<String> condition) {
        await().atMost(TIMEOUT).until(() -> {
            ConfigMap main = client.configMaps()
                    .inNamespace(ns)
                    .withName("ase1-frontend-config")
                    .get();
            if (main == null) {
                return false;
            }
            Map<String, String> data = main.getData();
            return condition.test(data.getOrDefault(NginxConfig.shardFile(0), ""));
        });
    }
}
