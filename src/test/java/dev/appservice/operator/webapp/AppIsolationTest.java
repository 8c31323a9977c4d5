package dev.appservice.operator.webapp;

import static dev.appservice.operator.testing.Fixtures.environment;
import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.PodSecurityLevel;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.desired.AppWorkloads;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.plan.LegacyWorkers;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.DeploymentRollout;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Apps of one plan are independent: what happens to app B (beta) writes nothing that runs app A
 * (alpha) and leaves A's Service, counted from the mock API server's request log.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class AppIsolationTest extends OperatorTest {
    private static final String A = "alpha";
    private static final String B = "beta";
    /** Time for every reconcile a change sets off to have run (each is milliseconds here). */
    private static final Duration SETTLE = Duration.ofMillis(1500);

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

    @Test
    void movingFromTheOldLayoutLeavesNoGapInAsReadyInstances() throws InterruptedException {
        client.resource(environment(ns, "ase1")).create();
        IsolatedPlan plan =
                client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 2)).create();
        awaitDeployment("web-workers", d -> true);
        WebApp alpha = Fixtures.app(ns, A, "web", 8080);
        WebApp beta = Fixtures.app(ns, B, "web", 9000);
        // The old layout, as the operator wrote it before apps had Deployments of their own: one
        // container per app in the plan's worker pods, and a Service with one port per app.
        client.apps().deployments().inNamespace(ns).withName("web-workers").edit(d -> {
            List<Container> containers = new ArrayList<>();
            containers.add(AppWorkloads.container(alpha, InstanceSize.I1, PodSecurityLevel.Restricted, "app.example"));
            containers.add(AppWorkloads.container(beta, InstanceSize.I1, PodSecurityLevel.Restricted, "app.example"));
            containers.get(0).getPorts().get(0).setName("app-0");
            containers.get(1).getPorts().get(0).setName("app-1");
            d.getSpec().getTemplate().getSpec().setContainers(containers);
            // The old layout's containers had neither scratch volumes nor the platform's downward-API variable.
            containers.forEach(c -> {
                c.setVolumeMounts(new ArrayList<>());
                c.setEnv(new ArrayList<>(c.getEnv().stream()
                        .filter(e -> e.getValueFrom() == null)
                        .toList()));
            });
            return d;
        });
        client.resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withName("web-workers")
                        .withNamespace(ns)
                        .withLabels(StandardLabels.forPlan("ase1", "web"))
                        .withOwnerReferences(new OwnerReferenceBuilder()
                                .withApiVersion(plan.getApiVersion())
                                .withKind("IsolatedPlan")
                                .withName("web")
                                .withUid(plan.getMetadata().getUid())
                                .withController(true)
                                .withBlockOwnerDeletion(true)
                                .build())
                        .endMetadata()
                        .withNewSpec()
                        .withType("ClusterIP")
                        .withSelector(StandardLabels.workerSelector("ase1", "web"))
                        .addNewPort()
                        .withName("app-0")
                        .withPort(8080)
                        .withTargetPort(new IntOrString(8080))
                        .endPort()
                        .addNewPort()
                        .withName("app-1")
                        .withPort(9000)
                        .withTargetPort(new IntOrString(9000))
                        .endPort()
                        .endSpec()
                        .build())
                .create();
        DeploymentRollout.completeAll(client, ns);
        Thread.sleep(500);
        client.resource(alpha).create();
        client.resource(beta).create();

        // The apps' own Deployments come first; their Services wait until they are ready.
        awaitDeployment(aName, d -> true);
        awaitDeployment(bName, d -> true);
        Instant unreadyUntil = Instant.now().plusSeconds(1);
        while (Instant.now().isBefore(unreadyUntil)) {
            assertThat(client.services().inNamespace(ns).withName(aName).get())
                    .as("A's Service before A's Deployment is ready")
                    .isNull();
            assertThat(aReadyInstancesAsRouted()).isEqualTo(2);
            Thread.sleep(100);
        }
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName("web-workers")
                        .get()
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers())
                .extracting(Container::getName)
                .containsExactly(A, B);

        // The Deployment controller's stand-in rolls everything out; A stays routed at every moment.
        Instant bothServicesAt = null;
        boolean drainRecorded = false;
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (true) {
            DeploymentRollout.completeAll(client, ns);
            assertThat(aReadyInstancesAsRouted())
                    .as("A's ready instances, through the Service the front ends use")
                    .isEqualTo(2);
            Deployment workers = client.apps()
                    .deployments()
                    .inNamespace(ns)
                    .withName("web-workers")
                    .get();
            Service legacyService =
                    client.services().inNamespace(ns).withName("web-workers").get();
            if (bothServicesAt == null
                    && client.services().inNamespace(ns).withName(aName).get() != null
                    && client.services().inNamespace(ns).withName(bName).get() != null) {
                bothServicesAt = Instant.now();
            }
            String started = workers.getMetadata().getAnnotations() == null
                    ? null
                    : workers.getMetadata().getAnnotations().get(LegacyWorkers.DRAIN_STARTED_ANNOTATION);
            if (started != null && !started.isEmpty()) {
                drainRecorded = true;
                assertThat(
                                workers.getSpec().getTemplate().getMetadata().getAnnotations() == null
                                        ? java.util.Map.of()
                                        : workers.getSpec()
                                                .getTemplate()
                                                .getMetadata()
                                                .getAnnotations())
                        .doesNotContainKey(LegacyWorkers.DRAIN_STARTED_ANNOTATION);
            }
            if (legacyService == null && !LegacyWorkers.runsApps(workers)) {
                break;
            }
            assertThat(Instant.now()).as("the old layout is retired").isBefore(deadline);
            Thread.sleep(50);
        }
        // Retired only after both apps had their own Services and the drain period (3 s in the tests) passed.
        assertThat(drainRecorded).isTrue();
        assertThat(bothServicesAt).isNotNull();
        assertThat(Duration.between(bothServicesAt, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(2500));
        Deployment placeholder = client.apps()
                .deployments()
                .inNamespace(ns)
                .withName("web-workers")
                .get();
        assertThat(placeholder.getSpec().getTemplate().getSpec().getContainers())
                .singleElement()
                .satisfies(c -> assertThat(
                                c.getResources().getRequests().get("cpu").toString())
                        .isEqualTo("750m"));
        DeploymentRollout.completeAll(client, ns);
        assertThat(aReadyInstancesAsRouted()).isEqualTo(2);
        awaitApp(
                A,
                a -> Conditions.isTrue(a.getStatus().getConditions(), "Ready")
                        && a.getStatus().getReadyInstances() == 2);
    }

    /**
     * A's ready instances as the front ends reach them: through the first of A's Services that
     * exists (its own, then the old layout's), counting the ready pods that Service selects.
     */
    private int aReadyInstancesAsRouted() {
        Service own = client.services().inNamespace(ns).withName(aName).get();
        if (own != null) {
            Deployment d =
                    client.apps().deployments().inNamespace(ns).withName(aName).get();
            return d == null || d.getStatus() == null || d.getStatus().getReadyReplicas() == null
                    ? 0
                    : d.getStatus().getReadyReplicas();
        }
        Service legacy =
                client.services().inNamespace(ns).withName("web-workers").get();
        Deployment workers = client.apps()
                .deployments()
                .inNamespace(ns)
                .withName("web-workers")
                .get();
        if (legacy == null
                || workers == null
                || legacy.getSpec().getPorts().stream().noneMatch(p -> p.getPort() == 8080)
                || workers.getSpec().getTemplate().getSpec().getContainers().stream()
                        .noneMatch(c -> c.getName().equals(A))) {
            return 0;
        }
        return workers.getStatus() == null || workers.getStatus().getReadyReplicas() == null
                ? 0
                : workers.getStatus().getReadyReplicas();
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
        Thread.sleep(SETTLE.toMillis());
        MockKubernetes.clearRequests();
        Deployment a =
                client.apps().deployments().inNamespace(ns).withName(aName).get();
        Service s = client.services().inNamespace(ns).withName(aName).get();
        return new Snapshot(
                a.getMetadata().getResourceVersion(),
                s.getMetadata().getResourceVersion(),
                s.getMetadata().getUid());
    }

    /** No write to A's Deployment or Service since the snapshot, and both are as they were. */
    private void assertAUntouched(Snapshot before) throws InterruptedException {
        Thread.sleep(SETTLE.toMillis());
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
