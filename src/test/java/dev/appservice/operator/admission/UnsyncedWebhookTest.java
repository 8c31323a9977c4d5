package dev.appservice.operator.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.GroupVersionResourceBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import org.junit.jupiter.api.Test;

/**
 * Before its caches are filled (only reachable when traffic bypasses the readiness probe), the
 * webhook does not judge limits against half the cluster: it asks the API server to retry.
 */
class UnsyncedWebhookTest {

    @Test
    void aReviewBeforeTheCachesAreFilledIsRefusedWithRetry() {
        ValidatingWebhook webhook = new ValidatingWebhook();
        webhook.cache = new AdmissionCache(); // never started: nothing synced
        AdmissionRequest request = new AdmissionRequest();
        request.setUid("u1");
        request.setOperation("CREATE");
        request.setNamespace("team");
        request.setName("web");
        request.setResource(new GroupVersionResourceBuilder()
                .withGroup("appservice.dev")
                .withVersion("v1alpha1")
                .withResource("isolatedplans")
                .build());
        request.setObject(Fixtures.plan("team", "web", "ase", InstanceSize.I1, 5));

        AdmissionResponse response = webhook.review(request);

        assertThat(response.getAllowed()).isFalse();
        assertThat(response.getStatus().getCode()).isEqualTo(503);
        assertThat(response.getStatus().getMessage()).contains("caches").contains("retry");
    }
}
