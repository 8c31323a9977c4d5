package dev.appservice.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.LoadBalancerSettings;
import dev.appservice.operator.api.LoadBalancerType;
import dev.appservice.operator.api.TlsSettings;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.desired.AppChildren;
import dev.appservice.operator.desired.EnvironmentChildren;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.apiserver.CustomResourceSchemas;
import dev.appservice.operator.testing.apiserver.FieldError;
import dev.appservice.operator.testing.apiserver.KubernetesApiValidation;
import dev.appservice.operator.validation.SpecValidation;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The values behind {@link ApiServerAgreementTest}, as pure functions (issue 18): for each input the
 * CRD schemas accept, the children the operator would build from it are refused by the API
 * server's rules (the validating layer of the tests' mock server), and the operator's own check
 * ({@link SpecValidation#errors}, whose {@link SpecValidation#describe description} is the
 * {@code InvalidSpec} message) names the field first, so nothing is written. The same input made
 * valid passes both, so neither check is vacuous. That the reconcilers turn the check into
 * Ready=False InvalidSpec and write nothing is {@link ApiServerAgreementTest}'s.
 */
class ApiServerAgreementValuesTest {
    private static final KubernetesApiValidation API = new KubernetesApiValidation(CustomResourceSchemas.fromProject());
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final String NS = "team";

    static Stream<Arguments> invalidVariables() {
        return Stream.of(
                Arguments.of(
                        "an empty valueFrom",
                        new EnvVarBuilder()
                                .withName("A")
                                .withNewValueFrom()
                                .endValueFrom()
                                .build()),
                Arguments.of(
                        "value and valueFrom",
                        new EnvVarBuilder()
                                .withName("A")
                                .withValue("x")
                                .withNewValueFrom()
                                .withNewFieldRef()
                                .withFieldPath("metadata.name")
                                .endFieldRef()
                                .endValueFrom()
                                .build()),
                Arguments.of(
                        "a secretKeyRef without a name",
                        new EnvVarBuilder()
                                .withName("A")
                                .withNewValueFrom()
                                .withNewSecretKeyRef()
                                .withKey("password")
                                .endSecretKeyRef()
                                .endValueFrom()
                                .build()),
                Arguments.of(
                        "an invalid configMap key",
                        new EnvVarBuilder()
                                .withName("A")
                                .withNewValueFrom()
                                .withNewConfigMapKeyRef()
                                .withName("settings")
                                .withKey("a/b")
                                .endConfigMapKeyRef()
                                .endValueFrom()
                                .build()),
                Arguments.of(
                        "an unsupported fieldPath",
                        new EnvVarBuilder()
                                .withName("A")
                                .withNewValueFrom()
                                .withNewFieldRef()
                                .withFieldPath("spec.containers")
                                .endFieldRef()
                                .endValueFrom()
                                .build()),
                Arguments.of(
                        "an unsupported resource field",
                        new EnvVarBuilder()
                                .withName("A")
                                .withNewValueFrom()
                                .withNewResourceFieldRef()
                                .withResource("limits.gpu")
                                .endResourceFieldRef()
                                .endValueFrom()
                                .build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidVariables")
    void anInvalidVariableSourceIsInvalidSpecNotARefusedDeployment(String what, EnvVar variable) {
        assertAppAgreement("spec.env[0]", app -> app.getSpec().setEnv(List.of(variable)));
    }

    @Test
    void anImageWithSurroundingSpacesIsInvalidSpecNotARefusedDeployment() {
        assertAppAgreement("spec.image", app -> app.getSpec().setImage(" registry.example/shop:1.0 "));
    }

    @Test
    void loadBalancerAnnotationKeysAreCheckedBeforeTheVipService() {
        assertEnvironmentAgreement("spec.loadBalancer.annotations", environment -> {
            LoadBalancerSettings lb = new LoadBalancerSettings();
            lb.setType(LoadBalancerType.External);
            lb.setAnnotations(Map.of("not a key/x/y", "true"));
            environment.getSpec().setLoadBalancer(lb);
        });
    }

    @Test
    void aTlsSecretNameThatIsNoSecretNameIsInvalidSpec() {
        assertEnvironmentAgreement("spec.tls.secretName", environment -> {
            TlsSettings tls = new TlsSettings();
            tls.setSecretName("Front_TLS");
            environment.getSpec().setTls(tls);
        });
    }

    /** The app changed: refused by the API server in its children and by the operator first; unchanged: neither. */
    private static void assertAppAgreement(String field, Consumer<WebApp> change) {
        WebApp valid = Fixtures.app(NS, "shop", "web", 8080);
        WebApp invalid = Fixtures.app(NS, "shop", "web", 8080);
        change.accept(invalid);

        assertThat(SpecValidation.errors(valid)).isEmpty();
        assertThat(refusals(appChildren(valid))).isEmpty();
        assertThat(SpecValidation.describe(SpecValidation.errors(invalid))).contains(field);
        assertThat(refusals(appChildren(invalid)))
                .as("what a Kubernetes 1.34 API server refuses of the children, were they written")
                .isNotEmpty();
    }

    private static void assertEnvironmentAgreement(String field, Consumer<AppServiceEnvironment> change) {
        AppServiceEnvironment valid = Fixtures.environment(NS, "ase1");
        AppServiceEnvironment invalid = Fixtures.environment(NS, "ase1");
        change.accept(invalid);

        assertThat(SpecValidation.errors(valid)).isEmpty();
        assertThat(refusals(environmentChildren(valid))).isEmpty();
        assertThat(SpecValidation.describe(SpecValidation.errors(invalid))).contains(field);
        assertThat(refusals(environmentChildren(invalid)))
                .as("what a Kubernetes 1.34 API server refuses of the children, were they written")
                .isNotEmpty();
    }

    private static List<HasMetadata> appChildren(WebApp app) {
        AppServiceEnvironment environment = Fixtures.environment(NS, "ase1");
        IsolatedPlan plan = Fixtures.plan(NS, "web", "ase1", InstanceSize.I1, 1);
        return AppChildren.of(new EnvironmentTopology(environment, List.of(plan), List.of(app)), plan, app)
                .all();
    }

    private static List<HasMetadata> environmentChildren(AppServiceEnvironment environment) {
        return EnvironmentChildren.offline(new EnvironmentTopology(environment, List.of()), OperatorSettings.defaults())
                .all();
    }

    private static List<String> refusals(List<HasMetadata> children) {
        List<String> refused = new ArrayList<>();
        for (HasMetadata child : children) {
            JsonNode object = JSON.convertValue(child, JsonNode.class);
            for (FieldError error : API.validate(object, null)) {
                refused.add(child.getKind() + " " + child.getMetadata().getName() + ": " + error);
            }
        }
        return refused;
    }
}
