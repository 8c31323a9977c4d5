package dev.appservice.operator.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.desired.AppChildren;
import dev.appservice.operator.desired.Workers;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.validation.SpecValidation;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The values behind {@link AppIsolationTest}, as pure functions: what the operator wants for app A
 * (alpha) is the same whatever happens to app B (beta) of the same plan, so no change of B can be
 * a reason to write A's Deployment or Service; only the plan's placeholder gives up or takes back
 * a share. (That the operator, wanting the same, writes nothing is {@link AppIsolationTest}'s.)
 */
class AppIsolationValuesTest {
    private static final String NS = "team";
    private static final AppServiceEnvironment ENVIRONMENT = Fixtures.environment(NS, "ase1");
    private static final IsolatedPlan PLAN = Fixtures.plan(NS, "web", "ase1", InstanceSize.I1, 2);

    private final WebApp a = Fixtures.app(NS, "alpha", "web", 8080);
    private final WebApp b = Fixtures.app(NS, "beta", "web", 9000);

    @Test
    void changingBsImageChangesBsDeploymentAndNothingOfAs() {
        AppChildren before = childrenOf(a, a, b);
        WebApp changed = Fixtures.app(NS, "beta", "web", 9000);
        changed.getSpec().setImage("registry.example/beta:2.0");

        assertThat(childrenOf(a, a, changed)).isEqualTo(before);
        assertThat(image(childrenOf(changed, a, changed).deployment())).isEqualTo("registry.example/beta:2.0");
        assertThat(image(childrenOf(b, a, b).deployment())).isEqualTo("registry.example/beta:1.0");
    }

    @Test
    void changingBsEnvChangesBsDeploymentAndNothingOfAs() {
        AppChildren before = childrenOf(a, a, b);
        WebApp changed = Fixtures.app(NS, "beta", "web", 9000);
        changed.getSpec()
                .setEnv(List.of(
                        new EnvVarBuilder().withName("MODE").withValue("fast").build()));

        assertThat(childrenOf(a, a, changed)).isEqualTo(before);
        assertThat(childrenOf(changed, a, changed)
                        .deployment()
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv())
                .anyMatch(e -> e.getName().equals("MODE") && e.getValue().equals("fast"));
    }

    @Test
    void addingCChangesNothingOfAsAndThePlaceholderGivesUpCsShare() {
        AppChildren before = childrenOf(a, a, b);
        WebApp c = Fixtures.app(NS, "gamma", "web", 9100);

        assertThat(childrenOf(a, a, b, c)).isEqualTo(before);
        assertThat(placeholderCpu(a, b)).isEqualTo("750m");
        assertThat(placeholderCpu(a, b, c)).isEqualTo("625m");
    }

    @Test
    void deletingBChangesNothingOfAsAndThePlaceholderTakesBsShareBack() {
        AppChildren before = childrenOf(a, a, b);

        assertThat(childrenOf(a, a)).isEqualTo(before);
        assertThat(placeholderCpu(a)).isEqualTo("875m");
    }

    @Test
    void bBecomingInvalidIsAnErrorOfBAloneAndChangesNothingOfAs() {
        AppChildren before = childrenOf(a, a, b);
        WebApp invalid = Fixtures.app(NS, "beta", "web", 9000);
        invalid.getSpec()
                .setEnv(List.of(new EnvVarBuilder()
                        .withName("SECRET")
                        .withValue("x")
                        .withNewValueFrom()
                        .withNewSecretKeyRef("key", "secret", false)
                        .endValueFrom()
                        .build()));

        assertThat(SpecValidation.describe(SpecValidation.errors(invalid)))
                .contains("spec.env[0]", "both value and valueFrom");
        assertThat(SpecValidation.errors(a)).isEmpty();
        assertThat(childrenOf(a, a, invalid)).isEqualTo(before);
    }

    @Test
    void asServiceSelectsAsPodsAndNoneOfBs() {
        AppChildren alpha = childrenOf(a, a, b);
        AppChildren beta = childrenOf(b, a, b);
        Map<String, String> selector = alpha.service().getSpec().getSelector();

        assertThat(selector).isEqualTo(StandardLabels.appSelector("ase1", "alpha"));
        assertThat(podLabels(alpha.deployment())).containsAllEntriesOf(selector);
        assertThat(podLabels(beta.deployment()).entrySet().containsAll(selector.entrySet()))
                .as("B's pods carry all of A's selector")
                .isFalse();
    }

    private static AppChildren childrenOf(WebApp app, WebApp... apps) {
        return AppChildren.of(new EnvironmentTopology(ENVIRONMENT, List.of(PLAN), List.of(apps)), PLAN, app);
    }

    private static String placeholderCpu(WebApp... apps) {
        Deployment workers = Workers.deployment(
                new EnvironmentTopology(ENVIRONMENT, List.of(PLAN), List.of(apps)), PLAN, OperatorSettings.defaults());
        return workers.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getResources()
                .getRequests()
                .get("cpu")
                .toString();
    }

    private static String image(Deployment deployment) {
        return deployment
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage();
    }

    private static Map<String, String> podLabels(Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getLabels();
    }
}
