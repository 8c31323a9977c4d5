package dev.appservice.operator.reliability;

import static dev.appservice.operator.testing.Fixtures.environment;
import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.ObservedStatus;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import dev.appservice.operator.testing.ReadyConditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.CustomResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Specs the CRD's schema accepts and the webhook would refuse, stored anyway (the webhook bypassed
 * or down; the API server applies the schema whatever the webhook does, so only what the schema
 * cannot say gets this far): the reconcilers report them in Ready (reason InvalidSpec, the object
 * and field named, at the current generation) and leave the children as they are, neither half
 * applied nor torn down; fixing the spec resumes reconciling.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class InvalidSpecTest extends OperatorTest {

    Condition ready(Class<? extends CustomResource<?, ? extends ObservedStatus>> kind, String name) {
        return ReadyConditions.of(client, kind, ns, name);
    }

    @Test
    void anEnvironmentEditedIntoAnInvalidSpecKeepsItsChildrenAndSaysWhy() {
        client.resource(environment(ns, "ase1")).create();
        Deployment frontEnds = await().atMost(TIMEOUT)
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName("ase1-frontend")
                                .get(),
                        d -> d != null);

        client.resources(AppServiceEnvironment.class)
                .inNamespace(ns)
                .withName("ase1")
                .edit(e -> {
                    e.getSpec().getVirtualNetwork().setSubnet("10.1.0.0/33");
                    return e;
                });
        await().atMost(TIMEOUT)
                .until(
                        () -> ready(AppServiceEnvironment.class, "ase1"),
                        c -> c != null && "InvalidSpec".equals(c.getReason()));
        Condition invalid = ready(AppServiceEnvironment.class, "ase1");
        assertThat(invalid.getStatus()).isEqualTo("False");
        assertThat(invalid.getObservedGeneration()).isEqualTo(2L);
        assertThat(invalid.getMessage())
                .contains("AppServiceEnvironment " + ns + "/ase1")
                .contains("spec.virtualNetwork.subnet")
                .contains("10.1.0.0/33");
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName("ase1-frontend")
                        .get()
                        .getMetadata()
                        .getResourceVersion())
                .as("the front ends are left as they were")
                .isEqualTo(frontEnds.getMetadata().getResourceVersion());

        client.resources(AppServiceEnvironment.class)
                .inNamespace(ns)
                .withName("ase1")
                .edit(e -> {
                    e.getSpec().getVirtualNetwork().setSubnet("10.1.0.0/24");
                    return e;
                });
        await().atMost(TIMEOUT)
                .until(
                        () -> ready(AppServiceEnvironment.class, "ase1"),
                        c -> c != null && !"InvalidSpec".equals(c.getReason()) && c.getObservedGeneration() == 3L);
    }

    @Test
    void aPlanInAnEnvironmentMadeInvalidWaitsAndKeepsItsWorkers() {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 2)).create();
        Deployment workers = await().atMost(TIMEOUT)
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName("web-workers")
                                .get(),
                        d -> d != null);

        // The operator may write the status between the test's read and its write (409): try again.
        await().atMost(TIMEOUT)
                .ignoreExceptions()
                .until(() -> client.resources(AppServiceEnvironment.class)
                                .inNamespace(ns)
                                .withName("ase1")
                                .edit(e -> {
                                    e.getSpec().setZones(java.util.List.of("not a zone!"));
                                    return e;
                                })
                        != null);
        await().atMost(TIMEOUT)
                .until(
                        () -> ready(IsolatedPlan.class, "web"),
                        c -> c != null && "EnvironmentInvalid".equals(c.getReason()));
        assertThat(ready(IsolatedPlan.class, "web").getMessage())
                .contains("AppServiceEnvironment " + ns + "/ase1 has an invalid spec");
        await().atMost(TIMEOUT)
                .until(
                        () -> ready(AppServiceEnvironment.class, "ase1"),
                        c -> c != null && "InvalidSpec".equals(c.getReason()));
        assertThat(ready(AppServiceEnvironment.class, "ase1").getMessage())
                .contains("spec.zones[0]")
                .contains("node label value")
                .contains("not a zone!");
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName("web-workers")
                        .get()
                        .getMetadata()
                        .getResourceVersion())
                .as("the workers are left as they were")
                .isEqualTo(workers.getMetadata().getResourceVersion());

        client.resources(AppServiceEnvironment.class)
                .inNamespace(ns)
                .withName("ase1")
                .edit(e -> {
                    e.getSpec().setZones(java.util.List.of("1", "2"));
                    return e;
                });
        await().atMost(TIMEOUT)
                .until(
                        () -> ready(IsolatedPlan.class, "web"),
                        c -> c != null && !"EnvironmentInvalid".equals(c.getReason()));
    }

    @Test
    void anInvalidPlanGetsNoWorkersAndAnInvalidAppNoDeployment() {
        client.resource(environment(ns, "ase1")).create();
        // The schema does not require a plan's spec; the webhook does.
        IsolatedPlan specless = plan(ns, "specless", "ase1", InstanceSize.I1, 1);
        specless.setSpec(null);
        client.resource(specless).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 2)).create();
        client.resource(Fixtures.app(ns, "good", "web", 8080)).create();
        WebApp bad = Fixtures.app(ns, "bad", "web", 8080);
        bad.getSpec().setHostNames(java.util.List.of("Not_A_Host"));
        client.resource(bad).create();

        await().atMost(TIMEOUT)
                .until(
                        () -> ready(IsolatedPlan.class, "specless"),
                        c -> c != null && "InvalidSpec".equals(c.getReason()));
        assertThat(ready(IsolatedPlan.class, "specless").getMessage())
                .contains("IsolatedPlan " + ns + "/specless: spec is required");
        await().atMost(TIMEOUT)
                .until(() -> ready(WebApp.class, "bad"), c -> c != null && "InvalidSpec".equals(c.getReason()));
        assertThat(ready(WebApp.class, "bad").getMessage())
                .contains("WebApp " + ns + "/bad: spec.hostNames[0]")
                .contains("Not_A_Host");

        await().atMost(TIMEOUT)
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName(ResourceNames.appWorkload("good"))
                                .get(),
                        d -> d != null
                                && d.getSpec()
                                        .getTemplate()
                                        .getSpec()
                                        .getContainers()
                                        .get(0)
                                        .getName()
                                        .equals("good"));
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName(ResourceNames.appWorkload("bad"))
                        .get())
                .as("no Deployment for an invalid app")
                .isNull();
        // The invalid app takes no share of the plan's instances: the placeholder holds all but the good app's.
        await().atMost(TIMEOUT)
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName("web-workers")
                                .get(),
                        d -> d != null
                                && d.getSpec()
                                        .getTemplate()
                                        .getSpec()
                                        .getContainers()
                                        .get(0)
                                        .getResources()
                                        .getRequests()
                                        .get("cpu")
                                        .toString()
                                        .equals("875m"));
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName("specless-workers")
                        .get())
                .as("no workers for an invalid plan")
                .isNull();
        assertThat(client.resources(AppServiceEnvironment.class)
                        .inNamespace(ns)
                        .withName("ase1")
                        .get()
                        .getStatus()
                        .getInstances()
                        .getUsed())
                .as("the invalid plan takes no capacity")
                .isEqualTo(2);
        assertThat(client.v1().events().inNamespace(ns).list().getItems())
                .extracting(e -> e.getReason())
                .contains("InvalidSpec");
    }
}
