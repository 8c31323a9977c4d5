package dev.appservice.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.IsolatedPlan;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which condition changes make an event, and how events are named. Pure, no API server. */
class ConditionEventsTest {
    static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    static IsolatedPlan plan(String name, String resourceVersion) {
        IsolatedPlan plan = new IsolatedPlan();
        plan.setMetadata(new ObjectMetaBuilder()
                .withNamespace("ns")
                .withName(name)
                .withUid("0f6c-uid")
                .withResourceVersion(resourceVersion)
                .build());
        return plan;
    }

    static Condition ready(String status, String reason) {
        return new ConditionBuilder()
                .withType(Conditions.READY)
                .withStatus(status)
                .withReason(reason)
                .withMessage("m")
                .build();
    }

    @Test
    void theSameTransitionAlwaysGetsTheSameNameSoARepeatedPostIsRefusedAsAlreadyExists() {
        List<Event> first = ConditionEvents.between(
                plan("p", "41"), List.of(), List.of(ready("False", "EnvironmentNotFound")), NOW);
        List<Event> again = ConditionEvents.between(
                plan("p", "41"), List.of(), List.of(ready("False", "EnvironmentNotFound")), NOW.plusSeconds(3));
        assertThat(first).singleElement().satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
        assertThat(again.get(0).getMetadata().getName())
                .isEqualTo(first.get(0).getMetadata().getName());

        // A later transition (a different resourceVersion) or another reason is another event.
        String later = ConditionEvents.between(
                        plan("p", "57"), List.of(), List.of(ready("False", "EnvironmentNotFound")), NOW)
                .get(0)
                .getMetadata()
                .getName();
        String otherReason = ConditionEvents.between(
                        plan("p", "41"), List.of(), List.of(ready("False", "PlanNotFound")), NOW)
                .get(0)
                .getMetadata()
                .getName();
        assertThat(List.of(later, otherReason))
                .doesNotContain(first.get(0).getMetadata().getName())
                .doesNotHaveDuplicates();
    }

    @Test
    void eventNamesAreDnsSubdomainsOfAtMost253CharactersForTheLongestResourceNames() {
        String longest = "a".repeat(61) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63);
        assertThat(longest).hasSize(253);
        // Names whose cut would end in '.' or '-' (the prefix keeps 236 characters).
        String dotAtCut = "e".repeat(235) + "." + "f".repeat(17);
        String dashAtCut = "g".repeat(235) + "-" + "h".repeat(17);
        for (String name : List.of(longest, dotAtCut, dashAtCut, "p")) {
            String event = ConditionEvents.eventName(plan(name, "1"), ready("True", "Ready"));
            assertThat(event).as(name).hasSizeLessThanOrEqualTo(253).matches(DNS_SUBDOMAIN);
        }
        assertThat(ConditionEvents.eventName(plan("short", "1"), ready("True", "Ready")))
                .startsWith("short.");
    }

    @Test
    void onlyChangesAUserMustKnowAboutMakeEvents() {
        assertThat(ConditionEvents.between(
                        plan("p", "1"),
                        List.of(ready("False", "EnvironmentNotFound")),
                        List.of(ready("False", "EnvironmentNotFound")),
                        NOW))
                .as("unchanged")
                .isEmpty();
        assertThat(ConditionEvents.between(plan("p", "1"), List.of(), List.of(ready("False", "WorkersNotReady")), NOW))
                .as("progress")
                .isEmpty();
        assertThat(ConditionEvents.between(
                        plan("p", "1"),
                        List.of(ready("False", "WorkersNotReady")),
                        List.of(ready("True", "Ready")),
                        NOW))
                .singleElement()
                .satisfies(e -> assertThat(e.getType()).isEqualTo("Normal"));
    }
}
