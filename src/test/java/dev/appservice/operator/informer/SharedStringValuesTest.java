package dev.appservice.operator.informer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SharedStringValuesTest {
    private final KubernetesSerialization serialization = serialization();

    private static KubernetesSerialization serialization() {
        ObjectMapper mapper = new ObjectMapper();
        new SharedStringValues().customize(mapper);
        return new KubernetesSerialization(mapper, true);
    }

    private static String deployment(String name, String uid) {
        return """
                {"apiVersion": "apps/v1", "kind": "Deployment",
                 "metadata": {"name": "%s", "namespace": "contoso", "uid": "%s", "resourceVersion": "%d",
                   "creationTimestamp": "2026-12-03T07:48:06Z",
                   "labels": {"app.kubernetes.io/managed-by": "ase-operator", "appservice.dev/environment": "contoso-ase"}},
                 "spec": {"template": {"spec": {"containers": [{"name": "app", "image": "registry.example/shop:1.0",
                   "env": [{"name": "WEBSITE_SITE_NAME", "value": "%s"},
                           {"name": "CONFIG", "value": "%s"}]}]}}}}
                """.formatted(
                        name, uid, Math.abs(uid.hashCode()), name, "x".repeat(SharedStringValues.LONGEST_SHARED + 1));
    }

    private Deployment read(String name) {
        return serialization.unmarshal(deployment(name, UUID.randomUUID().toString()), Deployment.class);
    }

    @Test
    void textsThatObjectsRepeatAreOneObject() {
        Deployment shop = read("shop");
        Deployment blog = read("blog");

        assertThat(blog.getMetadata().getLabels().get("app.kubernetes.io/managed-by"))
                .isSameAs(shop.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
        assertThat(blog.getMetadata().getLabels().get("appservice.dev/environment"))
                .isSameAs(shop.getMetadata().getLabels().get("appservice.dev/environment"));
        assertThat(blog.getMetadata().getNamespace())
                .isSameAs(shop.getMetadata().getNamespace());
        var shopContainer =
                shop.getSpec().getTemplate().getSpec().getContainers().get(0);
        var blogContainer =
                blog.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(blogContainer.getImage()).isSameAs(shopContainer.getImage());
        assertThat(blogContainer.getEnv().get(0).getName())
                .isSameAs(shopContainer.getEnv().get(0).getName());
        assertThat(read("shop").getMetadata().getName())
                .isSameAs(shop.getMetadata().getName());
    }

    @Test
    void textsEachObjectHasItsOwnOfAreLeftOutOfTheStringTable() {
        Deployment shop = read("shop");

        String uid = shop.getMetadata().getUid();
        String version = shop.getMetadata().getResourceVersion();
        String created = shop.getMetadata().getCreationTimestamp();
        String long_ = shop.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv()
                .get(1)
                .getValue();
        // Equal texts interned by no one else: intern() would return another object had they been interned here.
        assertThat(new String(uid.toCharArray()).intern()).isNotSameAs(uid);
        assertThat(new String(version.toCharArray()).intern()).isNotSameAs(version);
        assertThat(new String(long_.toCharArray()).intern()).isNotSameAs(long_);
        assertThat(created).isEqualTo("2026-12-03T07:48:06Z");
    }

    @Test
    void valuesAreUnchanged() {
        Pod pod = serialization.unmarshal("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": {"a": ""}},
                 "status": {"phase": "Running", "podIP": "10.0.0.7"}}
                """, Pod.class);

        assertThat(pod.getMetadata().getLabels()).containsEntry("a", "");
        assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        assertThat(pod.getStatus().getPodIP()).isEqualTo("10.0.0.7");
        assertThat(serialization.asJson(pod)).contains("\"podIP\":\"10.0.0.7\"");
    }
}
