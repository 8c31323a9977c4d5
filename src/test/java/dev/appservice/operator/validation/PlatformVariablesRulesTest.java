package dev.appservice.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.PlatformVariables;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** spec.env (and a slot's env) may not redefine a platform variable: refused, naming the variable and the field. */
class PlatformVariablesRulesTest {

    @Test
    void everyPlatformVariableIsRefusedInTheAppsEnv() {
        for (String name : PlatformVariables.RESERVED) {
            WebApp app = Fixtures.app("team", "shop", "web", 8080);
            app.getSpec()
                    .setEnv(List.of(
                            new EnvVarBuilder().withName("FOO").withValue("bar").build(),
                            new EnvVarBuilder().withName(name).withValue("x").build()));
            assertThat(SpecValidation.errors(app)).as(name).singleElement().satisfies(v -> {
                assertThat(v.field()).isEqualTo("spec.env[1].name");
                assertThat(v.message()).contains("'" + name + "'").contains("platform variable");
                assertThat(v.warning()).isFalse();
            });
        }
    }

    @Test
    void aSlotsEnvIsRefusedWithTheSlotsField() {
        WebApp app = Fixtures.app("team", "shop", "web", 8080);
        DeploymentSlot staging = new DeploymentSlot();
        staging.setName("staging");
        staging.setImage("registry.example/shop:2.0");
        staging.setEnv(List.of(
                new EnvVarBuilder().withName("WEBSITE_HOSTNAME").withValue("x").build()));
        app.getSpec().setSlots(List.of(staging));
        assertThat(SpecValidation.errors(app)).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("spec.slots[0].env[0].name");
            assertThat(v.message()).contains("'WEBSITE_HOSTNAME'");
        });
    }

    @Test
    void homeAndOtherNamesAreTheApps() {
        WebApp app = Fixtures.app("team", "shop", "web", 8080);
        app.getSpec()
                .setEnv(List.of(
                        new EnvVarBuilder().withName("HOME").withValue("/data").build(),
                        new EnvVarBuilder()
                                .withName("WEBSITE_TIME_ZONE")
                                .withValue("UTC")
                                .build()));
        assertThat(SpecValidation.errors(app)).isEmpty();
    }
}
