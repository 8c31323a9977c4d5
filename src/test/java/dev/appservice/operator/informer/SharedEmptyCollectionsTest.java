package dev.appservice.operator.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.testing.MaximalWebApp;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/** The empty maps and lists of a cached object are the shared immutable ones; what it says is unchanged. */
class SharedEmptyCollectionsTest {
    private final KubernetesSerialization json = new KubernetesSerialization();

    private Deployment fromServer() {
        Deployment deployment = new DeploymentBuilder()
                .withNewMetadata()
                .withName("frontend")
                .withNamespace("contoso")
                .withUid("3f1c2a4e-0000-4000-8000-000000000000")
                .withResourceVersion("42")
                .addToLabels("app.kubernetes.io/name", "ase")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app.kubernetes.io/name", "ase")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app.kubernetes.io/name", "ase")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("nginx")
                .withImage("nginx:1.27")
                .addNewEnv()
                .withName("MEMORY")
                .withNewValueFrom()
                .withNewResourceFieldRef()
                .withResource("limits.memory")
                .withNewDivisor("1Mi")
                .endResourceFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewPort()
                .withContainerPort(8080)
                .endPort()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .withNewStatus()
                .withReadyReplicas(2)
                .endStatus()
                .build();
        // As a watch delivers it: deserialised, every model object with its own empty maps and lists.
        return json.unmarshal(json.asJson(deployment), Deployment.class);
    }

    @Test
    void theObjectSaysTheSameAndHoldsNoEmptyMapOrListOfItsOwn() {
        Deployment deployment = fromServer();
        String before = json.asJson(deployment);
        long emptyMapsBefore = emptyOwnCollections(deployment);
        assertThat(emptyMapsBefore)
                .as("a deserialised Deployment's own empty maps and lists")
                .isGreaterThan(20);

        Deployment shared = SharedEmptyCollections.in(deployment);

        assertThat(shared).isSameAs(deployment);
        assertThat(json.asJson(shared)).isEqualTo(before);
        assertThat(json.unmarshal(json.asJson(shared), Deployment.class)).isEqualTo(fromServer());
        assertThat(emptyOwnCollections(shared)).isZero();
        EnvVar variable = shared.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv()
                .get(0);
        assertThat(variable.getValueFrom().getResourceFieldRef().getDivisor().getAdditionalProperties())
                .isSameAs(Map.of());
        // Non-empty ones are left as they are.
        assertThat(shared.getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "ase");
    }

    @Test
    void aCachedObjectRefusesToBeChangedThroughASharedEmpty() {
        Deployment shared = SharedEmptyCollections.in(fromServer());
        assertThatThrownBy(() -> shared.getMetadata().getAnnotations().put("changed", "by a reader"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theCustomResourcesMetadataSpecAndStatusAreWalkedAndTheLargestAppShrinks() {
        WebApp app = MaximalWebApp.build("tenant", MaximalWebApp.Shape.SMALLEST_ENTRIES);
        app.getMetadata().setUid("3f1c2a4e-0000-4000-8000-000000000001");
        app.getMetadata().setResourceVersion("7");
        WebApp deserialised = json.unmarshal(json.asJson(app), WebApp.class);
        String before = json.asJson(deserialised);
        long size = GraphLayout.parseInstance(deserialised).totalSize();

        WebApp shared = SharedEmptyCollections.in(deserialised);

        assertThat(json.asJson(shared)).isEqualTo(before);
        assertThat(emptyOwnCollections(shared)).isZero();
        long sharedSize = GraphLayout.parseInstance(shared).totalSize();
        System.out.printf("maximal WebApp: %d bytes deserialised, %d with shared empties%n", size, sharedSize);
        // Its 128 variables with a resourceFieldRef and a divisor alone held 4 x 128 empty maps.
        assertThat(sharedSize).isLessThan(size - 128 * 4 * 48);
    }

    /**
     * Empty LinkedHashMaps and ArrayLists held by the object's model objects, at any depth (the shared immutable
     * empties are neither), found through every field of every class up the hierarchy.
     */
    private static long emptyOwnCollections(Object object) {
        return count(object, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    }

    private static long count(Object object, java.util.Set<Object> seen) {
        if (object == null || !seen.add(object)) {
            return 0;
        }
        if (object instanceof java.util.Map<?, ?> map) {
            return (map instanceof LinkedHashMap<?, ?> && map.isEmpty() ? 1 : 0)
                    + map.values().stream().mapToLong(v -> count(v, seen)).sum();
        }
        if (object instanceof java.util.Collection<?> collection) {
            return (collection instanceof ArrayList<?> && collection.isEmpty() ? 1 : 0)
                    + collection.stream().mapToLong(v -> count(v, seen)).sum();
        }
        if (!object.getClass().getName().startsWith("io.fabric8")
                && !object.getClass().getName().startsWith("dev.appservice")) {
            return 0;
        }
        long empty = 0;
        for (Class<?> c = object.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Field field : c.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(field.getModifiers())
                        || field.getType().isPrimitive()) {
                    continue;
                }
                try {
                    field.setAccessible(true);
                    empty += count(field.get(object), seen);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new AssertionError("cannot read " + field, e);
                }
            }
        }
        return empty;
    }
}
