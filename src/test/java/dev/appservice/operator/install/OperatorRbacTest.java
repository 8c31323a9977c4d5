package dev.appservice.operator.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.NetworkSecurityGroup;
import dev.appservice.operator.api.RuleAccess;
import dev.appservice.operator.api.SecurityRule;
import dev.appservice.operator.config.LeaderElection;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.MockKubernetes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC is exactly what the operator's code uses. The expected permissions are derived
 * from the running operator and its classes, never copied from the chart:
 * <ul>
 *   <li>reads (get, list, watch) of the type of every informer each controller runs: its primary,
 *       its dependents', the event sources it prepares;</li>
 *   <li>writes of each {@code @Workflow} dependent by the SDK interfaces it implements: Creator →
 *       create, Updater → update (update + matcher, SSA is off), Deleter (GarbageCollected
 *       included: a dependent whose reconcile precondition stops holding is deleted) → delete;</li>
 *   <li>writes to the primary by the {@code UpdateControl} factories the reconciler's class calls
 *       (patchStatus → PATCH of /status) or the SDK's {@code ResourceOperations} it calls
 *       (jsonPatchPrimaryStatus → PATCH of /status), or the client's {@code editStatus} (PATCH of
 *       /status, how {@code StatusWrites} writes a status before posting its events), and a patch when the SDK manages a finalizer;</li>
 *   <li>the Lease of leader election (see {@link LeaderElection}), and Events.</li>
 * </ul>
 * A class that calls the Kubernetes client itself fails {@link #noCodeCallsTheClientBehindTheDerivationsBack()}
 * until its calls are added here. Independently, a scenario runs against the mock API server and
 * every request the operator makes there must be allowed by the rendered chart.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class OperatorRbacTest {
    static final String TEST_USER_AGENT = "ase-operator-rbac-test";
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The class the reconcilers write their primaries' status through (its internal name, as in the constant pool). */
    static final String STATUS_WRITER = "dev/appservice/operator/status/StatusWrites";

    static final Set<String> PRIMARY_WRITES = Set.of(
            "patchStatus",
            "patchResource",
            "patchResourceAndStatus",
            "updateStatus",
            "updateResource",
            "jsonPatchPrimaryStatus",
            "jsonMergePatchPrimaryStatus",
            "updatePrimaryStatus",
            "serverSideApplyPrimaryStatus",
            "jsonPatchPrimary",
            "jsonMergePatchPrimary",
            "updatePrimary",
            "serverSideApplyPrimary",
            "conflictRetryingPatchPrimary",
            "editStatus");

    @Inject
    Operator operator;

    @Inject
    KubernetesClient operatorClient;

    @Test
    void defaultChartGrantsExactlyWhatTheCodeUsesClusterWide() {
        Manifest chart = HelmChart.render();
        Set<Grant> expected = new HashSet<>(reconciling(Grant.CLUSTER));
        expected.addAll(leaderElection(HelmChart.NAMESPACE, "ase-operator-leader"));
        expected.addAll(webhookCertificates(chart));
        assertExactly(ServiceAccountPermissions.ofOperator(chart), expected);
    }

    @Test
    void watchNamespacesGrantExactlyTheSameInEachOfThemAndOnlyTheWebhookConfigurationClusterWide() {
        Manifest chart = HelmChart.render("watchNamespaces: [team-a, team-b]");
        Set<Grant> expected = new HashSet<>(reconciling("team-a"));
        expected.addAll(reconciling("team-b"));
        expected.addAll(leaderElection(HelmChart.NAMESPACE, "ase-operator-leader"));
        expected.addAll(webhookCertificates(chart));
        Set<Grant> granted = ServiceAccountPermissions.ofOperator(chart);
        assertExactly(granted, expected);
        assertThat(granted.stream().filter(g -> g.scope().equals(Grant.CLUSTER)))
                .as("cluster-wide only the cluster-scoped webhook configuration, by name")
                .isNotEmpty()
                .allSatisfy(g -> {
                    assertThat(g.resource()).isEqualTo("validatingwebhookconfigurations");
                    assertThat(g.resourceName()).isEqualTo("ase-operator");
                });
    }

    @Test
    void withoutLeaderElectionThereIsNoLeaseAccess() {
        Manifest chart = HelmChart.render("replicaCount: 1\nleaderElection: {enabled: false}");
        Set<Grant> expected = new HashSet<>(reconciling(Grant.CLUSTER));
        expected.addAll(webhookCertificates(chart));
        assertExactly(ServiceAccountPermissions.ofOperator(chart), expected);
    }

    @Test
    void withCertManagerOrWithoutTheWebhookThereIsNoSecretOrWebhookConfigurationAccess() {
        for (String values : List.of(
                "webhook: {certificates: {mode: cert-manager}}",
                "webhook: {enabled: false}",
                "webhook: {enabled: false, certificates: {mode: cert-manager}}")) {
            Manifest chart = HelmChart.render(values);
            assertThat(webhookCertificates(chart)).as(values).isEmpty();
            Set<Grant> expected = new HashSet<>(reconciling(Grant.CLUSTER));
            expected.addAll(leaderElection(HelmChart.NAMESPACE, "ase-operator-leader"));
            assertExactly(ServiceAccountPermissions.ofOperator(chart), expected);
        }
    }

    /**
     * The apps' cert-manager Certificates ({@code webapp/IssuedCertificates}): get, create, update and
     * delete, with no informer (it would keep the operator from starting without cert-manager's CRD).
     * Granted only when the chart's {@code certManager.enabled} says cert-manager is there.
     */
    @Test
    void certManagerEnabledGrantsTheAppsCertificatesAndNothingElse() throws ClassNotFoundException {
        Set<Grant> certificates = Set.of(
                Grant.of(Grant.CLUSTER, "cert-manager.io", "certificates", "get"),
                Grant.of(Grant.CLUSTER, "cert-manager.io", "certificates", "create"),
                Grant.of(Grant.CLUSTER, "cert-manager.io", "certificates", "update"),
                Grant.of(Grant.CLUSTER, "cert-manager.io", "certificates", "delete"));
        Manifest chart = HelmChart.render("certManager: {enabled: true}");
        Set<Grant> expected = new HashSet<>(reconciling(Grant.CLUSTER));
        expected.addAll(leaderElection(HelmChart.NAMESPACE, "ase-operator-leader"));
        expected.addAll(webhookCertificates(chart));
        expected.addAll(certificates);
        assertExactly(ServiceAccountPermissions.ofOperator(chart), expected);
        assertThat(ServiceAccountPermissions.ofOperator(HelmChart.render()))
                .as("not granted by default")
                .doesNotContainAnyElementsOf(certificates);

        Set<String> dsl = Set.of(
                "get",
                "create",
                "update",
                "edit",
                "patch",
                "delete",
                "list",
                "watch",
                "inform",
                "serverSideApply",
                "createOr",
                "createOrReplace",
                "replace");
        Set<String> named = new TreeSet<>(ClassConstants.of(Class.forName(
                "dev.appservice.operator.webapp.IssuedCertificates", false, OperatorRbacTest.class.getClassLoader())));
        named.retainAll(dsl);
        assertThat(named)
                .as("client calls on the apps' Certificates")
                .containsExactlyInAnyOrder("get", "create", "update", "delete");
    }

    @Test
    void theDerivationCoversEveryDependentAndTheStatus() {
        Set<Grant> derived = reconciling(Grant.CLUSTER);
        for (RegisteredController<?> registered : operator.getRegisteredControllers()) {
            ControllerConfiguration<?> configuration = registered.getConfiguration();
            Class<? extends HasMetadata> primary = configuration.getResourceClass();
            assertThat(derived)
                    .contains(
                            Grant.of(Grant.CLUSTER, group(primary), HasMetadata.getPlural(primary), "watch"),
                            Grant.of(
                                    Grant.CLUSTER,
                                    group(primary),
                                    HasMetadata.getPlural(primary) + "/status",
                                    "patch"));
            Workflow workflow = reconcilerClass(configuration).getAnnotation(Workflow.class);
            for (Dependent dependent : workflow == null ? new Dependent[0] : workflow.dependents()) {
                Class<? extends HasMetadata> child = resourceType(dependent.type());
                assertThat(derived)
                        .contains(
                                Grant.of(Grant.CLUSTER, group(child), HasMetadata.getPlural(child), "get"),
                                Grant.of(Grant.CLUSTER, group(child), HasMetadata.getPlural(child), "create"),
                                Grant.of(Grant.CLUSTER, group(child), HasMetadata.getPlural(child), "update"),
                                Grant.of(Grant.CLUSTER, group(child), HasMetadata.getPlural(child), "delete"));
            }
        }
        assertThat(operator.getRegisteredControllers())
                .extracting(c -> c.getConfiguration().getName())
                .containsExactlyInAnyOrder("appserviceenvironment", "isolatedplan", "webapp");
    }

    @Test
    void noCodeCallsTheClientBehindTheDerivationsBack() throws IOException {
        Path classes = Path.of("target", "classes", "dev", "appservice", "operator");
        List<String> callers;
        try (var files = Files.walk(classes)) {
            callers = files.filter(f -> f.toString().endsWith(".class"))
                    .filter(f -> ClassConstants.of(f).stream()
                            .anyMatch(c -> (c.contains("io/fabric8/kubernetes/client/KubernetesClient")
                                            && !c.contains("KubernetesClientException"))
                                    || c.contains("io/fabric8/kubernetes/client/dsl/")))
                    .map(f -> classes.relativize(f).toString())
                    .sorted()
                    .toList();
        }
        assertThat(callers)
                .as("classes that call the Kubernetes client directly: add the calls they make to reconciling() "
                        + "in this test, and the rules to the chart")
                .isSubsetOf(KNOWN_CLIENT_CALLERS.keySet());
    }

    /**
     * The classes that use the client themselves, and why the derivation already covers them: the
     * webhook's caches read the three custom resources (the controllers' primaries, read anyway),
     * condition events are created (granted below for every reconciler), the self-managed webhook
     * certificates are {@link #webhookCertificates(Manifest)}, and the start-up check reads the
     * API server's version, which needs no grant.
     */
    static final java.util.Map<String, String> KNOWN_CLIENT_CALLERS = java.util.Map.ofEntries(
            java.util.Map.entry(
                    "admission/AdmissionCache.class", "list/watch appserviceenvironments, isolatedplans, webapps"),
            java.util.Map.entry("status/ConditionEvents.class", "create events"),
            java.util.Map.entry(
                    "status/StatusWrites.class",
                    "editStatus of the primary it is given (PATCH of /status), derived in reconciling() as the"
                            + " reconcilers' status writer"),
            java.util.Map.entry(
                    "certificates/WebhookCertificates.class",
                    "self-managed only: create secrets, get/update the Secret ASE_WEBHOOK_SECRET in "
                            + "the operator's namespace; get/patch the ValidatingWebhookConfiguration ASE_WEBHOOK_CONFIGURATION"),
            java.util.Map.entry(
                    "certificates/WebhookCertificateRotation.class", "runs WebhookCertificates (same grants)"),
            java.util.Map.entry(
                    "informer/AppSecretSource.class",
                    "gets a tls Secret an app names after the Secret arrived (AppSecretStore): get secrets,"
                            + " derived already for the front ends' certificate copies (a Secret dependent)"),
            java.util.Map.entry("webapp/WebAppReconciler.class", "hands its client to IssuedCertificates (below)"),
            java.util.Map.entry(
                    "webapp/IssuedCertificates.class",
                    "get, create, update, delete certificates.cert-manager.io: granted only with certManager.enabled"
                            + " (see certManagerEnabledGrantsTheAppsCertificatesAndNothingElse)"),
            java.util.Map.entry(
                    "presence/CertManagerPresence.class",
                    "API discovery of /apis/cert-manager.io/v1: a non-resource URL every client may read"
                            + " (Kubernetes' system:discovery), no rule of the chart's"),
            java.util.Map.entry(
                    "operability/ApiServerReachability.class",
                    "GET /version at start-up: a non-resource URL every client may read"
                            + " (Kubernetes' system:public-info-viewer), no rule of the chart's"),
            java.util.Map.entry(
                    "dependent/ControlledDependentResource.class",
                    "takes only the client's serialization, to compare a child with its desired state: no request"),
            java.util.Map.entry(
                    "environment/EgressGatewayDependent.class",
                    "get, create, update, delete ciliumegressgatewaypolicies.cilium.io, egresses.crd.antrea.io,"
                            + " egressips.k8s.ovn.org: granted only with egressGateway.enabled; list pods (granted);"
                            + " get nodes: granted only with outbound.readNodes"),
            java.util.Map.entry(
                    "environment/AppServiceEnvironmentReconciler.class",
                    "hands its client to EgressGatewayDependent (above)"),
            java.util.Map.entry(
                    "presence/OptionalApi.class",
                    "API discovery of /apis/<group>/<version>: a non-resource URL every client may read, no rule of the chart's"));

    @Test
    void egressGatewayAndReadNodesGrantTheirKindsOnly() throws ClassNotFoundException {
        Set<Grant> providers = new HashSet<>();
        for (String[] kind : new String[][] {
            {"cilium.io", "ciliumegressgatewaypolicies"}, {"crd.antrea.io", "egresses"}, {"k8s.ovn.org", "egressips"}
        }) {
            for (String verb : List.of("get", "create", "update", "delete")) {
                providers.add(Grant.of(Grant.CLUSTER, kind[0], kind[1], verb));
            }
        }
        Set<Grant> nodes = Set.of(
                Grant.of(Grant.CLUSTER, "", "nodes", "get"),
                Grant.of(Grant.CLUSTER, "", "nodes", "list"),
                Grant.of(Grant.CLUSTER, "", "nodes", "watch"));
        Set<Grant> base = new HashSet<>(reconciling(Grant.CLUSTER));
        base.addAll(leaderElection(HelmChart.NAMESPACE, "ase-operator-leader"));
        Manifest gateway = HelmChart.render("egressGateway: {enabled: true}");
        base.addAll(webhookCertificates(gateway));
        Set<Grant> expected = new HashSet<>(base);
        expected.addAll(providers);
        assertExactly(ServiceAccountPermissions.ofOperator(gateway), expected);
        expected = new HashSet<>(base);
        expected.addAll(nodes);
        assertExactly(ServiceAccountPermissions.ofOperator(HelmChart.render("outbound: {readNodes: true}")), expected);
        assertThat(ServiceAccountPermissions.ofOperator(HelmChart.render()))
                .as("not granted by default")
                .doesNotContainAnyElementsOf(providers)
                .doesNotContainAnyElementsOf(nodes);

        Set<String> dsl = Set.of(
                "get",
                "create",
                "update",
                "edit",
                "patch",
                "delete",
                "list",
                "watch",
                "inform",
                "serverSideApply",
                "createOr",
                "createOrReplace",
                "replace");
        Set<String> named = new TreeSet<>(ClassConstants.of(Class.forName(
                "dev.appservice.operator.environment.EgressGatewayDependent",
                false,
                OperatorRbacTest.class.getClassLoader())));
        named.retainAll(dsl);
        assertThat(named)
                .as("client calls on the providers' objects, the app pods and the nodes")
                .containsExactlyInAnyOrder("get", "create", "update", "delete", "list");
    }

    @Test
    void theKnownClientCallersNeedOnlyWhatIsDerived() {
        Set<Grant> derived = reconciling(Grant.CLUSTER);
        for (Class<? extends HasMetadata> type : List.of(
                dev.appservice.operator.api.AppServiceEnvironment.class,
                dev.appservice.operator.api.IsolatedPlan.class,
                dev.appservice.operator.api.WebApp.class)) {
            assertThat(derived).containsAll(reads(Grant.CLUSTER, type));
        }
        assertThat(derived).contains(Grant.of(Grant.CLUSTER, "", "events", "create"));
        assertThat(derived).contains(Grant.of(Grant.CLUSTER, "", "configmaps", "delete"));
        assertThat(derived).contains(Grant.of(Grant.CLUSTER, "", "services", "delete"));
        assertThat(derived).contains(Grant.of(Grant.CLUSTER, "networking.k8s.io", "networkpolicies", "delete"));
        // WebhookCertificates, with the default chart (self-managed): its calls on the objects the chart names.
        assertThat(webhookCertificates(HelmChart.render()))
                .containsExactlyInAnyOrder(
                        Grant.of(HelmChart.NAMESPACE, "", "secrets", "create"),
                        new Grant(HelmChart.NAMESPACE, "", "secrets", "get", "ase-operator-webhook-tls"),
                        new Grant(HelmChart.NAMESPACE, "", "secrets", "update", "ase-operator-webhook-tls"),
                        new Grant(
                                Grant.CLUSTER,
                                "admissionregistration.k8s.io",
                                "validatingwebhookconfigurations",
                                "get",
                                "ase-operator"),
                        new Grant(
                                Grant.CLUSTER,
                                "admissionregistration.k8s.io",
                                "validatingwebhookconfigurations",
                                "patch",
                                "ase-operator"));
    }

    /**
     * The Fabric8 DSL methods the self-managed certificate classes name, and so the verbs behind
     * {@link #webhookCertificates(Manifest)}: get (Secret, webhook configuration), create and update
     * (Secret), edit (the configuration's caBundle: a PATCH). Another DSL call there (delete, list,
     * watch, server-side apply...) fails here until it is derived and granted.
     */
    @Test
    void theWebhookCertificatesCallOnlyTheVerbsDerivedForThem() throws ClassNotFoundException {
        Set<String> dsl = Set.of(
                "get",
                "create",
                "update",
                "edit",
                "patch",
                "delete",
                "list",
                "watch",
                "inform",
                "informOnCondition",
                "serverSideApply",
                "createOr",
                "createOrReplace",
                "replace",
                "patchStatus",
                "updateStatus",
                "editStatus",
                "waitUntilCondition",
                "waitUntilReady");
        Set<String> named = new TreeSet<>();
        for (String className : List.of(
                "dev.appservice.operator.certificates.WebhookCertificates",
                "dev.appservice.operator.certificates.WebhookCertificateRotation")) {
            Set<String> constants =
                    ClassConstants.of(Class.forName(className, false, OperatorRbacTest.class.getClassLoader()));
            constants.stream().filter(dsl::contains).forEach(named::add);
        }
        assertThat(named)
                .as(
                        "client calls of the self-managed webhook certificates: get → get, create → create, update → update, "
                                + "edit → patch; derive any other in webhookCertificates()")
                .containsExactlyInAnyOrder("get", "create", "update", "edit");
        Set<String> certificates = ClassConstants.of(Class.forName(
                "dev.appservice.operator.certificates.WebhookCertificates",
                false,
                OperatorRbacTest.class.getClassLoader()));
        assertThat(certificates)
                .as("the two resources it reaches")
                .contains("secrets", "validatingWebhookConfigurations");
    }

    @Test
    void everyRequestTheOperatorMakesIsAllowedByTheChart() throws InterruptedException {
        Set<Grant> granted = ServiceAccountPermissions.ofOperator(HelmChart.render());
        MockKubernetes.clearRequests();
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(operatorClient.getConfiguration())
                        .withUserAgent(TEST_USER_AGENT)
                        .build())
                .build()) {
            exerciseTheOperator(client);
        }
        List<ApiRequest> requests = new ArrayList<>();
        for (RecordedRequest recorded : MockKubernetes.requestsSinceClear()) {
            if (!TEST_USER_AGENT.equals(recorded.getHeader("User-Agent"))) {
                ApiRequest.parse(recorded.getMethod(), recorded.getPath()).ifPresent(requests::add);
            }
        }
        Set<String> seen = requests.stream().map(ApiRequest::describe).collect(Collectors.toCollection(TreeSet::new));
        // The scenario made the operator create, update, delete children and patch statuses.
        assertThat(seen)
                .contains(
                        "apps/deployments create",
                        "apps/deployments update",
                        "apps/deployments delete",
                        "networking.k8s.io/networkpolicies create",
                        "networking.k8s.io/networkpolicies delete",
                        "core/services create",
                        "core/configmaps create",
                        "appservice.dev/appserviceenvironments/status patch",
                        "appservice.dev/isolatedplans/status patch");
        List<String> denied = requests.stream()
                .filter(r -> granted.stream().noneMatch(r::allowedBy))
                .map(ApiRequest::toString)
                .distinct()
                .sorted()
                .toList();
        assertThat(denied)
                .as("requests the chart's RBAC would deny (operator made: %s)", seen)
                .isEmpty();
    }

    /** Creates an environment with an NSG and a plan, scales the plan, removes the outbound rules, then the environment. */
    private static void exerciseTheOperator(KubernetesClient client) {
        String ns = "rbac-" + UUID.randomUUID().toString().substring(0, 8);
        AppServiceEnvironment environment = Fixtures.environment(ns, "ase1");
        NetworkSecurityGroup nsg = new NetworkSecurityGroup();
        nsg.setInboundRules(List.of(rule("allow-https", List.of("Internet"), null, "443")));
        nsg.setOutboundRules(List.of(rule("deny-metadata", null, List.of("169.254.169.254/32"), "*")));
        nsg.getOutboundRules().get(0).setAccess(RuleAccess.Deny);
        environment.getSpec().setNetworkSecurityGroup(nsg);
        client.resource(environment).create();
        client.resource(Fixtures.plan(ns, "web", "ase1", InstanceSize.I1, 2)).create();
        await().atMost(TIMEOUT)
                .until(() -> client.resources(Deployment.class)
                                .inNamespace(ns)
                                .withName("web-workers")
                                .get()
                        != null);
        await().atMost(TIMEOUT)
                .until(() -> client.resources(NetworkPolicy.class)
                                .inNamespace(ns)
                                .withName("ase1-egress")
                                .get()
                        != null);

        // 15 instances call for a third front end: both Deployments are updated.
        edit(client, IsolatedPlan.class, ns, "web", p -> p.getSpec().setInstances(15));
        await().atMost(TIMEOUT)
                .until(() -> client.resources(Deployment.class)
                                .inNamespace(ns)
                                .withName("ase1-frontend")
                                .get()
                                .getSpec()
                                .getReplicas()
                        == 3);

        edit(
                client,
                AppServiceEnvironment.class,
                ns,
                "ase1",
                a -> a.getSpec().getNetworkSecurityGroup().setOutboundRules(null));
        // The egress policy opens (everything but the metadata addresses): an update.
        await().atMost(TIMEOUT)
                .until(() -> client.resources(NetworkPolicy.class)
                                .inNamespace(ns)
                                .withName("ase1-egress")
                                .get()
                                .getSpec()
                                .getEgress()
                                .size()
                        == 1);
        // Without an NSG, an External environment's front-end policy goes: a delete.
        edit(client, AppServiceEnvironment.class, ns, "ase1", a -> a.getSpec().setNetworkSecurityGroup(null));
        await().atMost(TIMEOUT)
                .until(() -> client.resources(NetworkPolicy.class)
                                .inNamespace(ns)
                                .withName("ase1-frontend-ingress")
                                .get()
                        == null);

        client.resources(AppServiceEnvironment.class)
                .inNamespace(ns)
                .withName("ase1")
                .delete();
        await().atMost(TIMEOUT)
                .until(() -> client.resources(Deployment.class)
                                .inNamespace(ns)
                                .withName("web-workers")
                                .get()
                        == null);
    }

    /** Edits an object, again on a conflict with the operator's own status writes. */
    private static <T extends HasMetadata> void edit(
            KubernetesClient client, Class<T> type, String ns, String name, Consumer<T> change) {
        await().atMost(TIMEOUT).until(() -> {
            try {
                client.resources(type).inNamespace(ns).withName(name).edit(o -> {
                    change.accept(o);
                    return o;
                });
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    return false;
                }
                throw e;
            }
        });
    }

    private static SecurityRule rule(String name, List<String> sources, List<String> destinations, String ports) {
        SecurityRule rule = new SecurityRule();
        rule.setName(name);
        rule.setPriority(100);
        rule.setAccess(RuleAccess.Allow);
        rule.setSourceAddressPrefixes(sources);
        rule.setDestinationAddressPrefixes(destinations);
        rule.setDestinationPortRanges(List.of(ports));
        return rule;
    }

    /** What the two controllers need in one scope (cluster-wide or a watched namespace), derived from the code. */
    private Set<Grant> reconciling(String scope) {
        assertThat(operator.getConfigurationService().ssaBasedCreateUpdateMatchForDependentResources())
                .as(
                        "with server-side apply, dependents are created and updated with PATCH: derive that here and in the chart")
                .isFalse();
        Set<Grant> grants = new HashSet<>();
        for (RegisteredController<?> registered : operator.getRegisteredControllers()) {
            Controller<?> controller = (Controller<?>) registered;
            ControllerConfiguration<?> configuration = controller.getConfiguration();
            Class<? extends HasMetadata> primary = configuration.getResourceClass();
            Class<?> reconciler = reconcilerClass(configuration);

            // Every informer the controller runs.
            for (EventSource<?, ?> source : controller.getEventSourceManager().allEventSources()) {
                if (HasMetadata.class.isAssignableFrom(source.resourceType())) {
                    grants.addAll(reads(scope, source.resourceType().asSubclass(HasMetadata.class)));
                }
            }
            grants.addAll(reads(scope, primary));

            // What the reconciler writes to its primary.
            // Its own calls, and those of the status writer every reconciler delegates to.
            Set<String> calls = new HashSet<>(ClassConstants.of(reconciler));
            if (calls.contains(STATUS_WRITER)) {
                calls.addAll(ClassConstants.of(dev.appservice.operator.status.StatusWrites.class));
            }
            calls.retainAll(PRIMARY_WRITES);
            assertThat(calls)
                    .as("%s writes its primary with %s: derive the verbs here", reconciler.getSimpleName(), calls)
                    .isSubsetOf(
                            "patchStatus",
                            "patchResource",
                            "patchResourceAndStatus",
                            "jsonPatchPrimaryStatus",
                            "editStatus");
            String plural = HasMetadata.getPlural(primary);
            if (calls.contains("patchStatus")
                    || calls.contains("patchResourceAndStatus")
                    || calls.contains("jsonPatchPrimaryStatus")
                    || calls.contains("editStatus")) {
                assertThat(primary).isAssignableTo(CustomResource.class);
                grants.add(Grant.of(scope, group(primary), plural + "/status", "patch"));
            }
            if (calls.contains("patchResource")
                    || calls.contains("patchResourceAndStatus")
                    || controller.useFinalizer()) {
                grants.add(Grant.of(scope, group(primary), plural, "patch"));
            }

            // What its dependents write.
            Workflow workflow = reconciler.getAnnotation(Workflow.class);
            for (Dependent dependent : workflow == null ? new Dependent[0] : workflow.dependents()) {
                Class<? extends HasMetadata> child = resourceType(dependent.type());
                grants.addAll(reads(scope, child));
                String group = group(child);
                String resource = HasMetadata.getPlural(child);
                if (Creator.class.isAssignableFrom(dependent.type())) {
                    grants.add(Grant.of(scope, group, resource, "create"));
                }
                if (Updater.class.isAssignableFrom(dependent.type())) {
                    grants.add(Grant.of(scope, group, resource, "update"));
                }
                if (Deleter.class.isAssignableFrom(dependent.type())) {
                    grants.add(Grant.of(scope, group, resource, "delete"));
                }
            }
        }
        // Kubernetes Events on the custom resources (created, and patched when they repeat).
        grants.add(Grant.of(scope, "", "events", "create"));
        grants.add(Grant.of(scope, "", "events", "patch"));
        return grants;
    }

    /**
     * Leader election's Lease, in the operator's namespace: the Fabric8 LeaseLock gets, creates and
     * renews it with a JSON merge patch; JOSDK's start-up check asks for create, update and get. Only
     * create cannot be limited to the Lease's name.
     */
    private static Set<Grant> leaderElection(String namespace, String lease) {
        return Set.of(
                Grant.of(namespace, "coordination.k8s.io", "leases", "create"),
                new Grant(namespace, "coordination.k8s.io", "leases", "get", lease),
                new Grant(namespace, "coordination.k8s.io", "leases", "update", lease),
                new Grant(namespace, "coordination.k8s.io", "leases", "patch", lease));
    }

    /**
     * What {@code dev.appservice.operator.certificates.WebhookCertificates} calls, given the environment
     * the chart sets on the operator: only with {@code ASE_WEBHOOK_CERTIFICATES=self-managed}, it
     * creates the Secret {@code ASE_WEBHOOK_SECRET} in its own namespace ({@code ASE_OPERATOR_NAMESPACE})
     * when missing (create cannot be limited to a name), reads it and writes renewed certificates
     * into it (get, update), and reads the cluster-scoped ValidatingWebhookConfiguration
     * {@code ASE_WEBHOOK_CONFIGURATION} and patches its caBundle (get, patch). With cert-manager
     * (files mounted from the Secret) or without the webhook it calls nothing.
     */
    static Set<Grant> webhookCertificates(Manifest chart) {
        Deployment deployment = chart.one("Deployment", Deployment.class);
        java.util.Map<String, io.fabric8.kubernetes.api.model.EnvVar> env =
                deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                        .collect(Collectors.toMap(io.fabric8.kubernetes.api.model.EnvVar::getName, e -> e));
        var mode = env.get("ASE_WEBHOOK_CERTIFICATES");
        if (mode == null || !"self-managed".equals(mode.getValue())) {
            return Set.of();
        }
        assertThat(env.get("ASE_OPERATOR_NAMESPACE")
                        .getValueFrom()
                        .getFieldRef()
                        .getFieldPath())
                .isEqualTo("metadata.namespace");
        String namespace = deployment.getMetadata().getNamespace();
        String secret = env.get("ASE_WEBHOOK_SECRET").getValue();
        String configuration = env.get("ASE_WEBHOOK_CONFIGURATION").getValue();
        assertThat(chart.identities())
                .as("the operator patches the configuration the chart installs")
                .contains("ValidatingWebhookConfiguration " + configuration);
        return Set.of(
                Grant.of(namespace, "", "secrets", "create"),
                new Grant(namespace, "", "secrets", "get", secret),
                new Grant(namespace, "", "secrets", "update", secret),
                new Grant(
                        Grant.CLUSTER,
                        "admissionregistration.k8s.io",
                        "validatingwebhookconfigurations",
                        "get",
                        configuration),
                new Grant(
                        Grant.CLUSTER,
                        "admissionregistration.k8s.io",
                        "validatingwebhookconfigurations",
                        "patch",
                        configuration));
    }

    private static Set<Grant> reads(String scope, Class<? extends HasMetadata> type) {
        String group = group(type);
        String resource = HasMetadata.getPlural(type);
        return Set.of(
                Grant.of(scope, group, resource, "get"),
                Grant.of(scope, group, resource, "list"),
                Grant.of(scope, group, resource, "watch"));
    }

    private static String group(Class<? extends HasMetadata> type) {
        String group = HasMetadata.getGroup(type);
        return group == null ? "" : group;
    }

    private static Class<?> reconcilerClass(ControllerConfiguration<?> configuration) {
        try {
            return Class.forName(
                    configuration.getAssociatedReconcilerClassName(), false, OperatorRbacTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    /** The R of a dependent's {@code KubernetesDependentResource<R, P>}, from its generic superclasses. */
    static Class<? extends HasMetadata> resourceType(Class<?> dependent) {
        for (Class<?> type = dependent; type != null && type != Object.class; type = type.getSuperclass()) {
            Type superclass = type.getGenericSuperclass();
            if (superclass instanceof ParameterizedType parameterized
                    && KubernetesDependentResource.class.isAssignableFrom((Class<?>) parameterized.getRawType())
                    && parameterized.getActualTypeArguments()[0] instanceof Class<?> resource
                    && HasMetadata.class.isAssignableFrom(resource)) {
                return resource.asSubclass(HasMetadata.class);
            }
        }
        throw new AssertionError(
                dependent.getName() + " is not a KubernetesDependentResource of a concrete resource type");
    }

    private static void assertExactly(Set<Grant> granted, Set<Grant> expected) {
        Set<String> missing = expected.stream()
                .filter(g -> !granted.contains(g))
                .map(Grant::toString)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> extra = granted.stream()
                .filter(g -> !expected.contains(g))
                .map(Grant::toString)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(missing)
                .as("permissions the code needs and the chart does not grant")
                .isEmpty();
        assertThat(extra)
                .as("permissions the chart grants and the code does not use")
                .isEmpty();
    }
}
