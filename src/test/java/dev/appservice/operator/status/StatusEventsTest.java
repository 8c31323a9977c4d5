package dev.appservice.operator.status;

import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Events and the status writes they report, against the mock API server: an event is posted only
 * after its status was written, once per transition, and for the longest resource names.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class StatusEventsTest extends OperatorTest {

    @Test
    void aFailedStatusPatchPostsNoEventAndTheRetryThatWritesItPostsItOnce() throws InterruptedException {
        String status = "/apis/" + HasMetadata.getApiVersion(IsolatedPlan.class) + "/namespaces/" + ns + "/"
                + HasMetadata.getPlural(IsolatedPlan.class) + "/early/status";
        // The first status patch is refused; the client does not retry a 409, the SDK's retry does.
        MockKubernetes.server()
                .expect()
                .patch()
                .withPath(status)
                .andReturn(
                        409,
                        new StatusBuilder()
                                .withCode(409)
                                .withReason("Conflict")
                                .withMessage("the object has been modified")
                                .build())
                .once();
        MockKubernetes.clearRequests();
        client.resource(plan(ns, "early", "missing-ase", InstanceSize.I1, 1)).create();

        awaitReady(ns, "early", "EnvironmentNotFound");
        List<Event> events =
                await().atMost(TIMEOUT).until(() -> events("early", "EnvironmentNotFound"), e -> !e.isEmpty());
        assertThat(events)
                .as("one event for one transition, though its first status patch failed")
                .hasSize(1);

        // The request log (writes only): the refused patch, then every event right after a status patch that succeeded.
        List<String> writes = MockKubernetes.requestsSinceClear().stream()
                .filter(r -> r.getPath().contains("/namespaces/" + ns + "/")
                        && !r.getMethod().equals("GET"))
                .map(r -> r.getMethod() + " " + r.getPath().replaceAll("\\?.*", ""))
                .toList();
        String patch = "PATCH " + status;
        String postEvent = "POST /api/v1/namespaces/" + ns + "/events";
        int refused = writes.indexOf(patch);
        assertThat(refused).as("the refused patch, in %s", writes).isGreaterThanOrEqualTo(0);
        assertThat(writes.subList(0, refused + 1))
                .as("no event before or for the refused patch, in %s", writes)
                .doesNotContain(postEvent);
        for (int i = refused + 1; i < writes.size(); i++) {
            if (writes.get(i).equals(postEvent)) {
                assertThat(writes.get(i - 1))
                        .as("what came before event %d, in %s", i, writes)
                        .isEqualTo(patch);
                assertThat(i - 1)
                        .as("the patch before event %d, in %s", i, writes)
                        .isNotEqualTo(refused);
            }
        }
        assertThat(writes.stream().filter(postEvent::equals).count())
                .as("every event posted was recorded once, in %s", writes)
                .isEqualTo(
                        client.v1().events().inNamespace(ns).list().getItems().size());
    }

    @Test
    void aResourceWithTheLongestNameGetsItsEvent() {
        String name = "p".repeat(61) + "." + "q".repeat(63) + "." + "r".repeat(63) + "." + "s".repeat(63);
        assertThat(name).hasSize(253);
        client.resource(plan(ns, name, "missing-ase", InstanceSize.I1, 1)).create();
        awaitReady(ns, name, "EnvironmentNotFound");
        Event event = await().atMost(TIMEOUT)
                .until(() -> events(name, "EnvironmentNotFound"), e -> !e.isEmpty())
                .get(0);
        assertThat(event.getMetadata().getName())
                .hasSizeLessThanOrEqualTo(253)
                .matches(ConditionEventsTest.DNS_SUBDOMAIN);
        assertThat(event.getInvolvedObject().getKind()).isEqualTo("IsolatedPlan");
    }

    private void awaitReady(String namespace, String name, String reason) {
        await().atMost(TIMEOUT)
                .until(
                        () -> client.resources(IsolatedPlan.class)
                                .inNamespace(namespace)
                                .withName(name)
                                .get(),
                        p -> p.getStatus() != null
                                && Conditions.find(p.getStatus().getConditions(), Conditions.READY) != null
                                && reason.equals(Conditions.find(p.getStatus().getConditions(), Conditions.READY)
                                        .getReason()));
    }

    private List<Event> events(String name, String reason) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .toList();
    }
}
