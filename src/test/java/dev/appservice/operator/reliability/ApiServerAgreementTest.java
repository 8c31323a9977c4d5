package dev.appservice.operator.reliability;

import static dev.appservice.operator.testing.Fixtures.environment;
import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.LoadBalancerSettings;
import dev.appservice.operator.api.LoadBalancerType;
import dev.appservice.operator.api.ObservedStatus;
import dev.appservice.operator.api.TlsSettings;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import dev.appservice.operator.testing.ReadyConditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Input the CRD schemas accept that the operator turned into children a real API server refuses
 * (found by the validating layer in front of the mock server, issue 18). Each test gives the
 * input, lets the operator reconcile it, and expects what a fix gives: the resource Ready=False
 * with reason InvalidSpec naming the field, and no write the API server refuses.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class ApiServerAgreementTest extends OperatorTest {

    @Test
    void aPlanWhoseOnlyAppIsInvalidGetsNoServiceWithoutPorts() {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 1)).create();
        WebApp app = Fixtures.app(ns, "bad", "web", 8080);
        app.getSpec().setHostNames(List.of("not a host name"));
        client.resource(app).create();

        awaitInvalidSpec(WebApp.class, "bad", "spec.hostNames[0]");
        assertNoRefusedWrite();
        assertThat(client.services().inNamespace(ns).withName("web-workers").get())
                .as("no Service for a plan without valid apps")
                .isNull();
    }

    @Test
    void loadBalancerAnnotationKeysAreCheckedBeforeTheVipService() {
        AppServiceEnvironment environment = environment(ns, "ase1");
        LoadBalancerSettings lb = new LoadBalancerSettings();
        lb.setType(LoadBalancerType.External);
        lb.setAnnotations(Map.of("not a key/x/y", "true"));
        environment.getSpec().setLoadBalancer(lb);
        client.resource(environment).create();

        awaitInvalidSpec(AppServiceEnvironment.class, "ase1", "spec.loadBalancer.annotations");
        assertNoRefusedWrite();
    }

    @Test
    void anEmptyValueFromIsInvalidSpecNotARefusedDeployment() {
        assertAppEnvIsInvalidSpec(new EnvVarBuilder()
                .withName("A")
                .withNewValueFrom()
                .endValueFrom()
                .build());
    }

    @Test
    void valueAndValueFromIsInvalidSpecNotARefusedDeployment() {
        assertAppEnvIsInvalidSpec(new EnvVarBuilder()
                .withName("A")
                .withValue("x")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.name")
                .endFieldRef()
                .endValueFrom()
                .build());
    }

    @Test
    void aSecretKeyRefWithoutANameIsInvalidSpecNotARefusedDeployment() {
        assertAppEnvIsInvalidSpec(new EnvVarBuilder()
                .withName("A")
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withKey("password")
                .endSecretKeyRef()
                .endValueFrom()
                .build());
    }

    @Test
    void anInvalidConfigMapKeyIsInvalidSpecNotARefusedDeployment() {
        assertAppEnvIsInvalidSpec(new EnvVarBuilder()
                .withName("A")
                .withNewValueFrom()
                .withNewConfigMapKeyRef()
                .withName("settings")
                .withKey("a/b")
                .endConfigMapKeyRef()
                .endValueFrom()
                .build());
    }

    @Test
    void anUnsupportedFieldPathIsInvalidSpecNotARefusedDeployment() {
        assertAppEnvIsInvalidSpec(new EnvVarBuilder()
                .withName("A")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("spec.containers")
                .endFieldRef()
                .endValueFrom()
                .build());
    }

    @Test
    void anUnsupportedResourceFieldIsInvalidSpecNotARefusedDeployment() {
        assertAppEnvIsInvalidSpec(new EnvVarBuilder()
                .withName("A")
                .withNewValueFrom()
                .withNewResourceFieldRef()
                .withResource("limits.gpu")
                .endResourceFieldRef()
                .endValueFrom()
                .build());
    }

    @Test
    void anImageWithSurroundingSpacesIsInvalidSpecNotARefusedDeployment() {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 1)).create();
        WebApp app = Fixtures.app(ns, "shop", "web", 8080);
        app.getSpec().setImage(" registry.example/shop:1.0 ");
        client.resource(app).create();

        awaitInvalidSpec(WebApp.class, "shop", "spec.image");
        assertNoRefusedWrite();
    }

    @Test
    void aTlsSecretNameThatIsNoSecretNameIsInvalidSpec() {
        AppServiceEnvironment environment = environment(ns, "ase1");
        TlsSettings tls = new TlsSettings();
        tls.setSecretName("Front_TLS");
        environment.getSpec().setTls(tls);
        client.resource(environment).create();

        awaitInvalidSpec(AppServiceEnvironment.class, "ase1", "spec.tls.secretName");
        assertNoRefusedWrite();
    }

    private void assertAppEnvIsInvalidSpec(EnvVar variable) {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 1)).create();
        WebApp app = Fixtures.app(ns, "shop", "web", 8080);
        app.getSpec().setEnv(List.of(variable));
        client.resource(app).create();

        awaitInvalidSpec(WebApp.class, "shop", "spec.env[0]");
        assertNoRefusedWrite();
    }

    /** Ready=False, reason InvalidSpec, naming the field; while waiting, no refused write may pass unnoticed. */
    private void awaitInvalidSpec(
            Class<? extends CustomResource<?, ? extends ObservedStatus>> kind, String name, String field) {
        await().atMost(TIMEOUT)
                .until(() -> !MockKubernetes.refusedWritesIn(ns).isEmpty()
                        || invalidSpecNaming(ReadyConditions.of(client, kind, ns, name), field));
        assertNoRefusedWrite();
        assertThat(invalidSpecNaming(ReadyConditions.of(client, kind, ns, name), field))
                .isTrue();
    }

    private static boolean invalidSpecNaming(Condition ready, String field) {
        return ready != null
                && "InvalidSpec".equals(ready.getReason())
                && ready.getMessage() != null
                && ready.getMessage().contains(field);
    }

    /** Nothing the operator wrote in this test's namespace was refused, a moment after it settled too. */
    private void assertNoRefusedWrite() {
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(MockKubernetes.refusedWritesIn(ns))
                .as("writes a Kubernetes 1.34 API server refuses")
                .isEmpty();
    }
}
