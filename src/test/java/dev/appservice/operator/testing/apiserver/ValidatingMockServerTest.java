package dev.appservice.operator.testing.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.appservice.operator.api.WebApp;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The layer in front of a plain (non-Quarkus) mock server: what a real API server refuses is answered 422 and not stored. */
class ValidatingMockServerTest {
    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        server = new KubernetesMockServer(
                new Context(),
                new MockWebServer(),
                expectations,
                ValidatingMixedDispatcher.forProject(expectations),
                false);
        server.init();
        client = server.createClient();
        try (var files = Files.list(Path.of("crds"))) {
            for (Path crd : files.sorted().toList()) {
                client.resource(Serialization.unmarshal(Files.readString(crd), CustomResourceDefinition.class))
                        .create();
            }
        }
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void aServiceWithoutPortsIsRefusedAsInvalidNamingTheField() {
        Service service = new ServiceBuilder()
                .withNewMetadata()
                .withName("web-workers")
                .withNamespace("team-a")
                .endMetadata()
                .withNewSpec()
                .withSelector(Map.of("appservice.dev/plan", "web"))
                .withPorts(List.of())
                .endSpec()
                .build();

        assertThatThrownBy(() -> client.resource(service).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
                    assertThat(e.getStatus().getDetails().getKind()).isEqualTo("Service");
                    assertThat(e.getStatus().getDetails().getCauses())
                            .extracting(StatusCause::getField, StatusCause::getReason)
                            .containsExactly(org.assertj.core.groups.Tuple.tuple("spec.ports", "FieldValueRequired"));
                    assertThat(e.getStatus().getMessage())
                            .isEqualTo("Service \"web-workers\" is invalid: spec.ports: Required value");
                });
        assertThat(client.services()
                        .inNamespace("team-a")
                        .withName("web-workers")
                        .get())
                .isNull();
    }

    @Test
    void aPatchIsValidatedAsTheObjectItWouldStore() {
        client.resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("config")
                        .withNamespace("team-a")
                        .endMetadata()
                        .addToData("nginx.conf", "events {}")
                        .build())
                .create();

        assertThatThrownBy(() -> client.configMaps()
                        .inNamespace("team-a")
                        .withName("config")
                        .edit(c -> new ConfigMapBuilder(c)
                                .addToData("conf.d/extra.conf", "x")
                                .build()))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getStatus().getDetails().getCauses())
                                .extracting(StatusCause::getField)
                                .containsExactly("data[conf.d/extra.conf]"));
        assertThat(client.configMaps()
                        .inNamespace("team-a")
                        .withName("config")
                        .get()
                        .getData())
                .containsOnlyKeys("nginx.conf");

        client.configMaps()
                .inNamespace("team-a")
                .withName("config")
                .edit(c -> new ConfigMapBuilder(c).addToData("extra.conf", "x").build());
        assertThat(client.configMaps()
                        .inNamespace("team-a")
                        .withName("config")
                        .get()
                        .getData())
                .containsKeys("nginx.conf", "extra.conf");
    }

    @Test
    void aCustomResourceStatusIsValidatedAgainstItsSchema() {
        WebApp app = Serialization.unmarshal(CustomResourceSchemasTest.WEB_APP, WebApp.class);
        app.setStatus(null);
        client.resource(app).create();
        var stored = client.resources(WebApp.class)
                .inNamespace("team-a")
                .withName("shop")
                .get();
        stored.setStatus(new dev.appservice.operator.api.WebAppStatus());
        stored.getStatus().setUrls(List.of("http://shop/"));
        client.resource(stored).updateStatus();

        var generic = client.genericKubernetesResources("appservice.dev/v1alpha1", "WebApp")
                .inNamespace("team-a")
                .withName("shop")
                .get();
        generic.setAdditionalProperty("status", Map.of("instances", "two"));
        assertThatThrownBy(() -> client.genericKubernetesResources("appservice.dev/v1alpha1", "WebApp")
                        .resource(generic)
                        .updateStatus())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getStatus().getDetails().getCauses())
                                .extracting(StatusCause::getField)
                                .containsExactly("status.instances"));
    }

    @Test
    void expectationsSetByATestStillAnswerFirst() {
        server.expect()
                .post()
                .withPath("/api/v1/namespaces/team-a/configmaps")
                .andReturn(403, "forbidden")
                .once();
        assertThatThrownBy(() -> client.resource(new ConfigMapBuilder()
                                .withNewMetadata()
                                .withName("c")
                                .withNamespace("team-a")
                                .endMetadata()
                                .build())
                        .create())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(403));
        client.resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("c")
                        .withNamespace("team-a")
                        .endMetadata()
                        .build())
                .create();
        assertThat(client.configMaps().inNamespace("team-a").withName("c").get())
                .isNotNull();
    }
}
