package dev.appservice.operator.webapp;

import static dev.appservice.operator.testing.Fixtures.environment;
import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.DeploymentRollout;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import dev.appservice.operator.testing.Reconciles;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Apps of one plan are independent: what happens to app B (beta) writes nothing that runs app A
 * (alpha) and leaves A's Service, counted from the mock API server's request log. What the operator
 * wants for A is the same whatever B does ({@link AppIsolationValuesTest}); this is that it writes
 * nothing then.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class AppIsolationTest extends OperatorTest {
    private static final String A = "alpha";
    private static final String B = "beta";

    private final String aName = ResourceNames.appWorkload(A);
    private final String bName = ResourceNames.appWorkload(B);

    @Test
    void changingBsImageWritesNothingThatRunsA() throws InterruptedException {
        Snapshot before = twoAppsServing();
        client.resources(WebApp.class).inNamespace(ns).withName(B).edit(b -> {
            b.getSpec().setImage("registry.example/beta:2.0");
            return b;
        });
        awaitDeployment(
                bName,
                d -> d.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage()
                        .equals("registry.example/beta:2.0"));
        assertAUntouched(before);
    }

    @Test
    void changingBsEnvWritesNothingThatRunsA() throws InterruptedException {
        Snapshot before = twoAppsServing();
        client.resources(WebApp.class).inNamespace(ns).withName(B).edit(b -> {
            b.getSpec()
                    .setEnv(List.of(new EnvVarBuilder()
                            .withName("MODE")
                            .withValue("fast")
                            .build()));
            return b;
        });
        awaitDeployment(
                bName,
                d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                        .anyMatch(e -> e.getName().equals("MODE")));
        assertAUntouched(before);
    }

    @Test
    void addingCWritesNothingThatRunsA() throws InterruptedException {
        Snapshot before = twoAppsServing();
        client.resource(Fixtures.app(ns, "gamma", "web", 9100)).create();
        awaitDeployment(ResourceNames.appWorkload("gamma"), d -> true);
        await().atMost(TIMEOUT)
                .until(() -> client.services()
                                .inNamespace(ns)
                                .withName(ResourceNames.appWorkload("gamma"))
                                .get()
                        != null);
        // The placeholder gives up gamma's share; it runs no app.
        awaitDeployment(
                "web-workers",
                d -> d.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getRequests()
                        .get("cpu")
                        .toString()
                        .equals("625m"));
        assertAUntouched(before);
    }

    @Test
    void deletingBWritesNothingThatRunsA() throws InterruptedException {
        Snapshot before = twoAppsServing();
        client.resources(WebApp.class).inNamespace(ns).withName(B).delete();
        awaitDeployment(
                "web-workers",
                d -> d.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getRequests()
                        .get("cpu")
                        .toString()
                        .equals("875m"));
        assertAUntouched(before);
    }

    @Test
    void bBecomingInvalidIsReportedOnBAloneAndWritesNothingThatRunsA() throws InterruptedException {
        Snapshot before = twoAppsServing();
        String bVersion = client.apps()
                .deployments()
                .inNamespace(ns)
                .withName(bName)
                .get()
                .getMetadata()
                .getResourceVersion();
        // Past a bypassed webhook: an env entry the API server would refuse in a container.
        client.resources(WebApp.class).inNamespace(ns).withName(B).edit(b -> {
            b.getSpec()
                    .setEnv(List.of(new EnvVarBuilder()
                            .withName("SECRET")
                            .withValue("x")
                            .withNewValueFrom()
                            .withNewSecretKeyRef("key", "secret", false)
                            .endValueFrom()
                            .build()));
            return b;
        });
        WebApp invalid = awaitApp(
                B,
                b -> "InvalidSpec"
                        .equals(Conditions.find(b.getStatus().getConditions(), "Ready")
                                .getReason()));
        assertThat(Conditions.find(invalid.getStatus().getConditions(), "Ready").getMessage())
                .contains("spec.env[0]", "both value and valueFrom");
        assertAUntouched(before);
        // B's own objects are left as they are.
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName(bName)
                        .get()
                        .getMetadata()
                        .getResourceVersion())
                .isEqualTo(bVersion);
        assertThat(client.services().inNamespace(ns).withName(bName).get()).isNotNull();
        assertThat(Conditions.isTrue(
                        client.resources(WebApp.class)
                                .inNamespace(ns)
                                .withName(A)
                                .get()
                                .getStatus()
                                .getConditions(),
                        "Ready"))
                .isTrue();
    }

    @Test
    void bsInstancesBecomingUnreadyLeaveAsRoutingAndReadyInstances() throws InterruptedException {
        Snapshot before = twoAppsServing();
        // The kubelet's stand-in: B fails its health check on every instance.
        Deployment b =
                client.apps().deployments().inNamespace(ns).withName(bName).get();
        b.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(b.getMetadata().getGeneration())
                .withReplicas(2)
                .withReadyReplicas(0)
                .withUpdatedReplicas(2)
                .withUnavailableReplicas(2)
                .build());
        client.resource(b).updateStatus();
        awaitApp(
                B,
                app -> "WorkersNotReady"
                                .equals(Conditions.find(app.getStatus().getConditions(), "Ready")
                                        .getReason())
                        && app.getStatus().getReadyInstances() == 0);
        assertAUntouched(before);
        WebApp a = client.resources(WebApp.class).inNamespace(ns).withName(A).get();
        assertThat(a.getStatus().getReadyInstances()).isEqualTo(2);
        assertThat(Conditions.isTrue(a.getStatus().getConditions(), "Ready")).isTrue();
        // A's Service selects only A's pods, none of which B's health decides.
        Service aService = client.services().inNamespace(ns).withName(aName).get();
        assertThat(aService.getSpec().getSelector()).isEqualTo(StandardLabels.appSelector("ase1", A));
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName(aName)
                        .get()
                        .getStatus()
                        .getReadyReplicas())
                .isEqualTo(2);
    }

    private record Snapshot(String deploymentVersion, String serviceVersion, String serviceUid) {}

    /** Environment, plan (I1, 2 instances), apps alpha and beta rolled out and serving; the request log cleared. */
    private Snapshot twoAppsServing() throws InterruptedException {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 2)).create();
        client.resource(Fixtures.app(ns, A, "web", 8080)).create();
        client.resource(Fixtures.app(ns, B, "web", 9000)).create();
        await().atMost(TIMEOUT)
                .until(() -> client.services().inNamespace(ns).withName(aName).get() != null
                        && client.services().inNamespace(ns).withName(bName).get() != null);
        await().atMost(TIMEOUT).until(() -> {
            DeploymentRollout.completeAll(client, ns);
            return List.of(A, B).stream().allMatch(name -> {
                WebApp app = client.resources(WebApp.class)
                        .inNamespace(ns)
                        .withName(name)
                        .get();
                return app.getStatus() != null
                        && Conditions.isTrue(app.getStatus().getConditions(), "Ready")
                        && app.getStatus().getReadyInstances() == 2;
            });
        });
        // The set-up's last reconciles (those the rollout's status set off) done before the log is cleared.
        Reconciles.awaitIdle(TIMEOUT);
        MockKubernetes.clearRequests();
        Deployment a =
                client.apps().deployments().inNamespace(ns).withName(aName).get();
        Service s = client.services().inNamespace(ns).withName(aName).get();
        return new Snapshot(
                a.getMetadata().getResourceVersion(),
                s.getMetadata().getResourceVersion(),
                s.getMetadata().getUid());
    }

    /**
     * No write to A's Deployment or Service since the snapshot, and both are as they were: read once
     * every reconcile the change set off (and those their writes set off) has finished.
     */
    private void assertAUntouched(Snapshot before) throws InterruptedException {
        Reconciles.awaitIdle(TIMEOUT);
        List<String> writes = MockKubernetes.writesSinceClear();
        assertThat(writes)
                .as("writes to the objects that run or route A")
                .noneMatch(w -> w.contains("/namespaces/" + ns + "/")
                        && (w.contains("/deployments/" + aName) || w.contains("/services/" + aName)));
        assertThat(writes).as("the change itself was written").anyMatch(w -> w.contains("/namespaces/" + ns + "/"));
        Deployment a =
                client.apps().deployments().inNamespace(ns).withName(aName).get();
        Service s = client.services().inNamespace(ns).withName(aName).get();
        assertThat(a.getMetadata().getResourceVersion()).isEqualTo(before.deploymentVersion());
        assertThat(s).as("A's Service").isNotNull();
        assertThat(s.getMetadata().getUid()).isEqualTo(before.serviceUid());
        assertThat(s.getMetadata().getResourceVersion()).isEqualTo(before.serviceVersion());
    }

    private Deployment awaitDeployment(String name, Predicate<Deployment> condition) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName(name)
                                .get(),
                        d -> d != null && condition.test(d));
    }

    private WebApp awaitApp(String name, Predicate<WebApp> condition) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> client.resources(WebApp.class)
                                .inNamespace(ns)
                                .withName(name)
                                .get(),
                        a -> a != null
                                && a.getStatus() != null
                                && a.getStatus().getConditions() != null
                                && condition.test(a));
    }
}
