package dev.appservice.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.EgressGateway;
import dev.appservice.operator.api.EgressGatewayProvider;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.OutboundSettings;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.desired.EgressGateways;
import dev.appservice.operator.model.AppDensity;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.ReadyConditions;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator, its chart and its webhook against a real control plane ({@link ControlPlane}):
 * the chart's objects as Helm renders them, applied to kube-apiserver; the packaged operator as a
 * process, authenticated as the chart's ServiceAccount, so the chart's RBAC is what authorizes it;
 * the webhook called by the API server over TLS (the chart's {@code webhook.url}, as for an
 * operator outside the cluster, with the operator's self-managed CA as the caBundle); the
 * examples applied with kubectl; garbage collection by the controller manager; and the API
 * server's audit log as the judge of what the operator asked and what it was refused.
 *
 * <p>The tests run in order, on one cluster: each leaves it converged for the next.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealApiServerIT {
    static final String OPERATOR_NAMESPACE = "ase-operator";
    static final String OPERATOR_USER = "system:serviceaccount:ase-operator:ase-operator";
    static final String RELEASE = "ase-operator";
    static final List<String> EXAMPLE_NAMESPACES = List.of("contoso", "fabrikam", "layered", "northwind");
    /** Convergence of the examples on two busy cores: seconds in practice; the bound is generous. */
    static final Duration CONVERGED_WITHIN = Duration.ofMinutes(3);

    final Path work = Path.of("target", "e2e").toAbsolutePath();
    InstalledCluster cluster;
    ControlPlane plane;
    KubernetesClient admin;
    OperatorProcess operator;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = InstalledCluster.start(work);
        plane = cluster.plane;
        admin = cluster.admin;
        operator = cluster.operator;
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void everyExampleBecomesReadyWithEveryChildPresentAndOwned() throws Exception {
        for (String namespace : EXAMPLE_NAMESPACES) {
            // Pod Security admission enforces the restricted profile on every pod of the examples.
            admin.resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(namespace)
                            .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                            .endMetadata()
                            .build())
                    .create();
        }
        kubectl("apply", "-f", "examples/", "--recursive");
        awaitExamplesConverged();

        Map<String, Long> generations = generations();
        Instant before = Instant.now();
        kubectl("apply", "--server-side", "--force-conflicts", "-f", "examples/", "--recursive");
        Thread.sleep(2000);
        assertThat(generations())
                .as("server-side apply of the same manifests changes no spec")
                .isEqualTo(generations);
        assertThat(ReadyConditions.notReady(admin, "contoso")).isEmpty();
        assertThat(operatorWritesSince(before))
                .as("writes after an apply that changed nothing")
                .isEmpty();
    }

    /**
     * The layered-security example's gateway: the operator wrote a CiliumEgressGatewayPolicy that
     * the real API server accepted against Cilium's own CRD (CEL rules included), and reports its
     * address. Antrea's Egress and OVN-Kubernetes' EgressIP as the operator builds them are accepted
     * by the same server against their CRDs (a server-side dry run: nothing of theirs would assign
     * the address here).
     */
    @Test
    @Order(2)
    void theProvidersObjectsMeetTheirOwnSchemasOnTheRealApiServer() {
        var cilium = EgressGateways.ProviderApi.CILIUM;
        GenericKubernetesResource policy = admin.genericKubernetesResources(cilium.apiVersion, cilium.kind)
                .withName(EgressGateways.name("layered", "frontline"))
                .get();
        assertThat(policy).as("frontline's CiliumEgressGatewayPolicy").isNotNull();
        assertThat(policy.getMetadata().getLabels()).containsEntry("appservice.dev/environment", "frontline");
        AppServiceEnvironment frontline = admin.resources(AppServiceEnvironment.class)
                .inNamespace("layered")
                .withName("frontline")
                .get();
        assertThat(frontline.getStatus().getOutbound().getAddresses()).containsExactly("203.0.113.10");
        assertThat(Conditions.isTrue(frontline.getStatus().getConditions(), "EgressGatewayReady"))
                .isTrue();
        for (EgressGatewayProvider provider : EgressGatewayProvider.values()) {
            AppServiceEnvironment environment =
                    Fixtures.environment("layered", "dry-" + provider.name().toLowerCase());
            EgressGateway gateway = new EgressGateway();
            gateway.setProvider(provider);
            gateway.setAddresses(List.of("203.0.113.40"));
            OutboundSettings outbound = new OutboundSettings();
            outbound.setEgressGateway(gateway);
            environment.getSpec().setOutbound(outbound);
            GenericKubernetesResource object = EgressGateways.of(new EnvironmentTopology(environment, List.of()))
                    .orElseThrow();
            assertThat(admin.resource(object).dryRun().create())
                    .as(provider + "'s object accepted")
                    .isNotNull();
        }
    }

    /** The API server calls the webhook over TLS with the operator's CA: its refusal is the API server's answer. */
    @Test
    @Order(2)
    void theApiServerCallsTheWebhookWhichRefusesThe201stInstance() {
        // contoso-ase runs 12 + 6 instances of its 200; a plan of 100 fits, the next one does not.
        admin.resource(plan("contoso", "big-1", "contoso-ase", 100)).create();
        assertThatThrownBy(() -> admin.resource(plan("contoso", "big-2", "contoso-ase", 100))
                        .create())
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("admission webhook \"validate.appservice.dev\" denied the request")
                .hasMessageContaining("200");
        assertThat(admin.resources(IsolatedPlan.class)
                        .inNamespace("contoso")
                        .withName("big-2")
                        .get())
                .isNull();
        admin.resource(plan("contoso", "big-1", "contoso-ase", 100)).delete();
    }

    /** Two plans that fit alone but not together, created at once: the environment never holds more than its limit. */
    @Test
    @Order(3)
    void aRaceBetweenTwoPlansNeverExceedsTheEnvironmentsLimit() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<String> refused = java.util.Collections.synchronizedList(new ArrayList<>());
        for (String name : List.of("race-a", "race-b")) {
            Thread thread = new Thread(() -> {
                try {
                    admin.resource(plan("contoso", name, "contoso-ase", 100)).create();
                } catch (KubernetesClientException e) {
                    refused.add(name + ": " + e.getMessage());
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        await().atMost(CONVERGED_WITHIN).untilAsserted(() -> {
            int running = 0;
            for (IsolatedPlan plan : admin.resources(IsolatedPlan.class)
                    .inNamespace("contoso")
                    .list()
                    .getItems()) {
                running += plan.getStatus() == null || plan.getStatus().getInstances() == null
                        ? 0
                        : plan.getStatus().getInstances();
            }
            assertThat(running).as("instances granted in contoso-ase").isLessThanOrEqualTo(200);
            if (refused.isEmpty()) {
                assertThat(ReadyConditions.notReady(admin, "contoso"))
                        .as("both admitted: the later one is held")
                        .hasSize(1)
                        .allSatisfy((name, reason) -> assertThat(reason).contains("EnvironmentCapacityExceeded"));
            } else {
                assertThat(refused).hasSize(1);
                assertThat(ReadyConditions.notReady(admin, "contoso")).isEmpty();
            }
        });
        for (String name : List.of("race-a", "race-b")) {
            admin.resources(IsolatedPlan.class)
                    .inNamespace("contoso")
                    .withName(name)
                    .delete();
        }
        awaitExamplesConverged();
    }

    @Test
    @Order(4)
    void editsConvergeAndADeletedWebAppsChildrenAreCollected() throws Exception {
        kubectl("scale", "iplan/api-plan", "-n", "contoso", "--replicas=8");
        awaitExamplesConverged();
        assertThat(admin.resources(IsolatedPlan.class)
                        .inNamespace("contoso")
                        .withName("api-plan")
                        .get()
                        .getStatus()
                        .getInstances())
                .isEqualTo(8);
        List<HasMetadata> children = childrenOf("contoso", "WebApp", "orders-api");
        assertThat(children).as("orders-api's children").isNotEmpty();
        kubectl("delete", "wapp/orders-api", "-n", "contoso", "--wait=true");
        await().atMost(CONVERGED_WITHIN)
                .untilAsserted(() -> assertThat(children.stream()
                                .filter(c -> admin.resource(c).get() != null)
                                .map(RealApiServerIT::describe))
                        .as("children left after their WebApp was deleted")
                        .isEmpty());
        kubectl("apply", "-f", "examples/contoso.yaml");
        awaitExamplesConverged();
    }

    /** etcd and kube-apiserver killed and started again: the operator's watches resume and it converges. */
    @Test
    @Order(5)
    void convergesAfterTheApiServerAndEtcdRestart() throws Exception {
        plane.restartStorageAndApiServer();
        kubectl("scale", "iplan/api-plan", "-n", "contoso", "--replicas=4");
        awaitExamplesConverged();
        assertThat(admin.apps().deployments().inNamespace("contoso").list().getItems().stream()
                        .map(d -> d.getMetadata().getName())
                        .toList())
                .as("no Deployment made twice")
                .doesNotHaveDuplicates();
        assertEveryManagedObjectOwned();
    }

    /**
     * A restarted operator reconciles every resource once (a full resync): it puts back what was
     * changed while it was down (a Service of each environment and each app, deleted by hand) and
     * writes nothing else.
     */
    @Test
    @Order(6)
    void aRestartedOperatorRepairsWhatChangedWhileItWasDownAndWritesNothingElse() throws Exception {
        awaitExamplesConverged();
        operator.stop();
        Instant restarted = Instant.now();
        List<String> deleted = new ArrayList<>();
        for (String namespace : EXAMPLE_NAMESPACES) {
            for (var resource : admin.resources(AppServiceEnvironment.class)
                    .inNamespace(namespace)
                    .list()
                    .getItems()) {
                deleted.add("services "
                        + deleteService(namespace, resource.getMetadata().getName() + "-management"));
            }
            for (WebApp app :
                    admin.resources(WebApp.class).inNamespace(namespace).list().getItems()) {
                // Its disruption budget: a child nothing else derives from (a new Service would get a
                // new cluster IP, which rightly changes the front ends' configuration too).
                HasMetadata budget = childrenOf(
                                namespace, "WebApp", app.getMetadata().getName())
                        .stream()
                        .filter(c -> c.getKind().equals("PodDisruptionBudget"))
                        .findFirst()
                        .orElseThrow();
                assertThat(admin.resource(budget).delete()).isNotEmpty();
                deleted.add("policy/poddisruptionbudgets " + namespace + "/"
                        + budget.getMetadata().getName());
            }
        }
        operator.start();
        operator.awaitReady();
        List<String> putBack = deleted.stream()
                .map(d -> OPERATOR_USER + " create " + d + " -> 201 ")
                .toList();
        await().atMost(CONVERGED_WITHIN)
                .untilAsserted(() -> assertThat(operatorWritesSince(restarted))
                        .as("children deleted while the operator was down, put back")
                        .containsAll(putBack));
        awaitExamplesConverged();
        Thread.sleep(3000);
        assertThat(operatorWritesSince(restarted))
                .as("writes of the restarted operator: what it put back, nothing else")
                .containsExactlyInAnyOrderElementsOf(putBack);
    }

    private String deleteService(String namespace, String name) {
        assertThat(admin.services().inNamespace(namespace).withName(name).delete())
                .as("Service %s/%s deleted", namespace, name)
                .isNotEmpty();
        return namespace + "/" + name;
    }

    /** While no operator answers, the API server refuses creates and updates (failurePolicy: Fail) and says why. */
    @Test
    @Order(7)
    void whileTheOperatorIsDownChangesAreRefusedWithTheReason() throws Exception {
        operator.stop();
        try {
            assertThatThrownBy(() -> admin.resource(plan("contoso", "while-down", "contoso-ase", 1))
                            .create())
                    .isInstanceOf(KubernetesClientException.class)
                    .hasMessageContaining("failed calling webhook \"validate.appservice.dev\"")
                    .hasMessageContaining("connection refused");
            // Deleting a plan is reviewed (the deletion guard), so it waits for the operator too.
            assertThatThrownBy(() -> admin.resources(IsolatedPlan.class)
                            .inNamespace("fabrikam")
                            .withName("reporting")
                            .delete())
                    .isInstanceOf(KubernetesClientException.class)
                    .hasMessageContaining("failed calling webhook \"validate.appservice.dev\"");
        } finally {
            operator.start();
            operator.awaitReady();
        }
        admin.resource(plan("contoso", "after-down", "contoso-ase", 1)).create();
        awaitExamplesConverged();
        admin.resources(IsolatedPlan.class)
                .inNamespace("contoso")
                .withName("after-down")
                .delete();
    }

    /**
     * Deleting a parent with dependents is refused by the API server (the webhook reviews DELETE);
     * with the annotation it goes, its app keeps running (PlanNotFound), and the plan re-created
     * as GitOps would restarts nothing: the app Deployment's spec is unchanged and no pod is replaced.
     */
    @Test
    @Order(8)
    void aPlanWithAppsIsNotDeletedAndARecreatedPlanRestartsNothing() throws Exception {
        assertThatThrownBy(() -> admin.resources(IsolatedPlan.class)
                        .inNamespace("contoso")
                        .withName("api-plan")
                        .delete())
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("denied the request")
                .hasMessageContaining("orders-api");
        Deployment app = childrenOf("contoso", "WebApp", "orders-api").stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .findFirst()
                .orElseThrow();
        IsolatedPlan before = admin.resources(IsolatedPlan.class)
                .inNamespace("contoso")
                .withName("api-plan")
                .get();
        long generation = admin.resource(app).get().getMetadata().getGeneration();
        Set<String> pods = appPods("orders-api");
        kubectl("annotate", "iplan/api-plan", "-n", "contoso", "appservice.dev/allow-delete-with-dependents=true");
        kubectl("delete", "iplan/api-plan", "-n", "contoso", "--wait=true");
        await().atMost(CONVERGED_WITHIN)
                .untilAsserted(() -> assertThat(ReadyConditions.notReady(admin, "contoso"))
                        .hasEntrySatisfying(
                                "WebApp orders-api",
                                reason -> assertThat(reason).startsWith("PlanNotFound")));
        assertThat(admin.resource(app).get())
                .as("the app's Deployment while its plan is gone")
                .isNotNull();
        // Re-created as GitOps would: the same spec, a new object.
        IsolatedPlan again = new IsolatedPlan();
        again.getMetadata().setNamespace("contoso");
        again.getMetadata().setName("api-plan");
        again.setSpec(before.getSpec());
        admin.resource(again).create();
        awaitExamplesConverged();
        assertThat(admin.resource(app).get().getMetadata().getGeneration())
                .as("the app Deployment's spec after its plan was re-created")
                .isEqualTo(generation);
        assertThat(appPods("orders-api")).as("the app's pods: none restarted").isEqualTo(pods);
    }

    private Set<String> appPods(String app) {
        return admin.pods().inNamespace("contoso").withLabel("appservice.dev/webapp", app).list().getItems().stream()
                .map(p -> p.getMetadata().getName())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * A crashing container as the kubelet reports it (issue 28): the shop's pods given the status of
     * a container in CrashLoopBackOff after exiting with code 3, its last line in the termination
     * message ({@code FallbackToLogsOnError}). kwok leaves a Running pod's status alone, so the
     * state stays as written. The WebApp's Ready condition names the reason, the exit code and the
     * line; with the pods replaced (kwok's new ones ready), the app is Ready again.
     */
    @Test
    @Order(9)
    void aCrashingContainerBecomesTheAppsReasonWithItsExitCodeAndLastLine() throws Exception {
        Set<String> pods = appPods("shop");
        assertThat(pods).as("the shop's pods").isNotEmpty();
        for (String name : pods) {
            Pod pod = admin.pods().inNamespace("contoso").withName(name).get();
            ContainerStatus container = pod.getStatus().getContainerStatuses().get(0);
            container.setReady(false);
            container.setStarted(false);
            container.setRestartCount(3);
            container.setState(new ContainerStateBuilder()
                    .withNewWaiting()
                    .withReason("CrashLoopBackOff")
                    .withMessage("back-off 40s restarting failed container")
                    .endWaiting()
                    .build());
            container.setLastState(new ContainerStateBuilder()
                    .withNewTerminated()
                    .withExitCode(3)
                    .withReason("Error")
                    .withMessage("listening on 8080\nfatal: DATABASE_URL is not set\n")
                    .endTerminated()
                    .build());
            pod.getStatus().getConditions().stream()
                    .filter(c -> "Ready".equals(c.getType()) || "ContainersReady".equals(c.getType()))
                    .forEach(c -> c.setStatus("False"));
            admin.pods().resource(pod).updateStatus();
        }
        await().atMost(CONVERGED_WITHIN).untilAsserted(() -> {
            var ready = ReadyConditions.of(admin, WebApp.class, "contoso", "shop");
            assertThat(ready.getStatus()).isEqualTo("False");
            assertThat(ready.getReason()).isEqualTo("ContainerExited");
            assertThat(ready.getMessage()).contains("exited with code 3").contains("fatal: DATABASE_URL is not set");
        });

        admin.pods()
                .inNamespace("contoso")
                .withLabel("appservice.dev/webapp", "shop")
                .delete();
        awaitExamplesConverged();
        assertThat(ReadyConditions.of(admin, WebApp.class, "contoso", "shop").getStatus())
                .isEqualTo("True");
    }

    /**
     * Running apps are never lost (issue 25), with the API server calling the webhook: a slot storm
     * on the shop that would take the room of a younger app already running on its plan is
     * refused, naming that app; an environment with a plan is not deleted, naming the plan, until
     * it is annotated for a deliberate teardown.
     */
    @Test
    @Order(10)
    void capacityGivenIsKeptAndAnEnvironmentWithPlansIsNotDeleted() throws Exception {
        admin.resource(Fixtures.app("contoso", "blog", "web-plan", 8080)).create();
        await().atMost(CONVERGED_WITHIN)
                .until(() -> "True"
                        .equals(Optional.ofNullable(ReadyConditions.of(admin, WebApp.class, "contoso", "blog"))
                                .map(c -> c.getStatus())
                                .orElse(null)));
        // The shop and its slots take every place of an I2 instance: the blog, running, would lose its own.
        int slots = AppDensity.I2_APPS_PER_INSTANCE - 1;
        StringBuilder patch = new StringBuilder("[");
        for (int i = 1; i < slots; i++) {
            patch.append(i > 1 ? "," : "")
                    .append("{\"op\":\"add\",\"path\":\"/spec/slots/-\",\"value\":{\"name\":\"s")
                    .append(i)
                    .append("\",\"image\":\"ghcr.io/contoso/shop:2.5.0\"}}");
        }
        patch.append("]");
        assertThatThrownBy(() -> admin.resources(WebApp.class)
                        .inNamespace("contoso")
                        .withName("shop")
                        .patch(PatchContext.of(PatchType.JSON), patch.toString()))
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("denied the request")
                .hasMessageContaining("spec.slots")
                .hasMessageContaining("blog");
        assertThat(admin.resources(WebApp.class)
                        .inNamespace("contoso")
                        .withName("shop")
                        .get()
                        .getSpec()
                        .getSlots())
                .hasSize(1);
        admin.resources(WebApp.class).inNamespace("contoso").withName("blog").delete();

        admin.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("teardown")
                        .endMetadata()
                        .build())
                .create();
        admin.resource(Fixtures.environment("teardown", "doomed")).create();
        admin.resource(Fixtures.plan("teardown", "doomed-plan", "doomed", InstanceSize.I1, 1))
                .create();
        assertThatThrownBy(() -> admin.resources(AppServiceEnvironment.class)
                        .inNamespace("teardown")
                        .withName("doomed")
                        .delete())
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("denied the request")
                .hasMessageContaining("doomed-plan");
        // As kubectl annotate does it: a merge patch, without the resourceVersion an edit would lock on
        // (the operator writes the environment's status meanwhile; an edit then races it, a 409).
        admin.resources(AppServiceEnvironment.class)
                .inNamespace("teardown")
                .withName("doomed")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"appservice.dev/allow-delete-with-dependents\":\"true\"}}}");
        admin.resources(AppServiceEnvironment.class)
                .inNamespace("teardown")
                .withName("doomed")
                .delete();
        await().atMost(CONVERGED_WITHIN)
                .until(() -> admin.resources(AppServiceEnvironment.class)
                                .inNamespace("teardown")
                                .withName("doomed")
                                .get()
                        == null);
        admin.resources(IsolatedPlan.class)
                .inNamespace("teardown")
                .withName("doomed-plan")
                .delete();
        awaitExamplesConverged();
    }

    /** Every request the operator made was authorized by the chart's RBAC (as installed, not as derived). */
    @Test
    @Order(100)
    void theChartGrantsEveryRequestTheOperatorMakes() {
        List<AuditLog.Request> requests = AuditLog.of(plane.auditLog(), OPERATOR_USER);
        assertThat(requests).as("the operator's requests in the audit log").hasSizeGreaterThan(10);
        List<AuditLog.Request> forbidden = requests.stream()
                .filter(r -> r.code() == 401 || r.code() == 403)
                .toList();
        assertThat(forbidden.stream()
                        .filter(r -> plane.restarts().stream().noneMatch(restart -> restart.during(r.received())))
                        .map(Object::toString))
                .as("requests the chart's RBAC refused (API server restarts: %s)", plane.restarts())
                .isEmpty();
        // Those refused while the restarted server was filling its authorizer's cache were allowed later.
        for (AuditLog.Request refused : forbidden) {
            assertThat(requests)
                    .as("%s, refused during the API server's start-up, allowed later", refused)
                    .anyMatch(r -> r.received().isAfter(refused.received())
                            && r.verb().equals(refused.verb())
                            && r.sameObject(refused)
                            && r.code() < 400);
        }
    }

    /**
     * The server refused none of the operator's writes: nothing forbidden, invalid or too large.
     * Two answers are not refusals of a wrong write and are allowed, each checked for what it
     * is: a 409 (the child changed since the operator's cached copy; the reconcile fails and is
     * retried from fresh state, and a later write of that object succeeds, unless the test deleted
     * its owner meanwhile) and a 404 on the status of a resource the test had just deleted, or on
     * a child of one (the delete, or the garbage collector's, landed while the operator was
     * writing from its cached copy; the reconcile is retried and creates it anew if needed).
     */
    @Test
    @Order(101)
    void theApiServerRefusedNoneOfTheOperatorsWrites() {
        List<AuditLog.Request> writes = AuditLog.of(plane.auditLog(), OPERATOR_USER).stream()
                .filter(AuditLog.Request::isWrite)
                .toList();
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            AuditLog.Request write = writes.get(i);
            if (!write.refused()) {
                continue;
            }
            boolean conflictThenWritten = write.code() == 409
                    && (writes.subList(i + 1, writes.size()).stream()
                                    .anyMatch(later -> !later.refused() && later.sameObject(write))
                            || DELETED_BY_THE_TESTS.stream()
                                    .anyMatch(owner -> write.name().startsWith(owner + "-")));
            boolean statusOfDeleted = write.code() == 404
                    && "status".equals(write.subresource())
                    && DELETED_BY_THE_TESTS.contains(write.name());
            boolean childOfDeleted = write.code() == 404
                    && DELETED_BY_THE_TESTS.stream()
                            .anyMatch(owner -> write.name().startsWith(owner + "-"));
            if (!conflictThenWritten && !statusOfDeleted && !childOfDeleted) {
                refused.add(write.toString());
            }
        }
        assertThat(writes).as("the operator's writes in the audit log").hasSizeGreaterThan(10);
        assertThat(refused).as("refused writes").isEmpty();
        assertThat(plane.exited()).as("control plane components that stopped").isEmpty();
    }

    /**
     * The namespace-scoped install the chart's README recommends for multi-tenant clusters: an
     * upgrade with {@code watchNamespaces: [contoso]} replaces the operator's ClusterRole with a
     * Role in contoso; the operator, restarted with it, converges contoso's changes with none of
     * its requests refused, and leaves fabrikam (outside its namespaces) alone: a change there is
     * neither reviewed by the webhook nor reconciled.
     */
    @Test
    @Order(102)
    void aNamespaceScopedInstallWorksWithRolesInItsNamespacesOnly() throws Exception {
        Instant upgraded = Instant.now();
        cluster.upgrade(Map.of("watchNamespaces[0]", "contoso"));
        operator = cluster.operator;
        assertThat(admin.rbac().clusterRoles().withName(RELEASE).get())
                .as("the operator's ClusterRole, gone with watchNamespaces")
                .isNull();
        assertThat(admin.rbac().roles().inNamespace("contoso").withName(RELEASE).get())
                .as("the operator's Role in contoso")
                .isNotNull();
        assertThat(admin.rbac()
                        .roles()
                        .inNamespace("fabrikam")
                        .withName(RELEASE)
                        .get())
                .as("no grant in fabrikam")
                .isNull();

        kubectl("scale", "iplan/api-plan", "-n", "contoso", "--replicas=6");
        await().atMost(CONVERGED_WITHIN)
                .until(() -> Integer.valueOf(6)
                        .equals(admin.resources(IsolatedPlan.class)
                                .inNamespace("contoso")
                                .withName("api-plan")
                                .get()
                                .getStatus()
                                .getInstances()));
        awaitExamplesConverged();

        IsolatedPlan outside = admin.resources(IsolatedPlan.class)
                .inNamespace("fabrikam")
                .list()
                .getItems()
                .get(0);
        Long observed = outside.getStatus().getObservedGeneration();
        int instances = outside.getStatus().getInstances();
        kubectl(
                "scale",
                "iplan/" + outside.getMetadata().getName(),
                "-n",
                "fabrikam",
                "--replicas=" + (outside.getSpec().getInstances() + 1));
        // The contoso change above converged within seconds; fabrikam's stays unobserved.
        TimeUnit.SECONDS.sleep(10);
        IsolatedPlan after = admin.resources(IsolatedPlan.class)
                .inNamespace("fabrikam")
                .withName(outside.getMetadata().getName())
                .get();
        assertThat(after.getStatus().getObservedGeneration())
                .as("a plan outside the watched namespaces is not reconciled")
                .isEqualTo(observed);
        assertThat(after.getStatus().getInstances()).isEqualTo(instances);

        List<AuditLog.Request> since = AuditLog.of(plane.auditLog(), OPERATOR_USER).stream()
                .filter(r -> r.received().isAfter(upgraded))
                .toList();
        assertThat(since).as("the namespace-scoped operator's requests").hasSizeGreaterThan(10);
        assertThat(since.stream()
                        .filter(r -> r.code() == 401 || r.code() == 403)
                        .map(Object::toString))
                .as("requests the namespace-scoped grants refused")
                .isEmpty();
        assertThat(since.stream().filter(r -> "fabrikam".equals(r.namespace())).map(Object::toString))
                .as("requests into a namespace the operator does not watch")
                .isEmpty();
    }

    /** Custom resources the tests create and delete while the operator may be reconciling them. */
    static final Set<String> DELETED_BY_THE_TESTS = Set.of(
            "big-1", "race-a", "race-b", "after-down", "orders-api", "api-plan", "blog", "doomed", "doomed-plan");

    // --- what the tests read

    private void awaitExamplesConverged() {
        await().atMost(CONVERGED_WITHIN).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String namespace : EXAMPLE_NAMESPACES) {
                assertThat(ReadyConditions.notReady(admin, namespace))
                        .as("resources of %s not Ready at their generation", namespace)
                        .isEmpty();
            }
        });
    }

    /** Every custom resource of the example namespaces. */
    private List<HasMetadata> customResources() {
        List<HasMetadata> resources = new ArrayList<>();
        for (String namespace : EXAMPLE_NAMESPACES) {
            for (var kind : ReadyConditions.KINDS) {
                resources.addAll(
                        admin.resources(kind).inNamespace(namespace).list().getItems());
            }
        }
        return resources;
    }

    private Map<String, Long> generations() {
        Map<String, Long> generations = new TreeMap<>();
        for (HasMetadata r : customResources()) {
            generations.put(
                    r.getKind() + " " + r.getMetadata().getNamespace() + "/"
                            + r.getMetadata().getName(),
                    r.getMetadata().getGeneration());
        }
        return generations;
    }

    /** The operator's writes since {@code since}, but its leader-election Lease's renewals. */
    private List<String> operatorWritesSince(Instant since) {
        return AuditLog.of(plane.auditLog(), OPERATOR_USER).stream()
                .filter(r -> !r.received().isBefore(since))
                .filter(AuditLog.Request::isWrite)
                .filter(r -> !r.isLeaseRenewal())
                .filter(r -> !r.isAccessReview())
                .map(Object::toString)
                .toList();
    }

    /** Objects of the namespace that name the given owner in their ownerReferences. */
    private List<HasMetadata> childrenOf(String namespace, String ownerKind, String ownerName) {
        List<HasMetadata> children = new ArrayList<>();
        for (HasMetadata object : managedObjects(namespace)) {
            for (OwnerReference owner : object.getMetadata().getOwnerReferences()) {
                if (owner.getKind().equals(ownerKind) && owner.getName().equals(ownerName)) {
                    children.add(object);
                }
            }
        }
        return children;
    }

    /** Every object the operator manages (by its managed-by label), in the kinds it writes. */
    private List<HasMetadata> managedObjects(String namespace) {
        String selector = "app.kubernetes.io/managed-by";
        List<HasMetadata> objects = new ArrayList<>();
        objects.addAll(admin.apps()
                .deployments()
                .inNamespace(namespace)
                .withLabel(selector, "ase-operator")
                .list()
                .getItems());
        objects.addAll(admin.services()
                .inNamespace(namespace)
                .withLabel(selector, "ase-operator")
                .list()
                .getItems());
        objects.addAll(admin.configMaps()
                .inNamespace(namespace)
                .withLabel(selector, "ase-operator")
                .list()
                .getItems());
        objects.addAll(admin.secrets()
                .inNamespace(namespace)
                .withLabel(selector, "ase-operator")
                .list()
                .getItems());
        objects.addAll(admin.network()
                .networkPolicies()
                .inNamespace(namespace)
                .withLabel(selector, "ase-operator")
                .list()
                .getItems());
        objects.addAll(admin.policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(namespace)
                .withLabel(selector, "ase-operator")
                .list()
                .getItems());
        return objects;
    }

    /** Every managed object has an owner that exists: nothing orphaned. */
    private void assertEveryManagedObjectOwned() {
        Set<String> owners =
                customResources().stream().map(r -> r.getMetadata().getUid()).collect(Collectors.toSet());
        List<String> orphans = new ArrayList<>();
        for (String namespace : EXAMPLE_NAMESPACES) {
            for (HasMetadata object : managedObjects(namespace)) {
                List<OwnerReference> references = object.getMetadata().getOwnerReferences();
                if (references.isEmpty() || references.stream().noneMatch(o -> owners.contains(o.getUid()))) {
                    orphans.add(describe(object));
                }
            }
        }
        assertThat(orphans).as("managed objects without an existing owner").isEmpty();
    }

    private static String describe(HasMetadata object) {
        return object.getKind() + " " + object.getMetadata().getNamespace() + "/"
                + object.getMetadata().getName();
    }

    private static IsolatedPlan plan(String namespace, String name, String environment, int instances) {
        IsolatedPlan plan = new IsolatedPlan();
        plan.setSpec(new dev.appservice.operator.api.IsolatedPlanSpec());
        plan.getMetadata().setNamespace(namespace);
        plan.getMetadata().setName(name);
        plan.getSpec().setEnvironmentName(environment);
        plan.getSpec().setInstances(instances);
        return plan;
    }

    /** kubectl, built with the control plane, as the administrator. */
    private void kubectl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(plane.binary("kubectl").toString());
        command.add("--kubeconfig=" + plane.adminKubeconfig());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue())
                .as("kubectl %s: %s", String.join(" ", arguments), output)
                .isZero();
    }
}
