package dev.appservice.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.desired.WorkerPools;
import dev.appservice.operator.model.ResourceNames;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged jar run as a process, as users and pipelines run it. */
class RenderCommandIT {
    static final Path BAD = Path.of("src/test/resources/manifests/bad");

    record Run(int exitCode, String stdout, String stderr) {}

    static Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of("java", "-jar", System.getProperty("operator.jar", "target/quarkus-app/quarkus-run.jar")));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        var out = process.getInputStream().readAllBytes();
        var err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(
                process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        KubernetesSerialization serialization = new KubernetesSerialization();
        for (String doc : yaml.split("(?m)^---\\n")) {
            if (!doc.isBlank()) {
                objects.add(serialization.unmarshal(new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8))));
            }
        }
        return objects;
    }

    @Test
    void rendersEveryObjectForTheExamplesDeterministically() throws Exception {
        Run first = run("render", "-f", "examples/contoso.yaml");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        List<HasMetadata> objects = parse(first.stdout());
        assertThat(objects)
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .containsExactly(
                        "ConfigMap/contoso-ase-frontend-config",
                        "Secret/contoso-ase-frontend-certs",
                        "Deployment/contoso-ase-frontend",
                        "PodDisruptionBudget/contoso-ase-frontend",
                        "Service/contoso-ase-vip",
                        "Service/contoso-ase-internal",
                        "Service/contoso-ase-management",
                        "NetworkPolicy/contoso-ase-workers-ingress",
                        "NetworkPolicy/contoso-ase-frontend-ingress",
                        "NetworkPolicy/contoso-ase-egress",
                        // plans in admission order; offline there are no creation times, so by name
                        // each plan's placeholder, then each app's own Deployment and Service
                        "Deployment/api-plan-workers",
                        "Deployment/" + ResourceNames.appWorkload("orders-api"),
                        "Service/" + ResourceNames.appWorkload("orders-api"),
                        // and a disruption budget for each of its deployments with more than one instance
                        "PodDisruptionBudget/" + ResourceNames.appWorkload("orders-api"),
                        // and the policy through which its instances reach each other
                        "NetworkPolicy/orders-api-peers",
                        "Deployment/web-plan-workers",
                        "Deployment/" + ResourceNames.appWorkload("shop"),
                        "Service/" + ResourceNames.appWorkload("shop"),
                        // and each of its deployment slots' Deployment and Service
                        "Deployment/" + ResourceNames.slotWorkload("shop", "staging"),
                        "Service/" + ResourceNames.slotWorkload("shop", "staging"),
                        "PodDisruptionBudget/" + ResourceNames.appWorkload("shop"),
                        "PodDisruptionBudget/" + ResourceNames.slotWorkload("shop", "staging"),
                        "NetworkPolicy/shop-peers");
        Deployment frontEnds = (Deployment) objects.get(2);
        assertThat(frontEnds.getSpec().getReplicas()).as("2 + floor(18 / 15)").isEqualTo(3);
        assertThat(((Deployment) objects.get(15)).getSpec().getReplicas()).isEqualTo(12);
        assertThat(((Deployment) objects.get(15))
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers())
                .extracting(c -> c.getName())
                .containsExactly("capacity");
        assertThat(((Deployment) objects.get(16)).getSpec().getReplicas()).isEqualTo(12);
        assertThat(((Deployment) objects.get(16))
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers())
                .extracting(c -> c.getName())
                .containsExactly("shop");
        assertThat(((Service) objects.get(17)).getSpec().getSelector()).containsEntry("appservice.dev/webapp", "shop");
        assertThat(((io.fabric8.kubernetes.api.model.ConfigMap) objects.get(0))
                        .getData()
                        .get("apps-00.conf"))
                .as("offline no Service has a cluster IP: the app's servers answer 503 until one has")
                .contains("server_name shop.contoso-ase.p.appservice.local www.contoso.com;")
                .contains("return 503;")
                .contains("server_name shop-staging.contoso-ase.p.appservice.local;")
                .contains("10% \"staging\";");
        Deployment staging = (Deployment) objects.get(18);
        assertThat(staging.getSpec().getReplicas()).isEqualTo(12);
        assertThat(staging.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("ghcr.io/contoso/shop:2.5.0");
        assertThat(((Deployment) objects.get(15))
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getRequests()
                        .get("cpu")
                        .toString())
                .as("the placeholder holds what the app and its slot leave: 14 of 16 shares of 2 vCPUs")
                .isEqualTo("1750m");
        assertThat(((Service) objects.get(4)).getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(first.stdout()).doesNotContain("creationTimestamp").doesNotContain("uid:");

        Run second = run("render", "-f", "examples/contoso.yaml");
        List<HasMetadata> all = parse(run("render", "-f", "examples/").stdout());
        assertThat(all.subList(0, objects.size()))
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .as("the V2 example's objects come first")
                .containsExactlyElementsOf(objects.stream()
                        .map(o -> o.getKind() + "/" + o.getMetadata().getName())
                        .toList());
        // Rendered beside examples/layered-security.yaml, contoso's front-end policy tells
        // frontline's apps (fixed outbound address 203.0.113.10, which contoso's deny-partner
        // rule denies) apart from other environments' pods: the only difference.
        for (int i = 0; i < objects.size(); i++) {
            if (!objects.get(i).getMetadata().getName().equals("contoso-ase-frontend-ingress")) {
                assertThat(all.get(i)).isEqualTo(objects.get(i));
            }
        }
        assertThat(((io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy) all.stream()
                                .filter(o -> o.getMetadata().getName().equals("contoso-ase-frontend-ingress"))
                                .findFirst()
                                .orElseThrow())
                        .getSpec().getIngress().stream()
                                .flatMap(rule -> rule.getFrom().stream())
                                .filter(peer -> peer.getPodSelector() != null)
                                .flatMap(peer -> peer.getPodSelector().getMatchExpressions().stream()))
                .anySatisfy(expression -> {
                    assertThat(expression.getKey()).isEqualTo("appservice.dev/outbound");
                    assertThat(expression.getOperator()).isEqualTo("DoesNotExist");
                });
        assertThat(second.stdout()).isEqualTo(first.stdout());
    }

    /**
     * The layered-security example: frontline's CiliumEgressGatewayPolicy (cluster-scoped, after
     * its NetworkPolicies) and backend's front-end policy admitting frontline's app pods by their
     * labels, besides the ipBlock of the address.
     */
    @Test
    void rendersTheLayeredSecurityExampleWithTheGatewayAndThePeer() throws Exception {
        Run run = run("render", "-f", "examples/layered-security.yaml");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<HasMetadata> objects = parse(run.stdout());
        assertThat(objects)
                .filteredOn(o -> o.getKind().equals("CiliumEgressGatewayPolicy"))
                .singleElement()
                .satisfies(policy -> {
                    assertThat(policy.getMetadata().getNamespace()).isNull();
                    assertThat(policy.getMetadata().getName())
                            .isEqualTo(dev.appservice.operator.desired.EgressGateways.name("layered", "frontline"));
                });
        assertThat(objects)
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .as("backend's, then frontline's: each environment's children, then its plans' and apps'")
                .contains(
                        "NetworkPolicy/backend-frontend-ingress",
                        "Deployment/" + dev.appservice.operator.model.ResourceNames.appWorkload("portal"),
                        "Deployment/" + dev.appservice.operator.model.ResourceNames.appWorkload("ledger"),
                        "CiliumEgressGatewayPolicy/"
                                + dev.appservice.operator.desired.EgressGateways.name("layered", "frontline"));
        io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy backend = objects.stream()
                .filter(o -> o.getMetadata().getName().equals("backend-frontend-ingress"))
                .map(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(backend.getSpec().getIngress().stream()
                        .flatMap(rule -> rule.getFrom().stream())
                        .filter(peer -> peer.getNamespaceSelector() != null && peer.getPodSelector() != null))
                .anySatisfy(peer -> {
                    assertThat(peer.getNamespaceSelector().getMatchLabels())
                            .containsEntry("kubernetes.io/metadata.name", "layered");
                    assertThat(peer.getPodSelector().getMatchLabels())
                            .containsEntry("appservice.dev/environment", "frontline")
                            .containsEntry("appservice.dev/outbound", "egress-gateway");
                })
                .hasSizeGreaterThan(0);
        assertThat(backend.getSpec().getIngress().stream()
                        .flatMap(rule -> rule.getFrom().stream())
                        .filter(peer -> peer.getIpBlock() != null))
                .anySatisfy(peer -> assertThat(peer.getIpBlock().getCidr()).isEqualTo("203.0.113.10/32"));
        Deployment portal = objects.stream()
                .filter(o -> o.getKind().equals("Deployment")
                        && o.getMetadata()
                                .getName()
                                .equals(dev.appservice.operator.model.ResourceNames.appWorkload("portal")))
                .map(Deployment.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(portal.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("appservice.dev/outbound", "egress-gateway");
    }

    @Test
    void rendersTheV1ExampleWithItsPools() throws Exception {
        Run run = run("render", "-f", "examples/v1/");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<HasMetadata> objects = parse(run.stdout());
        java.util.Map<String, Integer> replicas = new java.util.TreeMap<>();
        objects.stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .forEach(
                        d -> replicas.put(d.getMetadata().getName(), d.getSpec().getReplicas()));
        assertThat(replicas)
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                        "fabrikam-ase-frontend",
                        3,
                        WorkerPools.deploymentName("fabrikam-ase", "small"),
                        3,
                        WorkerPools.deploymentName("fabrikam-ase", "medium"),
                        4,
                        WorkerPools.deploymentName("fabrikam-ase", "large"),
                        0,
                        "intranet-workers",
                        5,
                        "reporting-workers",
                        2));
        assertThat(((Service) objects.stream()
                                .filter(o -> o.getMetadata().getName().equals("fabrikam-ase-vip"))
                                .findFirst()
                                .orElseThrow())
                        .getSpec()
                        .getType())
                .isEqualTo("ClusterIP");
    }

    /**
     * The Windows example: the environment's front ends (Linux), the plan's placeholder, the web
     * app and the function app with its slot (Windows pods), and the function app's keys Secret,
     * printed without data.
     */
    @Test
    void rendersTheWindowsExampleWithTheKeysSecretWithoutData() throws Exception {
        Run run = run("render", "-f", "examples/windows/");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<HasMetadata> objects = parse(run.stdout());
        java.util.Map<String, Long> kinds = objects.stream()
                .collect(java.util.stream.Collectors.groupingBy(
                        HasMetadata::getKind, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
        // 2 Secrets: the front ends' certificates and the function app's keys; 5 NetworkPolicies: the
        // environment's 3 and each app's peers policy.
        assertThat(kinds)
                .containsExactlyEntriesOf(new java.util.TreeMap<>(java.util.Map.of(
                        "ConfigMap", 1L,
                        "Deployment", 5L,
                        "NetworkPolicy", 5L,
                        "PodDisruptionBudget", 4L,
                        "Secret", 2L,
                        "Service", 6L)));
        java.util.Map<String, String> osByDeployment = new java.util.TreeMap<>();
        objects.stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .forEach(d -> osByDeployment.put(
                        d.getMetadata().getName(),
                        d.getSpec().getTemplate().getSpec().getOs() == null
                                ? "linux"
                                : d.getSpec().getTemplate().getSpec().getOs().getName()));
        assertThat(osByDeployment)
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                        "northwind-ase-frontend",
                        "linux",
                        "windows-plan-workers",
                        "windows",
                        ResourceNames.appWorkload("storefront"),
                        "windows",
                        ResourceNames.appWorkload("orders-functions"),
                        "windows",
                        ResourceNames.slotWorkload("orders-functions", "staging"),
                        "windows"));
        io.fabric8.kubernetes.api.model.Secret keys = objects.stream()
                .filter(io.fabric8.kubernetes.api.model.Secret.class::isInstance)
                .map(io.fabric8.kubernetes.api.model.Secret.class::cast)
                .filter(s -> s.getMetadata().getName().equals("orders-functions-function-keys"))
                .findFirst()
                .orElseThrow();
        assertThat(keys.getData()).isNullOrEmpty();
        assertThat(keys.getMetadata().getAnnotations().get("appservice.dev/data"))
                .contains("generated in the cluster");
    }

    @Test
    void stdoutCarriesOnlyYamlAndStderrTheWarnings() throws Exception {
        Run render = run("render", "-f", "examples/");
        assertThat(render.stdout()).startsWith("---\n");
        assertThat(render.stdout()).doesNotContain("warning").doesNotContain("INFO");
        assertThat(render.stderr()).contains("Namespace").contains("skipped");
    }

    @Test
    void badInputExitsOneWithALinePerProblemAndNoStackTrace() throws Exception {
        Run run = run("render", "-f", BAD.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(run.stderr().lines().filter(l -> l.startsWith("error: ")).toList())
                .containsExactlyInAnyOrder(
                        "error: " + BAD.resolve("bad-enum.yaml")
                                + ": IsolatedPlan contoso/wrong-size: spec.size: Unsupported value: 'I9': supported values: \"I1\", \"I2\", \"I3\"",
                        "error: " + BAD.resolve("missing-subnet.yaml")
                                + ": AppServiceEnvironment contoso/no-subnet: spec.virtualNetwork.subnet: Required value",
                        "error: " + BAD.resolve("out-of-range.yaml")
                                + ": IsolatedPlan contoso/too-big: spec.instances: Invalid value: 120: should be less than or equal to 100.0",
                        "error: " + BAD.resolve("unknown-kind.yaml")
                                + ": WorkerPoolThing contoso/odd: unknown kind WorkerPoolThing in appservice.dev/v1alpha1 (known: AppServiceEnvironment, IsolatedPlan, WebApp)",
                        "error: " + BAD.resolve("unparsable.yaml") + ": " + unparsableMessage(run.stderr()));
    }

    /** SnakeYAML's own words after the line it stopped at ({@code line 6: not valid YAML: expected ...}). */
    private static String unparsableMessage(String stderr) {
        return stderr.lines()
                .filter(l -> l.contains("unparsable.yaml"))
                .findFirst()
                .orElseThrow()
                .replaceFirst(".*unparsable\\.yaml: ", "");
    }

    @Test
    void validateReportsTheSameProblemsAndPassesTheExamples() throws Exception {
        Run good = run("validate", "-f", "examples/");
        assertThat(good.exitCode()).as(good.stderr()).isZero();
        assertThat(good.stdout()).isEmpty();
        Run bad = run("validate", "-f", BAD.resolve("out-of-range.yaml").toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        // The CRD's schema first, in the API server's words, as kubectl apply would report it.
        assertThat(bad.stderr()).contains("spec.instances: Invalid value: 120: should be less than or equal to 100.0");
    }

    @Test
    void validateRefusesFrontEndSettingsOutOfRangeNamingTheField() throws Exception {
        Path file = Path.of("src/test/resources/manifests/bad-front-end.yaml");
        Run run = run("validate", "-f", file.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).doesNotContain("Exception");
        assertThat(run.stderr().lines().filter(l -> l.startsWith("error: ")).toList())
                .containsExactly(
                        "error: " + file
                                + " (document 1): AppServiceEnvironment contoso/negative-body: spec.frontEnd.maxRequestBodySize must be a non-negative quantity such as 30M, 100Mi or 0 (no limit), got '-1'",
                        "error: " + file
                                + " (document 1): AppServiceEnvironment contoso/negative-body: spec.frontEnd.requestTimeout must be between 1s and 1h, got '0s'",
                        "error: " + file
                                + " (document 1): AppServiceEnvironment contoso/negative-body: spec.frontEnd.trustedProxies[1] '10.0.0.300/32' is not a valid IPv4 or IPv6 CIDR: '10.0.0.300' is not an IP address",
                        "error: " + file
                                + " (document 2): AppServiceEnvironment contoso/too-slow: spec.frontEnd.requestTimeout must be between 1s and 1h, got '1h1s'");
    }

    @Test
    void validateRefusesInvalidAccessRestrictionsNamingTheFieldWithoutEchoingControlCharacters() throws Exception {
        Path file = Path.of("src/test/resources/manifests/bad-access-restrictions.yaml");
        Run run = run("validate", "-f", file.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        List<String> errors =
                run.stderr().lines().filter(l -> l.startsWith("error: ")).toList();
        assertThat(errors)
                .containsExactly(
                        "error: " + file
                                + ": WebApp contoso/guarded: spec.accessRestrictions[1].priority 100 is already the priority of spec.accessRestrictions[0]; priorities must be unique",
                        "error: " + file
                                + ": WebApp contoso/guarded: spec.accessRestrictions[2].ipAddress '203.0.113.0/24\\nreturn 302 http://evil.example/' is not a valid CIDR: the prefix length must be 0 to 32");
        assertThat(run.stderr().lines()).noneMatch(l -> l.startsWith("return 302"));
    }

    @Test
    void validateRefusesDeploymentSlotsThatBreakTheRulesNamingTheField() throws Exception {
        Path file = Path.of("src/test/resources/manifests/bad-slots.yaml");
        Run run = run("validate", "-f", file.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).doesNotContain("Exception");
        List<String> errors =
                run.stderr().lines().filter(l -> l.startsWith("error: ")).toList();
        assertThat(errors)
                .containsExactlyInAnyOrder(
                        "error: " + file
                                + ": WebApp contoso/shop: spec.slots[0].name 'production' is reserved for the app's production deployment or its"
                                + " routing (reserved: the app's name, default, hostnames, include, production, self, volatile)",
                        "error: " + file
                                + ": WebApp contoso/shop: spec.slots[2].name makes the slot's host name label 'shop-"
                                + "a".repeat(59)
                                + "' 64 characters long (at most 63): shorten the slot's or the app's name",
                        "error: " + file
                                + ": WebApp contoso/shop: spec.slots[*].trafficPercent add up to 101; the slots may take at most 100 percent of"
                                + " production traffic in total",
                        "error: " + file
                                + ": WebApp contoso/shop: spec.production must be 'production' or the name of one of spec.slots, got 'canary'");
    }

    @Test
    void validateAdmitsTheSetInOrderAndNamesThePlanThatBreaksTheLimit() throws Exception {
        Run run = run("validate", "-f", "src/test/resources/manifests/over-capacity.yaml");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr().lines().filter(l -> l.startsWith("error: ")).toList())
                .containsExactly(
                        "error: src/test/resources/manifests/over-capacity.yaml (document 4): IsolatedPlan contoso/batch: spec.instances 60 would bring "
                                + "AppServiceEnvironment contoso/small-ase to 110 instances (limit 100; 50 used by 2 other plans)");
        assertThat(run.stderr())
                .contains(
                        "warning: src/test/resources/manifests/over-capacity.yaml (document 5): IsolatedPlan contoso/orphan: "
                                + "spec.environmentName AppServiceEnvironment contoso/missing does not exist yet; the plan waits for it (EnvironmentNotFound)");
    }

    @Test
    void warningsAloneDoNotFailValidate() throws Exception {
        Run run = run("validate", "-f", "src/test/resources/manifests/warnings-only.yaml");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains("warning: ").contains("denies VIP port 454 from AppServiceManagement");
    }

    @Test
    void wrongUsageExitsTwo() throws Exception {
        assertThat(run("render").exitCode()).isEqualTo(2);
        assertThat(run("render", "--bogus").exitCode()).isEqualTo(2);
        Run unknown = run("frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("Usage:");
        assertThat(run("render", "-f", "no/such/dir").exitCode()).isEqualTo(1);
    }
}
