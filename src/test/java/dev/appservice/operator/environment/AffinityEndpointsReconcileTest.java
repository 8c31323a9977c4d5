package dev.appservice.operator.environment;

import static dev.appservice.operator.testing.Fixtures.environment;
import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.desired.NginxConfig;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.testing.DeploymentRollout;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import dev.appservice.operator.testing.ServiceAddresses;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Client affinity through the running operator, against the mock API server: the EndpointSlices of
 * an affinity app's Service (labelled with the Service's labels, as the EndpointSlice controller
 * copies them) become its upstream's servers, balanced by the affinity cookie; readiness changes
 * follow; an app without affinity keeps its cluster IP whatever its endpoints.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class AffinityEndpointsReconcileTest extends OperatorTest {

    @Test
    void anAffinityAppsReadyEndpointsBecomeItsUpstreamAndOthersKeepTheirClusterIp() {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 2)).create();
        WebApp cart = Fixtures.app(ns, "cart", "web", 8080);
        cart.getSpec().setClientAffinity(true);
        client.resource(cart).create();
        client.resource(Fixtures.app(ns, "shop", "web", 8081)).create();
        await().atMost(TIMEOUT).until(() -> {
            DeploymentRollout.completeAll(client, ns);
            return client.services()
                                    .inNamespace(ns)
                                    .withName(ResourceNames.appWorkload("cart"))
                                    .get()
                            != null
                    && client.services()
                                    .inNamespace(ns)
                                    .withName(ResourceNames.appWorkload("shop"))
                                    .get()
                            != null;
        });
        ServiceAddresses.assignAll(client, ns);
        String cartIp = client.services()
                .inNamespace(ns)
                .withName(ResourceNames.appWorkload("cart"))
                .get()
                .getSpec()
                .getClusterIP();
        awaitShard(shard -> shard.contains("server " + cartIp + ":8080 max_fails=0;"));

        client.resource(slice("cart", "cart-a", "10.244.1.7", true, "10.244.2.9", true, "10.244.3.4", false))
                .create();
        client.resource(slice("shop", "shop-a", "10.244.1.8", true)).create();
        String shard = awaitShard(s -> s.contains("server 10.244.1.7:8080 max_fails=0;"));
        assertThat(shard)
                .contains("hash $arr_affinity_key consistent;")
                .contains("server 10.244.2.9:8080 max_fails=0;")
                .doesNotContain("10.244.3.4")
                .doesNotContain("server " + cartIp + ":8080")
                .doesNotContain("10.244.1.8")
                .contains("add_header Set-Cookie $arr_affinity_cookie always;");
        assertThat(config().getData().get(NginxConfig.MAIN_FILE)).contains("map $cookie_ARRAffinity $arr_affinity_key");

        // An instance becomes ready: it joins.
        client.resource(slice("cart", "cart-a", "10.244.1.7", true, "10.244.2.9", true, "10.244.3.4", true))
                .update();
        awaitShard(s -> s.contains("server 10.244.3.4:8080 max_fails=0;"));
        // No ready instance at all: the cluster IP again.
        client.resource(slice("cart", "cart-a", "10.244.1.7", false)).update();
        awaitShard(s -> s.contains("server " + cartIp + ":8080 max_fails=0;") && !s.contains("10.244.2.9"));
        assertThat(MockKubernetes.refusedWritesIn(ns)).isEmpty();
    }

    /** An EndpointSlice of the app's Service as the EndpointSlice controller writes it: the Service's labels, its name, the target port. */
    EndpointSlice slice(String app, String name, Object... addressAndReady) {
        Service service = client.services()
                .inNamespace(ns)
                .withName(ResourceNames.appWorkload(app))
                .get();
        Map<String, String> labels = new LinkedHashMap<>(service.getMetadata().getLabels());
        labels.put(AppEdgeSources.SERVICE_NAME_LABEL, service.getMetadata().getName());
        labels.put("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io");
        EndpointSliceBuilder slice = new EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace(ns)
                .withName(service.getMetadata().getName() + "-" + name)
                .withLabels(labels)
                .endMetadata()
                .withAddressType("IPv4")
                .addNewPort()
                .withName("http")
                .withPort(service.getSpec().getPorts().get(0).getTargetPort().getIntVal())
                .withProtocol("TCP")
                .endPort();
        for (int i = 0; i < addressAndReady.length; i += 2) {
            slice.addNewEndpoint()
                    .withAddresses((String) addressAndReady[i])
                    .withNewConditions()
                    .withReady((Boolean) addressAndReady[i + 1])
                    .endConditions()
                    .endEndpoint();
        }
        return slice.build();
    }

    ConfigMap config() {
        return client.configMaps()
                .inNamespace(ns)
                .withName("ase1-frontend-config")
                .get();
    }

    String awaitShard(java.util.function.Predicate<String> condition) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> config() == null ? null : config().getData().get(NginxConfig.shardFile(0)),
                        s -> s != null && condition.test(s));
    }
}
