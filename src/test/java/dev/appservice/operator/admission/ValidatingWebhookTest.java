package dev.appservice.operator.admission;

import static dev.appservice.operator.testing.Fixtures.environment;
import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.EnvironmentVersion;
import dev.appservice.operator.api.FrontEndSettings;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.NetworkSecurityGroup;
import dev.appservice.operator.api.RuleAccess;
import dev.appservice.operator.api.SecurityRule;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WorkerPool;
import dev.appservice.operator.testing.BeforeAdmission;
import dev.appservice.operator.testing.MaximalWebApp;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.validation.WebAppBudget;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The running webhook, over HTTPS, fed real AdmissionReview JSON as the API server sends it. The
 * cluster it reads is the mock API server, through the webhook's informer caches.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class ValidatingWebhookTest {
    /** The HTTPS port is chosen at random (test-ssl-port=0) so parallel builds do not collide. */
    static URI endpoint() {
        int port = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.http.test-ssl-port", Integer.class);
        return URI.create("https://localhost:" + port + ValidatingWebhook.PATH);
    }

    static final KubernetesSerialization JSON = new KubernetesSerialization();
    static HttpClient http;

    @Inject
    KubernetesClient client;

    String ns;

    @BeforeAll
    static void trustTestCertificate() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of("src/test/resources/tls/tls.crt"))) {
            trust.setCertificateEntry(
                    "webhook", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        http = HttpClient.newBuilder()
                .sslContext(ssl)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    @BeforeEach
    void namespace() {
        ns = "w-" + UUID.randomUUID().toString().substring(0, 8);
        // The caches fill while the operator starts; the webhook answers only once they have (as readiness says).
        await().atMost(Duration.ofSeconds(30))
                .until(() -> io.quarkus.arc.Arc.container()
                        .instance(AdmissionCache.class)
                        .get()
                        .synced());
    }

    record Answer(String uid, boolean allowed, String message, List<String> warnings, int code) {}

    static String review(
            String uid,
            String operation,
            String resource,
            String subResource,
            String kind,
            String namespace,
            String name,
            Object object,
            Object oldObject) {
        String group = kind.equals("Scale") ? "autoscaling" : "appservice.dev";
        String version = kind.equals("Scale") ? "v1" : "v1alpha1";
        return """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
                  "uid":"%s",
                  "kind":{"group":"%s","version":"%s","kind":"%s"},
                  "resource":{"group":"appservice.dev","version":"v1alpha1","resource":"%s"},
                  %s
                  "requestKind":{"group":"%s","version":"%s","kind":"%s"},
                  "name":"%s","namespace":"%s","operation":"%s",
                  "userInfo":{"username":"kubernetes-admin","groups":["system:masters","system:authenticated"]},
                  "object":%s,
                  "oldObject":%s,
                  "dryRun":false,
                  "options":{"apiVersion":"meta.k8s.io/v1","kind":"%sOptions"}
                }}""".formatted(
                        uid,
                        group,
                        version,
                        kind,
                        resource,
                        subResource == null ? "" : "\"subResource\":\"" + subResource + "\",",
                        group,
                        version,
                        kind,
                        name,
                        namespace,
                        operation,
                        JSON.asJson(object),
                        oldObject == null ? "null" : JSON.asJson(oldObject),
                        operation.equals("CREATE") ? "Create" : "Update");
    }

    static Answer post(String body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(endpoint())
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode json = new ObjectMapper().readTree(response.body());
        assertThat(json.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(json.path("kind").asText()).isEqualTo("AdmissionReview");
        JsonNode r = json.path("response");
        List<String> warnings = new java.util.ArrayList<>();
        r.path("warnings").forEach(w -> warnings.add(w.asText()));
        return new Answer(
                r.path("uid").asText(),
                r.path("allowed").asBoolean(),
                r.path("status").path("message").asText(null),
                warnings,
                r.path("status").path("code").asInt(0));
    }

    static String resource(HasMetadata object) {
        return object instanceof AppServiceEnvironment
                ? "appserviceenvironments"
                : object instanceof IsolatedPlan ? "isolatedplans" : "webapps";
    }

    Answer create(HasMetadata object) throws Exception {
        String resource = resource(object);
        return post(review(
                UUID.randomUUID().toString(),
                "CREATE",
                resource,
                null,
                object.getKind(),
                ns,
                object.getMetadata().getName(),
                object,
                null));
    }

    Answer update(HasMetadata object, HasMetadata old) throws Exception {
        String resource = resource(object);
        return post(review(
                UUID.randomUUID().toString(),
                "UPDATE",
                resource,
                null,
                object.getKind(),
                ns,
                object.getMetadata().getName(),
                object,
                old));
    }

    /** Creates objects in the cluster and waits until the webhook's cache has them. */
    void exists(HasMetadata... objects) {
        for (HasMetadata o : objects) {
            client.resource(o).create();
        }
        AdmissionCache cache =
                io.quarkus.arc.Arc.container().instance(AdmissionCache.class).get();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> java.util.Arrays.stream(objects)
                        .allMatch(o -> o instanceof AppServiceEnvironment
                                ? cache.environment(ns, o.getMetadata().getName())
                                        .isPresent()
                                : o instanceof IsolatedPlan
                                        ? cache.plan(ns, o.getMetadata().getName())
                                                .isPresent()
                                        : cache.apps(ns).stream()
                                                .anyMatch(a -> a.getMetadata()
                                                        .getName()
                                                        .equals(o.getMetadata().getName()))));
    }

    @Test
    void allowsAPlanThatFitsAndEchoesTheUid() throws Exception {
        exists(environment(ns, "ase1"));
        String uid = UUID.randomUUID().toString();
        IsolatedPlan plan = plan(ns, "web", "ase1", InstanceSize.I1, 10);
        Answer answer = post(review(uid, "CREATE", "isolatedplans", null, "IsolatedPlan", ns, "web", plan, null));
        assertThat(answer.uid()).isEqualTo(uid);
        assertThat(answer.allowed()).isTrue();
        assertThat(answer.warnings()).isEmpty();
    }

    @Test
    void deniesAPlanThatWouldPassTheEnvironmentLimitWithTheFigures() throws Exception {
        exists(environment(ns, "ase1"));
        IsolatedPlan[] others = new IsolatedPlan[7];
        for (int i = 0; i < 6; i++) {
            others[i] = plan(ns, "p" + i, "ase1", InstanceSize.I1, 25);
        }
        others[6] = plan(ns, "p6", "ase1", InstanceSize.I1, 30);
        exists(others);
        Answer answer = create(plan(ns, "web-plan", "ase1", InstanceSize.I1, 30));
        assertThat(answer.allowed()).isFalse();
        assertThat(answer.code()).isEqualTo(422);
        assertThat(answer.message())
                .isEqualTo("IsolatedPlan " + ns + "/web-plan: spec.instances 30 would bring AppServiceEnvironment " + ns
                        + "/ase1 to 210 instances (limit 200; 180 used by 7 other plans)");
        assertThat(create(plan(ns, "small", "ase1", InstanceSize.I1, 20)).allowed())
                .as("exactly 200 fits")
                .isTrue();
    }

    @Test
    void checksTheScaleSubresourceLikeTheSpec() throws Exception {
        AppServiceEnvironment ase = environment(ns, "ase1");
        ase.getSpec().setMaxInstances(50);
        exists(ase, plan(ns, "a", "ase1", InstanceSize.I1, 30), plan(ns, "b", "ase1", InstanceSize.I1, 10));
        String scale = """
                {"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"b","namespace":"%s"},"spec":{"replicas":25}}""".formatted(ns);
        Answer denied = post(review(
                "u1",
                "UPDATE",
                "isolatedplans",
                "scale",
                "Scale",
                ns,
                "b",
                JSON.unmarshal(scale, java.util.Map.class),
                null));
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.message())
                .isEqualTo("IsolatedPlan " + ns + "/b: spec.instances 25 would bring AppServiceEnvironment " + ns
                        + "/ase1 to 55 instances (limit 50; 30 used by 1 other plan)");
        String fits = scale.replace("\"replicas\":25", "\"replicas\":20");
        assertThat(post(review(
                                "u2",
                                "UPDATE",
                                "isolatedplans",
                                "scale",
                                "Scale",
                                ns,
                                "b",
                                JSON.unmarshal(fits, java.util.Map.class),
                                null))
                        .allowed())
                .isTrue();
    }

    @Test
    void shrinkingAnOverfullPlanIsAlwaysAllowed() throws Exception {
        AppServiceEnvironment ase = environment(ns, "ase1");
        ase.getSpec().setMaxInstances(20);
        IsolatedPlan big = plan(ns, "big", "ase1", InstanceSize.I1, 30); // admitted while the webhook was down
        exists(ase, big);
        IsolatedPlan smaller = plan(ns, "big", "ase1", InstanceSize.I1, 25);
        assertThat(update(smaller, big).allowed()).isTrue();
    }

    @Test
    void warnsWhenThePlansEnvironmentDoesNotExistYet() throws Exception {
        Answer answer = create(plan(ns, "early", "later", InstanceSize.I1, 2));
        assertThat(answer.allowed()).isTrue();
        assertThat(answer.warnings())
                .containsExactly("IsolatedPlan " + ns + "/early: spec.environmentName AppServiceEnvironment " + ns
                        + "/later does not exist yet; the plan waits for it (EnvironmentNotFound)");
    }

    @Test
    void deniesLoweringTheLimitBelowWhatPlansUse() throws Exception {
        AppServiceEnvironment ase = environment(ns, "ase1");
        exists(ase, plan(ns, "a", "ase1", InstanceSize.I1, 60), plan(ns, "b", "ase1", InstanceSize.I1, 40));
        AppServiceEnvironment lowered = environment(ns, "ase1");
        lowered.getSpec().setMaxInstances(80);
        Answer answer = update(lowered, ase);
        assertThat(answer.allowed()).isFalse();
        assertThat(answer.message())
                .isEqualTo(
                        "AppServiceEnvironment " + ns
                                + "/ase1: spec.maxInstances 80 is below the 100 instances its 2 plans use: scale them in first");
    }

    @Test
    void deniesChangingImmutableFields() throws Exception {
        AppServiceEnvironment v2 = environment(ns, "ase1");
        AppServiceEnvironment v1 = v1Environment("ase1", 2, 10);
        assertThat(update(v1, v2).message()).contains("spec.version is immutable (V2 → V1)");
        IsolatedPlan plan = plan(ns, "p", "ase1", InstanceSize.I1, 1);
        IsolatedPlan moved = plan(ns, "p", "ase2", InstanceSize.I1, 1);
        assertThat(update(moved, plan).message())
                .isEqualTo("IsolatedPlan " + ns + "/p: spec.environmentName is immutable ('ase1' → 'ase2'): "
                        + "create a new plan in the other environment");
    }

    @Test
    void v1HoldsFiftyFiveHostsAndPlansFitTheirPool() throws Exception {
        assertThat(create(v1Environment("ase54", 4, 50)).allowed()).isTrue();
        assertThat(create(v1Environment("ase55", 5, 50)).allowed()).isTrue();
        Answer over = create(v1Environment("ase56", 6, 50));
        assertThat(over.allowed()).isFalse();
        assertThat(over.message())
                .isEqualTo("AppServiceEnvironment " + ns
                        + "/ase56: spec 6 front ends + 50 workers in pools = 56 hosts (limit 55 for a V1 environment)");

        exists(v1Environment("v1", 2, 8), v1Plan("first", "v1", 5));
        Answer tooBig = create(v1Plan("second", "v1", 5));
        assertThat(tooBig.allowed()).isFalse();
        assertThat(tooBig.message())
                .isEqualTo("IsolatedPlan " + ns
                        + "/second: spec.instances 5: scale out worker pool 'small' of AppServiceEnvironment " + ns
                        + "/v1 first: it has 3 free workers, the plan asks for 5");
        IsolatedPlan unknownPool = v1Plan("third", "v1", 1);
        unknownPool.getSpec().setWorkerPool("large");
        assertThat(create(unknownPool).message())
                .isEqualTo("IsolatedPlan " + ns
                        + "/third: spec.workerPool 'large' is not a worker pool of AppServiceEnvironment " + ns
                        + "/v1 (pools: small)");
    }

    @Test
    void poolScaleOutThenPlanScaleOutIsAdmitted() throws Exception {
        AppServiceEnvironment ase = v1Environment("v1", 2, 8);
        IsolatedPlan first = v1Plan("first", "v1", 5);
        IsolatedPlan second = v1Plan("second", "v1", 3);
        exists(ase, first, second);
        IsolatedPlan grown = v1Plan("second", "v1", 6);
        assertThat(update(grown, second).message())
                .contains("scale out worker pool 'small' of AppServiceEnvironment " + ns
                        + "/v1 first: it has 3 free workers, the plan asks for 6");

        AppServiceEnvironment shrunk = v1Environment("v1", 2, 7);
        assertThat(update(shrunk, ase).message())
                .isEqualTo("AppServiceEnvironment " + ns + "/v1: spec.workerPools[0].count 7 is below the 8 workers "
                        + "plans use in pool 'small': scale those plans in first");
        AppServiceEnvironment scaledOut = v1Environment("v1", 2, 11);
        assertThat(update(scaledOut, ase).allowed()).isTrue();
        // Again on a conflict with the operator's own status write on the new environment.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try {
                client.resources(AppServiceEnvironment.class)
                        .inNamespace(ns)
                        .withName("v1")
                        .edit(a -> {
                            a.getSpec().getWorkerPools().get(0).setCount(11);
                            return a;
                        });
                return true;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() == 409) {
                    return false;
                }
                throw e;
            }
        });
        AdmissionCache cache =
                io.quarkus.arc.Arc.container().instance(AdmissionCache.class).get();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cache.environment(ns, "v1")
                                .orElseThrow()
                                .getSpec()
                                .getWorkerPools()
                                .get(0)
                                .getCount()
                        == 11);
        assertThat(update(grown, second).allowed()).isTrue();
    }

    @Test
    void rejectsV1AndV2FieldMixUps() throws Exception {
        // The CRD's CEL rules refuse these before the webhook sees them (the API server, validate).
        AppServiceEnvironment v2WithPools = environment(ns, "v2p");
        v2WithPools
                .getSpec()
                .setWorkerPools(List.of(
                        v1Environment("x", 2, 1).getSpec().getWorkerPools().get(0)));
        assertThat(BeforeAdmission.refusals(v2WithPools))
                .containsExactly("AppServiceEnvironment " + ns
                        + "/v2p: spec: Invalid value: spec.workerPools is for V1 environments only");

        AppServiceEnvironment v2WithCount = environment(ns, "v2c");
        FrontEndSettings fe = new FrontEndSettings();
        fe.setCount(3);
        v2WithCount.getSpec().setFrontEnd(fe);
        assertThat(BeforeAdmission.refusals(v2WithCount))
                .singleElement()
                .asString()
                .startsWith("AppServiceEnvironment " + ns
                        + "/v2c: spec: Invalid value: spec.frontEnd.count is for V1 environments only");

        AppServiceEnvironment v1WithoutCount = v1Environment("v1n", 2, 1);
        v1WithoutCount.getSpec().getFrontEnd().setCount(null);
        assertThat(BeforeAdmission.refusals(v1WithoutCount))
                .containsExactly("AppServiceEnvironment " + ns
                        + "/v1n: spec: Invalid value: spec.frontEnd.count is required for a V1 environment");
        assertThat(BeforeAdmission.refusals(v1Environment("v1n", 2, 1))).isEmpty();

        AppServiceEnvironment v1WithV2Fields = v1Environment("v1x", 2, 1);
        v1WithV2Fields.getSpec().getFrontEnd().setScaleFactor(10);
        v1WithV2Fields.getSpec().setMaxInstances(100);
        Answer answer = create(v1WithV2Fields);
        assertThat(answer.allowed()).isTrue();
        assertThat(answer.warnings())
                .containsExactly(
                        "AppServiceEnvironment " + ns
                                + "/v1x: spec.frontEnd.scaleFactor is ignored for a V1 environment: its front ends are counted by hand (spec.frontEnd.count)",
                        "AppServiceEnvironment " + ns
                                + "/v1x: spec.maxInstances is ignored for a V1 environment: it holds at most 55 hosts");

        exists(environment(ns, "v2"));
        IsolatedPlan v2PlanWithPool = plan(ns, "pp", "v2", InstanceSize.I1, 1);
        v2PlanWithPool.getSpec().setWorkerPool("small");
        assertThat(create(v2PlanWithPool).message())
                .isEqualTo("IsolatedPlan " + ns
                        + "/pp: spec.workerPool is for V1 environments only: AppServiceEnvironment " + ns
                        + "/v2 is V2");
        exists(v1Environment("v1", 2, 4));
        assertThat(create(plan(ns, "nopool", "v1", InstanceSize.I1, 1)).message())
                .isEqualTo("IsolatedPlan " + ns + "/nopool: spec.workerPool is required: AppServiceEnvironment " + ns
                        + "/v1 is V1, so the plan runs in one of its worker pools (small)");
    }

    @Test
    void warnsAboutAnNsgThatBlocksManagement() throws Exception {
        AppServiceEnvironment ase = environment(ns, "locked");
        SecurityRule deny = new SecurityRule();
        deny.setName("deny-all");
        deny.setPriority(100);
        deny.setAccess(RuleAccess.Deny);
        deny.setSourceAddressPrefixes(List.of("*"));
        deny.setDestinationPortRanges(List.of("*"));
        NetworkSecurityGroup nsg = new NetworkSecurityGroup();
        nsg.setInboundRules(List.of(deny));
        ase.getSpec().setNetworkSecurityGroup(nsg);
        Answer answer = create(ase);
        assertThat(answer.allowed()).isTrue();
        assertThat(answer.warnings())
                .singleElement()
                .asString()
                .startsWith(
                        "AppServiceEnvironment " + ns
                                + "/locked: spec.networkSecurityGroup inbound rule 'deny-all' (priority 100) denies VIP port 454");
    }

    /** Subnets are exclusive per virtual network, across namespaces, checked against the webhook's cache (indexed by virtual network). */
    @Test
    void deniesASubnetOverlappingAnotherEnvironmentsInItsVirtualNetwork() throws Exception {
        String vnet = ns + "-vnet";
        AppServiceEnvironment elsewhere = environment(ns + "-b", "ase-b");
        elsewhere.getSpec().getVirtualNetwork().setName(vnet);
        elsewhere.getSpec().getVirtualNetwork().setSubnet("10.60.0.0/16");
        client.resource(elsewhere).create();
        AdmissionCache cache =
                io.quarkus.arc.Arc.container().instance(AdmissionCache.class).get();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cache.environmentsInVirtualNetwork(vnet).size() == 1);

        AppServiceEnvironment ase = environment(ns, "ase1");
        ase.getSpec().getVirtualNetwork().setName(vnet);
        ase.getSpec().getVirtualNetwork().setSubnet("10.60.4.0/24");
        Answer refused = create(ase);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.code()).isEqualTo(422);
        assertThat(refused.message())
                .isEqualTo("AppServiceEnvironment " + ns
                        + "/ase1: spec.virtualNetwork.subnet 10.60.4.0/24 overlaps subnet "
                        + "10.60.0.0/16 of AppServiceEnvironment " + ns + "-b/ase-b in virtual network " + vnet
                        + "; an ASE's subnet is its own: choose a subnet outside it");

        ase.getSpec().getVirtualNetwork().setSubnet("10.61.0.0/24");
        assertThat(create(ase).allowed()).isTrue();
        exists(ase);
        AppServiceEnvironment moved = environment(ns, "ase1");
        moved.getSpec().getVirtualNetwork().setName(vnet);
        moved.getSpec().getVirtualNetwork().setSubnet("10.60.0.0/20");
        Answer update = update(moved, ase);
        assertThat(update.allowed())
                .as("moving into another environment's subnet")
                .isFalse();
        assertThat(update.message())
                .contains(
                        "spec.virtualNetwork.subnet 10.60.0.0/20 overlaps subnet 10.60.0.0/16 of AppServiceEnvironment "
                                + ns + "-b/ase-b");
    }

    @Test
    void deniesInvalidFieldsWithTheFieldAndTheRule() throws Exception {
        AppServiceEnvironment bad = environment(ns, "bad");
        bad.getSpec().getVirtualNetwork().setSubnet("10.0.0.0/33");
        Answer answer = create(bad);
        assertThat(answer.allowed()).isFalse();
        assertThat(answer.message())
                .isEqualTo(
                        "AppServiceEnvironment " + ns
                                + "/bad: spec.virtualNetwork.subnet '10.0.0.0/33' is not a valid CIDR: the prefix length must be 0 to 32");
    }

    @Test
    void deniesFrontEndSettingsOutOfRangeNamingTheField() throws Exception {
        AppServiceEnvironment bad = environment(ns, "fe");
        var frontEnd = new dev.appservice.operator.api.FrontEndSettings();
        frontEnd.setMaxRequestBodySize(new io.fabric8.kubernetes.api.model.IntOrString("-5M"));
        frontEnd.setRequestTimeout("2h");
        frontEnd.setTrustedProxies(List.of("not-a-cidr"));
        bad.getSpec().setFrontEnd(frontEnd);
        Answer answer = create(bad);
        assertThat(answer.allowed()).isFalse();
        assertThat(answer.message())
                .contains("AppServiceEnvironment " + ns
                        + "/fe: spec.frontEnd.maxRequestBodySize must be a non-negative quantity")
                .contains("spec.frontEnd.requestTimeout must be between 1s and 1h, got '2h'")
                .contains("spec.frontEnd.trustedProxies[0]");

        var good = new dev.appservice.operator.api.FrontEndSettings();
        good.setMaxRequestBodySize(new io.fabric8.kubernetes.api.model.IntOrString(0));
        good.setRequestTimeout("4m");
        good.setTrustedProxies(List.of("10.0.0.0/8", "2001:db8::/32"));
        AppServiceEnvironment fine = environment(ns, "fine");
        fine.getSpec().setFrontEnd(good);
        assertThat(create(fine).allowed()).isTrue();
    }

    @Test
    void deniesAccessRestrictionsThatAreInvalidNamingTheField() throws Exception {
        var app = webApp(ns, "guarded", "web", 8080);
        var rules = new java.util.ArrayList<dev.appservice.operator.api.AccessRestriction>();
        rules.add(dev.appservice.operator.testing.Fixtures.accessRestriction(
                "office", 100, dev.appservice.operator.api.RuleAccess.Allow, "10.0.0.0/8"));
        rules.add(dev.appservice.operator.testing.Fixtures.accessRestriction(
                "typo", 100, dev.appservice.operator.api.RuleAccess.Allow, "10.0.0.0/33"));
        app.getSpec().setAccessRestrictions(rules);
        Answer answer = create(app);
        assertThat(answer.allowed()).isFalse();
        assertThat(answer.message())
                .contains(
                        "WebApp " + ns
                                + "/guarded: spec.accessRestrictions[1].priority 100 is already the priority of spec.accessRestrictions[0]")
                .contains("spec.accessRestrictions[1].ipAddress '10.0.0.0/33' is not a valid CIDR");

        var many = new java.util.ArrayList<dev.appservice.operator.api.AccessRestriction>();
        for (int i = 0; i < 513; i++) {
            many.add(dev.appservice.operator.testing.Fixtures.accessRestriction(
                    "r" + i,
                    i + 1,
                    dev.appservice.operator.api.RuleAccess.Allow,
                    "10.0." + (i / 256) + "." + (i % 256) + "/32"));
        }
        app.getSpec().setAccessRestrictions(many);
        // One list past its limit is past what one WebApp may hold, which is checked first (issue 27).
        assertThat(create(app).message())
                .contains("spec.accessRestrictions hold 513 access rules (the app's list 513, the slots' own lists 0)")
                .contains("at most 512 across the app and its slots");
    }

    @Test
    void deniesAnAppCertificateSecretOrIssuerThatIsNotANameNamingTheFieldAndTheLimit() throws Exception {
        var app = webApp(ns, "secured", "web", 8080);
        var tls = new dev.appservice.operator.api.AppTlsSettings();
        tls.setSecretName("Shop_TLS");
        var issuer = new dev.appservice.operator.api.CertificateIssuerReference();
        issuer.setName("lets encrypt");
        issuer.setKind("cluster-issuer");
        issuer.setGroup("Cert Manager");
        tls.setIssuerRef(issuer);
        app.getSpec().setTls(tls);
        // The names are the CRD schema's to refuse, before the webhook sees the app.
        String subdomain = "should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'";
        assertThat(BeforeAdmission.refusals(app))
                .containsExactlyInAnyOrder(
                        "WebApp " + ns + "/secured: spec.tls.secretName: Invalid value: 'Shop_TLS': " + subdomain,
                        "WebApp " + ns + "/secured: spec.tls.issuerRef.name: Invalid value: 'lets encrypt': "
                                + subdomain,
                        "WebApp " + ns
                                + "/secured: spec.tls.issuerRef.kind: Invalid value: 'cluster-issuer': should match '^[A-Z][A-Za-z0-9]*$'",
                        "WebApp " + ns + "/secured: spec.tls.issuerRef.group: Invalid value: 'Cert Manager': "
                                + subdomain);
        // Names that are names: the issuer still needs host names to issue a certificate for.
        tls.setSecretName("shop-tls");
        issuer.setName("letsencrypt");
        issuer.setKind("ClusterIssuer");
        issuer.setGroup("cert-manager.io");
        assertThat(BeforeAdmission.refusals(app)).isEmpty();
        Answer answer = create(app);
        assertThat(answer.allowed()).isFalse();
        assertThat(answer.message())
                .isEqualTo("WebApp " + ns + "/secured: spec.tls.issuerRef needs spec.hostNames: the certificate is"
                        + " issued for the app's own host names (<app>.<dnsSuffix> is served with the environment's"
                        + " certificate)");
    }

    @Test
    void deniesAnIssuedCertificateWhileCertManagerIsNotInstalled() throws Exception {
        exists(environment(ns, "ase1"), plan(ns, "web", "ase1", InstanceSize.I1, 1));
        var app = webApp(ns, "issued", "web", 8080, "www.contoso.com");
        var tls = new dev.appservice.operator.api.AppTlsSettings();
        tls.setSecretName("issued-tls");
        var issuer = new dev.appservice.operator.api.CertificateIssuerReference();
        issuer.setName("letsencrypt");
        issuer.setKind("ClusterIssuer");
        tls.setIssuerRef(issuer);
        app.getSpec().setTls(tls);
        // The webhook asks the API server in the background (it never blocks its event loop): its answer follows within
        // seconds.
        Answer refused = await().atMost(Duration.ofSeconds(30)).until(() -> create(app), a -> !a.allowed());
        assertThat(refused.message())
                .contains("WebApp " + ns
                        + "/issued: spec.tls.issuerRef names a cert-manager issuer, but cert-manager is not installed");

        var crd = dev.appservice.operator.webapp.CertManagerCrd.definition();
        client.resource(crd).create();
        try {
            await("cert-manager installed")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> create(app).allowed());
            tls.setIssuerRef(null);
        } finally {
            client.resource(crd).delete();
        }
        assertThat(create(app).allowed())
                .as("a Secret of one's own needs no cert-manager")
                .isTrue();
    }

    /** runAsUser 0 is refused in an environment at Restricted (the default) and allowed at Baseline. */
    @Test
    void deniesRunAsRootAtRestrictedAndAllowsItAtBaseline() throws Exception {
        AppServiceEnvironment baseline = environment(ns, "legacy");
        baseline.getSpec().setPodSecurity(dev.appservice.operator.api.PodSecurityLevel.Baseline);
        exists(environment(ns, "ase1"), plan(ns, "web", "ase1", InstanceSize.I1, 1), baseline);
        exists(plan(ns, "old", "legacy", InstanceSize.I1, 1));
        var asRoot = webApp(ns, "nginx", "web", 80);
        asRoot.getSpec().setRunAsUser(0L);
        Answer denied = create(asRoot);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.message())
                .startsWith("WebApp " + ns + "/nginx: spec.runAsUser 0 (root) is not allowed: AppServiceEnvironment "
                        + ns + "/ase1 runs apps at the Restricted Pod Security level")
                .contains("\"Running as Non-root user\"");

        var onBaseline = webApp(ns, "nginx", "old", 80);
        onBaseline.getSpec().setRunAsUser(0L);
        onBaseline.getSpec().setRunAsGroup(0L);
        Answer allowed = create(onBaseline);
        assertThat(allowed.allowed()).as(allowed.message()).isTrue();
    }

    @Test
    void refusesWhatTheHostingKindsCannotMixNamingTheField() throws Exception {
        var windows = dev.appservice.operator.testing.Fixtures.plan(
                ns, "win", "ase1", InstanceSize.I2, 1, dev.appservice.operator.api.OperatingSystem.Windows);
        exists(environment(ns, "ase1"), plan(ns, "web", "ase1", InstanceSize.I2, 1), windows);

        // A runtime the platform does not know and a function app without storage: the CRD schema's to refuse.
        var cobol = dev.appservice.operator.testing.Fixtures.functionApp(ns, "fn1", "web", 8080, "cobol");
        assertThat(BeforeAdmission.refusals(cobol))
                .containsExactly("WebApp " + ns + "/fn1: spec.functions.runtime: Invalid value: 'cobol': should match"
                        + " '^(dotnet-isolated|node|python|java|powershell|custom)$'");
        var noStorage = dev.appservice.operator.testing.Fixtures.functionApp(ns, "fn2", "web", 8080, "node");
        noStorage.getSpec().getFunctions().setStorage(null);
        assertThat(BeforeAdmission.refusals(noStorage))
                .containsExactly("WebApp " + ns + "/fn2: spec.functions.storage: Required value");
        var noFunctions = dev.appservice.operator.testing.Fixtures.functionApp(ns, "fn3", "web", 8080, "node");
        noFunctions.getSpec().setFunctions(null);
        assertThat(BeforeAdmission.refusals(noFunctions)).isEmpty();
        Answer missingFunctions = create(noFunctions);
        assertThat(missingFunctions.allowed()).isFalse();
        assertThat(missingFunctions.message())
                .startsWith("WebApp " + ns + "/fn3: spec.functions is required for a function app")
                .contains("AzureWebJobsStorage");

        var notAFunctionApp = dev.appservice.operator.testing.Fixtures.functionApp(ns, "site", "web", 8080, "node");
        notAFunctionApp.getSpec().setKind(null);
        Answer functionsOnApp = create(notAFunctionApp);
        assertThat(functionsOnApp.allowed()).isFalse();
        assertThat(functionsOnApp.message())
                .startsWith("WebApp " + ns + "/site: spec.functions is only for function apps");

        var uid = webApp(ns, "legacy", "win", 8080);
        uid.getSpec().setRunAsUser(1000L);
        Answer linuxOnly = create(uid);
        assertThat(linuxOnly.allowed()).isFalse();
        assertThat(linuxOnly.message())
                .startsWith("WebApp " + ns + "/legacy: spec.runAsUser is Linux-only")
                .contains("IsolatedPlan " + ns + "/win runs Windows");
        var onWindows = dev.appservice.operator.testing.Fixtures.functionApp(ns, "orders", "win", 8080, "powershell");
        Answer allowed = create(onWindows);
        assertThat(allowed.allowed()).as(allowed.message()).isTrue();

        IsolatedPlan linux = plan(ns, "web", "ase1", InstanceSize.I2, 1);
        IsolatedPlan moved = plan(ns, "web", "ase1", InstanceSize.I2, 1);
        moved.getSpec().setOs(dev.appservice.operator.api.OperatingSystem.Windows);
        Answer osChanged = update(moved, linux);
        assertThat(osChanged.allowed()).isFalse();
        assertThat(osChanged.message())
                .isEqualTo("IsolatedPlan " + ns + "/web: spec.os is immutable (Linux → Windows): a plan runs one"
                        + " operating system, as on App Service; create a new plan for Windows apps");

        var app = webApp(ns, "shop", "web", 8080);
        var asFunctionApp = dev.appservice.operator.testing.Fixtures.functionApp(ns, "shop", "web", 8080, "node");
        Answer kindChanged = update(asFunctionApp, app);
        assertThat(kindChanged.allowed()).isFalse();
        assertThat(kindChanged.message()).contains("spec.kind is immutable ('app' → 'functionapp')");
    }

    static dev.appservice.operator.api.WebApp webApp(
            String namespace, String name, String plan, int port, String... hostNames) {
        var app = new dev.appservice.operator.api.WebApp();
        app.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withNamespace(namespace)
                .withName(name)
                .build());
        var spec = new dev.appservice.operator.api.WebAppSpec();
        spec.setPlanName(plan);
        spec.setImage("registry.example/" + name + ":1");
        spec.setPort(port);
        spec.setHostNames(hostNames.length == 0 ? null : List.of(hostNames));
        app.setSpec(spec);
        return app;
    }

    /**
     * The hostile generator's cases (issue 18's host names among them) over HTTP: each environment,
     * plan and app is answered, allowed or refused with one line naming object and field, and no
     * answer carries a raw control character back to kubectl's terminal.
     */
    static final long HOSTILE_SEED = 18_2026_1127L;

    @Test
    void hostileCasesAreAnsweredInOneLineWithoutControlCharacters() throws Exception {
        var generator = new dev.appservice.operator.testing.HostileResources(HOSTILE_SEED);
        int refused = 0;
        for (int i = 0; i < 60; i++) {
            var c = generator.next(i);
            for (HasMetadata object : List.of(c.environment(), c.plan(), c.app())) {
                if (!BeforeAdmission.passes(object)) {
                    // The API server refuses it (metadata rules, the CRD's schema) before any webhook sees it.
                    refused++;
                    continue;
                }
                Answer answer = create(object);
                List<String> messages = new java.util.ArrayList<>(answer.warnings());
                if (!answer.allowed()) {
                    refused++;
                    assertThat(answer.message())
                            .as("case " + i)
                            .matches("^(AppServiceEnvironment|IsolatedPlan|WebApp) [^\\n]*: \\S[^\\n]*");
                    messages.add(answer.message());
                }
                for (String message : messages) {
                    assertThat(message.chars()
                                    .filter(ch -> ch < 0x20 || ch == 0x7f || ch == 0x2028 || ch == 0x2029)
                                    .count())
                            .as("case " + i + ": " + message)
                            .isZero();
                }
            }
        }
        assertThat(refused).as("the hostile cases are refused").isPositive();
    }

    @Test
    void appsOfOnePlanShareAPortAndHostNamesAreServedOnce() throws Exception {
        exists(
                environment(ns, "ase1"),
                plan(ns, "web", "ase1", InstanceSize.I1, 1),
                plan(ns, "api", "ase1", InstanceSize.I1, 1));
        exists(webApp(ns, "shop", "web", 8080, "www.contoso.com"));
        assertThat(create(webApp(ns, "blog", "web", 8080)).allowed())
                .as("each app has pods of its own, so apps of one plan may share a port")
                .isTrue();
        assertThat(create(webApp(ns, "other", "api", 8080)).allowed())
                .as("another plan's instances")
                .isTrue();
        assertThat(create(webApp(ns, "copycat", "api", 9000, "www.contoso.com")).message())
                .isEqualTo("WebApp " + ns
                        + "/copycat: spec.hostNames[0] 'www.contoso.com' is already served for WebApp " + ns
                        + "/shop by AppServiceEnvironment " + ns
                        + "/ase1 (host names are unique in an environment; the app created first keeps one)");
        var moved = webApp(ns, "shop", "api", 8080, "www.contoso.com");
        assertThat(update(moved, webApp(ns, "shop", "web", 8080, "www.contoso.com"))
                        .message())
                .isEqualTo("WebApp " + ns
                        + "/shop: spec.planName is immutable ('web' → 'api'): create the app again on the other plan");
        Answer early = create(webApp(ns, "early", "later", 8080));
        assertThat(early.allowed()).isTrue();
        assertThat(early.warnings())
                .containsExactly("WebApp " + ns + "/early: spec.planName IsolatedPlan " + ns
                        + "/later does not exist yet; the app waits for it (PlanNotFound)");
        assertThat(create(webApp(ns, "bad-host", "web", 7000, "Not_A_Host")).message())
                .isEqualTo(
                        "WebApp " + ns
                                + "/bad-host: spec.hostNames[0] must be a lowercase DNS name such as www.contoso.com, got 'Not_A_Host'");
    }

    static dev.appservice.operator.api.DeploymentSlot slot(String name, Integer trafficPercent) {
        var slot = new dev.appservice.operator.api.DeploymentSlot();
        slot.setName(name);
        slot.setImage("registry.example/" + name + ":2");
        slot.setTrafficPercent(trafficPercent);
        return slot;
    }

    @Test
    void deniesDeploymentSlotsThatBreakTheRulesNamingTheField() throws Exception {
        exists(environment(ns, "ase1"), plan(ns, "web", "ase1", InstanceSize.I3, 1));
        var fine = webApp(ns, "shop", "web", 8080);
        fine.getSpec().setSlots(List.of(slot("staging", 10), slot("canary", 5)));
        fine.getSpec().setProduction("staging");
        assertThat(create(fine).allowed()).isTrue();
        exists(fine);

        // The count and each slot's name being a DNS label are the CRD schema's, refused before the webhook.
        var many = webApp(ns, "many", "web", 8081);
        many.getSpec()
                .setSlots(java.util.stream.IntStream.range(0, 21)
                        .mapToObj(i -> slot("s" + i, null))
                        .toList());
        assertThat(BeforeAdmission.refusals(many))
                .containsExactly("WebApp " + ns + "/many: spec.slots: Too many: 21: must have at most 20 items");
        var notALabel = webApp(ns, "label", "web", 8081);
        notALabel.getSpec().setSlots(List.of(slot("Not_A_Label", null)));
        assertThat(BeforeAdmission.refusals(notALabel))
                .containsExactly(
                        "WebApp " + ns
                                + "/label: spec.slots[0].name: Invalid value: 'Not_A_Label': should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'");

        var bad = webApp(ns, "bad", "web", 8082);
        bad.getSpec()
                .setSlots(List.of(
                        slot("blue", null),
                        slot("production", null),
                        slot("self", null),
                        slot("x".repeat(60), null),
                        slot("half", 60),
                        slot("more", 50)));
        bad.getSpec().setProduction("nonesuch");
        assertThat(BeforeAdmission.refusals(bad)).isEmpty();
        Answer answer = create(bad);
        assertThat(answer.allowed()).isFalse();
        assertThat(answer.message())
                .doesNotContain("spec.slots[0]")
                .contains("WebApp " + ns
                        + "/bad: spec.slots[1].name 'production' is reserved for the app's production deployment")
                .contains("spec.slots[2].name 'self' is reserved")
                .contains("spec.slots[3].name makes the slot's host name label 'bad-" + "x".repeat(60)
                        + "' 64 characters long (at most 63)")
                .contains(
                        "spec.slots[*].trafficPercent add up to 110; the slots may take at most 100 percent of production traffic in total")
                .contains("spec.production must be 'production' or the name of one of spec.slots, got 'nonesuch'");

        // A slot's host name may not be another app's: under the dnsSuffix, names are the apps' and their slots' own.
        assertThat(create(webApp(ns, "copy", "web", 8083, "shop-staging.ase1.p.appservice.local"))
                        .message())
                .contains(
                        "spec.hostNames[0] 'shop-staging.ase1.p.appservice.local' is under the environment's dnsSuffix")
                .contains("reserved for the default names of apps and their slots");
        // Nor another app's default name a slot's, in either order.
        exists(webApp(ns, "api-v2", "web", 8084));
        var api = webApp(ns, "api", "web", 8085);
        api.getSpec().setSlots(List.of(slot("v2", null)));
        assertThat(create(api).message())
                .isEqualTo("WebApp " + ns + "/api: spec.slots[0].name 'api-v2.ase1.p.appservice.local' is the default"
                        + " host name of WebApp " + ns + "/api-v2 in AppServiceEnvironment " + ns + "/ase1");
        assertThat(create(webApp(ns, "shop-staging", "web", 8086)).message())
                .isEqualTo("WebApp " + ns + "/shop-staging: metadata.name makes"
                        + " the default host name 'shop-staging.ase1.p.appservice.local', which is the host name of slot 'staging' of WebApp "
                        + ns + "/shop");
    }

    @Test
    void warnsWhenANewAppWouldNotFitItsPlansDensity() throws Exception {
        exists(environment(ns, "ase1"), plan(ns, "web", "ase1", InstanceSize.I1, 1));
        for (int i = 1; i <= 8; i++) {
            exists(webApp(ns, "app" + i, "web", 8000 + i));
        }
        Answer ninth = create(webApp(ns, "app9", "web", 9000));
        assertThat(ninth.allowed()).isTrue();
        assertThat(ninth.warnings())
                .containsExactly(
                        "WebApp " + ns + "/app9: spec.planName IsolatedPlan " + ns
                                + "/web runs at most 8 apps on its I1"
                                + " instances and already has 8; this app will not run (PlanCapacityExceeded) until one goes or the plan is scaled up to a larger size");
    }

    @Test
    void refusesAnAppPastWhatOneAppMayHoldNamingTheFieldAndTheLimit() throws Exception {
        exists(environment(ns, "ase1"), plan(ns, "web", "ase1", InstanceSize.I3, 1));
        var app = webApp(ns, "walled", "web", 8090);
        List<dev.appservice.operator.api.AccessRestriction> rules = new java.util.ArrayList<>();
        for (int i = 0; i < dev.appservice.operator.api.WebAppSpec.MAX_ACCESS_RULES; i++) {
            rules.add(dev.appservice.operator.testing.Fixtures.accessRestriction(
                    "r" + i,
                    100 + i,
                    dev.appservice.operator.api.RuleAccess.Allow,
                    "10." + i / 256 + "." + i % 256 + ".0/24"));
        }
        app.getSpec().setAccessRestrictions(rules);
        // Four slots without lists of their own hold the app's 512 again: 2560 rules, past the 2048 one app may hold.
        app.getSpec().setSlots(dev.appservice.operator.testing.HostileResources.slots(4));
        Answer refused = create(app);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.message())
                .startsWith("WebApp " + ns
                        + "/walled: spec.accessRestrictions make 2560 access rules across the app and its 4 slots")
                .contains("at most " + dev.appservice.operator.validation.FrontEndShareRules.MAX_ACCESS_RULES_PER_APP
                        + " per app");
        // Three such slots: 2048, allowed.
        app.getSpec().setSlots(dev.appservice.operator.testing.HostileResources.slots(3));
        assertThat(create(app).allowed()).isTrue();
    }

    /**
     * Issue 27: the largest WebApps the rules admit, old and new in one review, are reviewed; a
     * review larger than such a pair may be is refused before it is deserialised, with an
     * AdmissionReview naming the size and the bound (the API server shows its message), and so is
     * one larger than two objects the API server can store.
     */
    @Test
    void reviewsAreBoundedInSizeBeforeTheyAreRead() throws Exception {
        exists(environment(ns, "ase1"), plan(ns, MaximalWebApp.PLAN, "ase1", InstanceSize.I3, 2));
        for (MaximalWebApp.Shape shape : MaximalWebApp.Shape.values()) {
            WebApp maximal = MaximalWebApp.build(ns, shape);
            WebApp previous = MaximalWebApp.build(ns, shape);
            previous.getSpec().setImage("registry.example/maximal:0.9");
            Answer update = update(maximal, previous);
            assertThat(update.allowed()).as(shape + ": " + update.message()).isTrue();
        }

        WebApp padded = MaximalWebApp.build(ns, MaximalWebApp.Shape.SMALLEST_ENTRIES);
        padded.getMetadata().getAnnotations().put("fill", "x".repeat(ReviewSize.MAX_WEBAPP_REVIEW_BYTES));
        String uid = UUID.randomUUID().toString();
        String body = review(uid, "CREATE", "webapps", null, "WebApp", ns, MaximalWebApp.NAME, padded, null);
        Answer tooLarge = post(body);
        assertThat(tooLarge.uid()).isEqualTo(uid);
        assertThat(tooLarge.allowed()).isFalse();
        assertThat(tooLarge.code()).isEqualTo(413);
        assertThat(tooLarge.message())
                .contains("the AdmissionReview of this WebApp is " + body.getBytes(StandardCharsets.UTF_8).length
                        + " bytes")
                .contains("(" + ReviewSize.MAX_WEBAPP_REVIEW_BYTES + " bytes: each at most "
                        + WebAppBudget.MAX_OBJECT_BYTES + " bytes of spec and metadata)");

        AppServiceEnvironment huge = environment(ns, "huge");
        huge.getMetadata().setAnnotations(Map.of("fill", "x".repeat(ReviewSize.MAX_REVIEW_BYTES)));
        Answer environment = post(
                review(uid, "CREATE", "appserviceenvironments", null, "AppServiceEnvironment", ns, "huge", huge, null));
        assertThat(environment.allowed()).isFalse();
        assertThat(environment.code()).isEqualTo(413);
        assertThat(environment.message())
                .contains("more than a review of two objects the API server can store may be ("
                        + ReviewSize.MAX_REVIEW_BYTES + " bytes");
    }

    @Test
    void rejectsWhatIsNotAnAdmissionReview() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(endpoint())
                        .POST(HttpRequest.BodyPublishers.ofString("{not json"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
    }

    AppServiceEnvironment v1Environment(String name, int frontEnds, int workers) {
        AppServiceEnvironment ase = environment(ns, name);
        ase.getSpec().setVersion(EnvironmentVersion.V1);
        FrontEndSettings fe = new FrontEndSettings();
        fe.setCount(frontEnds);
        ase.getSpec().setFrontEnd(fe);
        WorkerPool pool = new WorkerPool();
        pool.setName("small");
        pool.setSize(InstanceSize.I1);
        pool.setCount(workers);
        ase.getSpec().setWorkerPools(List.of(pool));
        return ase;
    }

    IsolatedPlan v1Plan(String name, String environment, int instances) {
        IsolatedPlan plan = plan(ns, name, environment, InstanceSize.I1, instances);
        plan.getSpec().setWorkerPool("small");
        return plan;
    }
}
