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
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import dev.appservice.operator.testing.ReadyConditions;
import dev.appservice.operator.testing.Reconciles;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Input the CRD schemas accept that the operator turned into children a real API server refuses
 * (found by the validating layer in front of the mock server, issue 18). Each test gives the
 * input, lets the operator reconcile it, and expects what a fix gives: the resource Ready=False
 * with reason InvalidSpec naming the field, and no write the API server refuses. One input per
 * kind here, for the reconcilers' part; every input, as values (the operator's check against the
 * API server's rules for the children it would build), in {@link ApiServerAgreementValuesTest}.
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

    /** Nothing the operator wrote in this test's namespace was refused, once every reconcile it set off has run. */
    private void assertNoRefusedWrite() {
        Reconciles.awaitIdle(TIMEOUT);
        assertThat(MockKubernetes.refusedWritesIn(ns))
                .as("writes a Kubernetes 1.34 API server refuses")
                .isEmpty();
    }
}
