package dev.appservice.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A slot's Deployment, Service and nginx server are built from the slot's view of its app
 * ({@link AppDeployments#asApp}), so every field of {@link WebAppSpec} needs a decision there: the
 * slot overrides it (a field of the same name on {@link DeploymentSlot}), the slot runs with the
 * app's value, or it belongs to production alone. A new WebApp field that reaches the container
 * fails here until that decision is made, instead of silently missing from every slot.
 */
class SlotViewTest {
    /** Fields a slot does not run with: production's host names, certificate and routing. */
    static final Set<String> PRODUCTION_ONLY = Set.of("hostNames", "slots", "production", "tls", "clientAffinity");

    static final ObjectMapper JSON = Serialization.jsonMapper();

    static final String APP = """
            apiVersion: appservice.dev/v1
            kind: WebApp
            metadata: {name: shop, namespace: team}
            spec:
              planName: web
              kind: Functions
              functions:
                runtime: dotnet-isolated
                storage: {name: storage, key: connection}
              image: registry.example/shop:1
              port: 8080
              env: [{name: MODE, value: production}, {name: REGION, value: west}]
              hostNames: [shop.example.com]
              healthCheckPath: /healthz
              startTimeLimit: 3m
              accessRestrictions: [{name: office, priority: 100, action: Allow, ipAddress: 10.0.0.0/8}]
              slots:
              - name: staging
                image: registry.example/shop:2
                env: [{name: MODE, value: staging}]
                healthCheckPath: /ready
                accessRestrictions: [{name: qa, priority: 100, action: Allow, ipAddress: 10.1.0.0/16}]
                trafficPercent: 10
                runAsUser: 2000
                runAsGroup: 2000
              - name: bare
                image: registry.example/shop:3
              production: staging
              runAsUser: 1000
              runAsGroup: 1000
              tls: {secretName: shop-tls}
              clientAffinity: true
            """;

    @Test
    void everyFieldOfTheAppIsOverriddenCarriedOrProductionOnlyInASlotsView() {
        Set<String> appFields = properties(WebAppSpec.class);
        Set<String> slotFields = properties(DeploymentSlot.class);
        Set<String> undecided = new TreeSet<>(appFields);
        undecided.removeAll(slotFields);
        undecided.removeAll(PRODUCTION_ONLY);

        WebApp app = Serialization.unmarshal(APP, WebApp.class);
        JsonNode spec = JSON.valueToTree(app.getSpec());
        assertThat(appFields)
                .as("the fixture sets every field of WebAppSpec, so that a carried one is seen carried")
                .allMatch(spec::hasNonNull);

        // A slot that sets nothing of its own runs with every carried field of the app.
        JsonNode bare = JSON.valueToTree(AppDeployments.asApp(app, "bare").getSpec());
        for (String field : undecided) {
            assertThat(bare.get(field))
                    .as(
                            "WebAppSpec.%s reaches a slot's view (AppDeployments.asApp) unchanged, or is declared"
                                    + " production-only here, or DeploymentSlot overrides it",
                            field)
                    .isEqualTo(spec.get(field));
        }
        for (String field : PRODUCTION_ONLY) {
            assertThat(bare.hasNonNull(field))
                    .as("production-only %s in a slot's view", field)
                    .isFalse();
        }

        // A slot that sets a field of its own runs with its own value.
        JsonNode staging = JSON.valueToTree(AppDeployments.asApp(app, "staging").getSpec());
        JsonNode stagingSlot = JSON.valueToTree(app.getSpec().getSlots().get(0));
        Set<String> overridden = appFields.stream().filter(slotFields::contains).collect(Collectors.toSet());
        assertThat(overridden).contains("image", "healthCheckPath", "accessRestrictions", "runAsUser", "runAsGroup");
        for (String field : overridden) {
            if (field.equals("env")) {
                continue;
            }
            assertThat(staging.get(field)).as("the slot's own %s", field).isEqualTo(stagingSlot.get(field));
        }
        // Environment variables merge by name, the slot's winning.
        assertThat(AppDeployments.asApp(app, "staging").getSpec().getEnv())
                .extracting(e -> e.getName() + "=" + e.getValue())
                .containsExactly("MODE=staging", "REGION=west");
        // Production is the app itself.
        assertThat(AppDeployments.asApp(app, AppDeployments.PRODUCTION)).isSameAs(app);
    }

    private static Set<String> properties(Class<?> type) {
        return JSON.getSerializationConfig().introspect(JSON.constructType(type)).findProperties().stream()
                .map(BeanPropertyDefinition::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
