package dev.appservice.operator.informer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Informers that store through SharingItemStore hold one Java object per object version. */
class SharingItemStoreTest {
    final KubernetesSerialization json = new KubernetesSerialization();

    /** What two watches deliver: equal objects, deserialised separately. */
    IsolatedPlan[] twoCopies(String uid, String resourceVersion) {
        IsolatedPlan plan = Fixtures.plan("team", "web", "ase", InstanceSize.I1, 2);
        plan.getMetadata().setUid(uid);
        plan.getMetadata().setResourceVersion(resourceVersion);
        String wire = json.asJson(plan);
        return new IsolatedPlan[] {json.unmarshal(wire, IsolatedPlan.class), json.unmarshal(wire, IsolatedPlan.class)};
    }

    @Test
    void twoCachesOfTheSameVersionHoldOneObject() {
        IsolatedPlan[] copies = twoCopies(UUID.randomUUID().toString(), "7");
        SharingItemStore<IsolatedPlan> controller = new SharingItemStore<>();
        SharingItemStore<IsolatedPlan> webhook = new SharingItemStore<>();
        controller.put(controller.getKey(copies[0]), copies[0]);
        webhook.put(webhook.getKey(copies[1]), copies[1]);

        assertThat(controller.getKey(copies[0])).isEqualTo("team/web");
        assertThat(webhook.get("team/web")).isSameAs(controller.get("team/web")).isSameAs(copies[0]);
        assertThat(webhook.size()).isEqualTo(1);
        assertThat(webhook.keySet()).containsExactly("team/web");
    }

    /**
     * A real API server's object: managed fields of two managers and kubectl's copy of the
     * manifest. The cache keeps neither, and keeps every other annotation.
     */
    @Test
    void managedFieldsAndTheLastAppliedCopyAreNotCached() {
        IsolatedPlan plan = twoCopies(UUID.randomUUID().toString(), "3")[0];
        plan.getMetadata()
                .setManagedFields(java.util.List.of(
                        new io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder()
                                .withManager("kubectl-client-side-apply")
                                .withOperation("Update")
                                .build(),
                        new io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder()
                                .withManager("ase-operator")
                                .withOperation("Update")
                                .withSubresource("status")
                                .build()));
        plan.getMetadata()
                .setAnnotations(java.util.Map.of(
                        SharingItemStore.LAST_APPLIED, json.asJson(plan), "team.example/owner", "web-team"));
        SharingItemStore<IsolatedPlan> store = new SharingItemStore<>();
        store.put(store.getKey(plan), plan);

        IsolatedPlan cached = store.get("team/web");
        assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(cached.getMetadata().getAnnotations())
                .containsExactly(java.util.Map.entry("team.example/owner", "web-team"));
        assertThat(cached.getSpec().getInstances()).isEqualTo(2);
        assertThat(json.asJson(cached)).doesNotContain("managedFields").doesNotContain("last-applied");
    }

    @Test
    void aNewVersionIsANewObjectAndRemovalIsPerStore() {
        String uid = UUID.randomUUID().toString();
        IsolatedPlan version7 = twoCopies(uid, "7")[0];
        IsolatedPlan version8 = twoCopies(uid, "8")[0];
        SharingItemStore<IsolatedPlan> controller = new SharingItemStore<>();
        SharingItemStore<IsolatedPlan> webhook = new SharingItemStore<>();
        controller.put("team/web", version7);
        webhook.put("team/web", version7);
        webhook.put("team/web", version8);

        assertThat(controller.get("team/web")).isSameAs(version7);
        assertThat(webhook.get("team/web")).isSameAs(version8);
        assertThat(webhook.remove("team/web")).isSameAs(version8);
        assertThat(webhook.get("team/web")).isNull();
        assertThat(controller.get("team/web")).as("other stores keep theirs").isSameAs(version7);
    }

    @Test
    void objectsWithoutUidOrVersionAreNeverShared() {
        IsolatedPlan[] copies = twoCopies(null, null);
        assertThat(ObjectVersions.shared(copies[1])).isSameAs(copies[1]);
        assertThat(ObjectVersions.shared(copies[0])).isSameAs(copies[0]);
    }

    /**
     * A status patch's answer, cached by the SDK as the recent write before the watch brings the
     * same version: it is cached without managed fields, and the watch's copy of that version is
     * then the same object, not a second one.
     */
    @Test
    void theAnswerToAWriteIsTheObjectTheWatchBringsLater() {
        IsolatedPlan[] copies = twoCopies(UUID.randomUUID().toString(), "12");
        copies[0]
                .getMetadata()
                .setManagedFields(java.util.List.of(new io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder()
                        .withManager("ase-operator")
                        .withSubresource("status")
                        .build()));
        IsolatedPlan written = SharingItemStore.cached(copies[0]);
        SharingItemStore<IsolatedPlan> store = new SharingItemStore<>();
        store.put(store.getKey(copies[1]), copies[1]);

        assertThat(written.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(store.get("team/web")).isSameAs(written);
    }
}
