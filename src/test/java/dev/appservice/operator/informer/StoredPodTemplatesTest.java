package dev.appservice.operator.informer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.dependent.DesiredStateMatch;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class StoredPodTemplatesTest {
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    private static Deployment deployment(String label, String image) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName("shop-1a2b3c4d")
                .withNamespace("contoso")
                .withUid(java.util.UUID.randomUUID().toString())
                .withResourceVersion("7")
                .addToLabels(label, "shop")
                .endMetadata()
                .withNewSpec()
                .withReplicas(3)
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels(label, "shop")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("shop")
                .withImage(image)
                .addNewEnv()
                .withName("WEBSITE_SITE_NAME")
                .withValue("shop")
                .endEnv()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .withNewStatus()
                .withReadyReplicas(2)
                .endStatus()
                .build();
    }

    /** The Deployment as the server returns it: what the desired one says, and the server's defaults. */
    private Deployment fromServer(String image) {
        Deployment actual = deployment(StandardLabels.WEBAPP, image);
        actual.getSpec().setRevisionHistoryLimit(10);
        actual.getSpec().getTemplate().getSpec().setDnsPolicy("ClusterFirst");
        return actual;
    }

    private Deployment cached(Deployment fromServer) {
        SharingItemStore<Deployment> store = new SharingItemStore<>();
        store.put(store.getKey(fromServer), fromServer);
        return store.get(store.getKey(fromServer));
    }

    @Test
    void anAppsCachedDeploymentKeepsItsTemplateDeflatedAndTheRestAsItCame() {
        Deployment cached = cached(fromServer("registry.example/shop:1.0"));

        assertThat(cached.getSpec().getTemplate()).isNull();
        assertThat(cached.getSpec().getAdditionalProperties()).containsKey(StoredPodTemplates.FIELD);
        assertThat((byte[]) cached.getSpec().getAdditionalProperties().get(StoredPodTemplates.FIELD))
                .hasSizeLessThan(serialization
                        .asJson(deployment(StandardLabels.WEBAPP, "registry.example/shop:1.0")
                                .getSpec()
                                .getTemplate())
                        .length());
        assertThat(cached.getSpec().getReplicas()).isEqualTo(3);
        assertThat(cached.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(cached.getMetadata().getLabels()).containsEntry(StandardLabels.WEBAPP, "shop");
    }

    @Test
    void theComparisonWithTheDesiredStateSeesTheStoredTemplate() {
        Deployment cached = cached(fromServer("registry.example/shop:1.0"));

        assertThat(DesiredStateMatch.matches(
                        deployment(StandardLabels.WEBAPP, "registry.example/shop:1.0"), cached, serialization))
                .as("the same template, with the server's defaults")
                .isTrue();
        assertThat(DesiredStateMatch.matches(
                        deployment(StandardLabels.WEBAPP, "registry.example/shop:2.0"), cached, serialization))
                .as("another image")
                .isFalse();
    }

    @Test
    void otherDeploymentsAreCachedAsTheyCame() {
        Deployment placeholder = cached(deployment(StandardLabels.PLAN, "registry.k8s.io/pause:3.10"));

        assertThat(placeholder.getSpec().getTemplate().getSpec().getContainers())
                .extracting(c -> c.getImage())
                .containsExactly("registry.k8s.io/pause:3.10");
        assertThat(placeholder.getSpec().getAdditionalProperties()).doesNotContainKey(StoredPodTemplates.FIELD);
    }
}
