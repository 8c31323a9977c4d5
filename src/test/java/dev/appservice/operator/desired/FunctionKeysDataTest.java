package dev.appservice.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.testing.Fixtures;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The keys Secret's data as data: generated where missing, kept where present, a removed slot's dropped. */
class FunctionKeysDataTest {

    static WebApp withSlots(String... slots) {
        WebApp app = Fixtures.functionApp("team", "orders", "plan", 8080, "node");
        app.getSpec()
                .setSlots(java.util.Arrays.stream(slots)
                        .map(name -> {
                            DeploymentSlot slot = new DeploymentSlot();
                            slot.setName(name);
                            slot.setImage("registry.example/orders:" + name);
                            return slot;
                        })
                        .toList());
        return app;
    }

    @Test
    void missingEntriesAreGeneratedAndExistingOnesKept() throws Exception {
        Map<String, String> first = FunctionKeys.data(withSlots("staging"), null);
        assertThat(first).containsOnlyKeys("production.host.json", "staging.host.json");
        JsonNode host = new ObjectMapper().readTree(Base64.getDecoder().decode(first.get("production.host.json")));
        assertThat(host.path("masterKey").path("name").asText()).isEqualTo("master");
        assertThat(host.path("functionKeys").get(0).path("name").asText()).isEqualTo("default");
        assertThat(host.path("masterKey").path("value").asText())
                .isNotEqualTo(host.path("functionKeys").get(0).path("value").asText())
                .hasSize(43); // 32 bytes, URL-safe base64 without padding
        assertThat(first.get("production.host.json")).isNotEqualTo(first.get("staging.host.json"));

        Map<String, String> again = FunctionKeys.data(withSlots("staging", "canary"), first);
        assertThat(again)
                .containsEntry("production.host.json", first.get("production.host.json"))
                .containsEntry("staging.host.json", first.get("staging.host.json"))
                .containsKey("canary.host.json");

        assertThat(FunctionKeys.data(withSlots(), again))
                .as("a removed slot's keys are dropped")
                .containsOnlyKeys("production.host.json")
                .containsEntry("production.host.json", first.get("production.host.json"));
    }

    @Test
    void theDesiredSecretHasNoData() {
        var secret = FunctionKeys.secret(withSlots("staging"), Map.of("appservice.dev/webapp", "orders"));
        assertThat(secret.getData()).isNullOrEmpty();
        assertThat(secret.getStringData()).isNullOrEmpty();
        assertThat(secret.getMetadata().getName()).isEqualTo("orders-function-keys");
        assertThat(secret.getMetadata().getLabels())
                .containsEntry(FunctionKeys.LABEL, "true")
                .containsEntry("appservice.dev/webapp", "orders");
        assertThat(List.of(FunctionKeys.SELECTOR.split(","))).contains(FunctionKeys.LABEL);
    }
}
