package dev.appservice.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AccessRestriction;
import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.AppTlsSettings;
import dev.appservice.operator.api.CertificateIssuerReference;
import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.EgressGateway;
import dev.appservice.operator.api.EgressGatewayProvider;
import dev.appservice.operator.api.EnvironmentVersion;
import dev.appservice.operator.api.FrontEndSettings;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.NetworkSecurityGroup;
import dev.appservice.operator.api.OutboundSettings;
import dev.appservice.operator.api.RuleAccess;
import dev.appservice.operator.api.SecurityRule;
import dev.appservice.operator.api.TlsSettings;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WorkerPool;
import dev.appservice.operator.testing.BeforeAdmission;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each field rule once (issue 32): the rules the CRD schema can say are said there alone, and the
 * admission rules ({@link SpecValidation}, the *Rules classes) no longer repeat them. For each
 * such rule, a value past it is refused by the schema as the API server and {@code validate} apply
 * it ({@link BeforeAdmission}), naming the field, and the value at its limit is accepted, so a rule
 * dropped from the api types fails here. What the schema lets through and only the Java rules
 * refuse (a blank image, a blank TLS Secret name) is refused by them.
 */
class SchemaOwnedRulesTest {
    static final String NS = "team";

    record Case(
            String name,
            Supplier<HasMetadata> base,
            Consumer<HasMetadata> atLimit,
            Consumer<HasMetadata> past,
            String refusal) {
        @Override
        public String toString() {
            return name;
        }
    }

    static AppServiceEnvironment environment() {
        return Fixtures.environment(NS, "ase1");
    }

    static AppServiceEnvironment v1Environment() {
        AppServiceEnvironment ase = environment();
        ase.getSpec().setVersion(EnvironmentVersion.V1);
        FrontEndSettings frontEnd = new FrontEndSettings();
        frontEnd.setCount(2);
        ase.getSpec().setFrontEnd(frontEnd);
        ase.getSpec().setWorkerPools(new ArrayList<>(List.of(pool("small", 1))));
        return ase;
    }

    static WorkerPool pool(String name, Integer count) {
        WorkerPool pool = new WorkerPool();
        pool.setName(name);
        pool.setCount(count);
        return pool;
    }

    static AppServiceEnvironment withRule(Consumer<SecurityRule> change) {
        AppServiceEnvironment ase = environment();
        SecurityRule rule = new SecurityRule();
        rule.setName("allow-office");
        rule.setPriority(100);
        rule.setAccess(RuleAccess.Allow);
        change.accept(rule);
        NetworkSecurityGroup nsg = new NetworkSecurityGroup();
        nsg.setInboundRules(List.of(rule));
        ase.getSpec().setNetworkSecurityGroup(nsg);
        return ase;
    }

    static AppServiceEnvironment withGateway(Consumer<EgressGateway> change) {
        AppServiceEnvironment ase = environment();
        EgressGateway gateway = new EgressGateway();
        gateway.setProvider(EgressGatewayProvider.OVNKubernetes);
        gateway.setAddresses(List.of("203.0.113.10"));
        change.accept(gateway);
        OutboundSettings outbound = new OutboundSettings();
        outbound.setEgressGateway(gateway);
        ase.getSpec().setOutbound(outbound);
        return ase;
    }

    static IsolatedPlan plan() {
        return Fixtures.plan(NS, "web", "ase1", InstanceSize.I1, 1);
    }

    static WebApp app() {
        return Fixtures.app(NS, "shop", "web", 8080);
    }

    static DeploymentSlot slot(String name) {
        DeploymentSlot slot = new DeploymentSlot();
        slot.setName(name);
        slot.setImage("registry.example/shop:2.0");
        return slot;
    }

    static WebApp withSlot(Consumer<DeploymentSlot> change) {
        WebApp app = app();
        DeploymentSlot slot = slot("staging");
        change.accept(slot);
        app.getSpec().setSlots(new ArrayList<>(List.of(slot)));
        return app;
    }

    static WebApp withTls(Consumer<AppTlsSettings> change) {
        WebApp app = app();
        app.getSpec().setHostNames(List.of("www.contoso.com"));
        AppTlsSettings tls = new AppTlsSettings();
        tls.setSecretName("shop-tls");
        CertificateIssuerReference issuer = new CertificateIssuerReference();
        issuer.setName("letsencrypt");
        issuer.setKind("ClusterIssuer");
        issuer.setGroup("cert-manager.io");
        tls.setIssuerRef(issuer);
        change.accept(tls);
        app.getSpec().setTls(tls);
        return app;
    }

    static List<AccessRestriction> rules(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> Fixtures.accessRestriction(
                        "r" + i, i + 1, RuleAccess.Allow, "10.0." + i / 256 + "." + i % 256 + "/32"))
                .toList();
    }

    static <T extends HasMetadata> Case of(
            String name, Supplier<T> base, Consumer<T> atLimit, Consumer<T> past, String refusal) {
        @SuppressWarnings("unchecked")
        Consumer<HasMetadata> limit = o -> atLimit.accept((T) o);
        @SuppressWarnings("unchecked")
        Consumer<HasMetadata> beyond = o -> past.accept((T) o);
        return new Case(name, base::get, limit, beyond, refusal);
    }

    static final String LABEL = "should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'";
    static final String SUBDOMAIN = "should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'";

    static Stream<Arguments> cases() {
        return Stream.of(
                        // AppServiceEnvironment
                        of(
                                "virtualNetwork required",
                                SchemaOwnedRulesTest::environment,
                                a -> {},
                                a -> a.getSpec().setVirtualNetwork(null),
                                "spec.virtualNetwork: Required value"),
                        of(
                                "virtualNetwork.name a label value",
                                SchemaOwnedRulesTest::environment,
                                a -> a.getSpec().getVirtualNetwork().setName("v".repeat(63)),
                                a -> a.getSpec().getVirtualNetwork().setName("Corp_Net"),
                                "spec.virtualNetwork.name: Invalid value: 'Corp_Net': should match"),
                        of(
                                "virtualNetwork.name at most 63",
                                SchemaOwnedRulesTest::environment,
                                a -> a.getSpec().getVirtualNetwork().setName("v".repeat(63)),
                                a -> a.getSpec().getVirtualNetwork().setName("v".repeat(64)),
                                "spec.virtualNetwork.name: Too long: may not be more than 63 characters"),
                        of(
                                "virtualNetwork.subnet required",
                                SchemaOwnedRulesTest::environment,
                                a -> {},
                                a -> a.getSpec().getVirtualNetwork().setSubnet(null),
                                "spec.virtualNetwork.subnet: Required value"),
                        of(
                                "frontEnd.scaleFactor at least 5",
                                SchemaOwnedRulesTest::environment,
                                a -> a.getSpec().setFrontEnd(scaleFactor(5)),
                                a -> a.getSpec().setFrontEnd(scaleFactor(4)),
                                "spec.frontEnd.scaleFactor: Invalid value: 4: should be greater than or equal to 5"),
                        of(
                                "frontEnd.scaleFactor at most 15",
                                SchemaOwnedRulesTest::environment,
                                a -> a.getSpec().setFrontEnd(scaleFactor(15)),
                                a -> a.getSpec().setFrontEnd(scaleFactor(16)),
                                "spec.frontEnd.scaleFactor: Invalid value: 16: should be less than or equal to 15"),
                        of(
                                "frontEnd.image not empty",
                                SchemaOwnedRulesTest::environment,
                                a -> a.getSpec().setFrontEnd(image("n")),
                                a -> a.getSpec().setFrontEnd(image("")),
                                "spec.frontEnd.image: Invalid value: '': should be at least 1 chars long"),
                        of(
                                "frontEnd.trustedProxies at most 64",
                                SchemaOwnedRulesTest::environment,
                                a -> a.getSpec().setFrontEnd(proxies(64)),
                                a -> a.getSpec().setFrontEnd(proxies(65)),
                                "spec.frontEnd.trustedProxies: Too many: 65: must have at most 64 items"),
                        of(
                                "maxInstances at least 1",
                                SchemaOwnedRulesTest::environment,
                                a -> a.getSpec().setMaxInstances(1),
                                a -> a.getSpec().setMaxInstances(0),
                                "spec.maxInstances: Invalid value: 0: should be greater than or equal to 1"),
                        of(
                                "maxInstances at most 200",
                                SchemaOwnedRulesTest::environment,
                                a -> a.getSpec().setMaxInstances(200),
                                a -> a.getSpec().setMaxInstances(201),
                                "spec.maxInstances: Invalid value: 201: should be less than or equal to 200"),
                        of(
                                "V1 frontEnd.count required",
                                SchemaOwnedRulesTest::v1Environment,
                                a -> {},
                                a -> a.getSpec().getFrontEnd().setCount(null),
                                "spec: Invalid value: spec.frontEnd.count is required for a V1 environment"),
                        of(
                                "V1 frontEnd.count at least 2",
                                SchemaOwnedRulesTest::v1Environment,
                                a -> a.getSpec().getFrontEnd().setCount(2),
                                a -> a.getSpec().getFrontEnd().setCount(1),
                                "spec.frontEnd.count: Invalid value: 1: should be greater than or equal to 2"),
                        of(
                                "V1 frontEnd.count at most 55",
                                SchemaOwnedRulesTest::v1Environment,
                                a -> a.getSpec().getFrontEnd().setCount(55),
                                a -> a.getSpec().getFrontEnd().setCount(56),
                                "spec.frontEnd.count: Invalid value: 56: should be less than or equal to 55"),
                        of(
                                "V1 at least one worker pool",
                                SchemaOwnedRulesTest::v1Environment,
                                a -> {},
                                a -> a.getSpec().setWorkerPools(List.of()),
                                "spec: Invalid value: spec.workerPools needs at least one pool for a V1 environment"),
                        of(
                                "V1 at most 3 worker pools",
                                SchemaOwnedRulesTest::v1Environment,
                                a -> a.getSpec().setWorkerPools(List.of(pool("a", 1), pool("b", 1), pool("c", 1))),
                                a -> a.getSpec()
                                        .setWorkerPools(
                                                List.of(pool("a", 1), pool("b", 1), pool("c", 1), pool("d", 1))),
                                "spec.workerPools: Too many: 4: must have at most 3 items"),
                        of(
                                "worker pool name a DNS label",
                                SchemaOwnedRulesTest::v1Environment,
                                a -> a.getSpec().setWorkerPools(List.of(pool("p".repeat(20), 1))),
                                a -> a.getSpec().setWorkerPools(List.of(pool("Pool_1", 1))),
                                "spec.workerPools[0].name: Invalid value: 'Pool_1': " + LABEL),
                        of(
                                "worker pool name at most 20",
                                SchemaOwnedRulesTest::v1Environment,
                                a -> a.getSpec().setWorkerPools(List.of(pool("p".repeat(20), 1))),
                                a -> a.getSpec().setWorkerPools(List.of(pool("p".repeat(21), 1))),
                                "spec.workerPools[0].name: Too long: may not be more than 20 characters"),
                        of(
                                "worker pool count required",
                                SchemaOwnedRulesTest::v1Environment,
                                a -> {},
                                a -> a.getSpec().setWorkerPools(List.of(pool("small", null))),
                                "spec.workerPools[0].count: Required value"),
                        of(
                                "worker pool count at least 0",
                                SchemaOwnedRulesTest::v1Environment,
                                a -> a.getSpec().setWorkerPools(List.of(pool("small", 0))),
                                a -> a.getSpec().setWorkerPools(List.of(pool("small", -1))),
                                "spec.workerPools[0].count: Invalid value: -1: should be greater than or equal to 0"),
                        of(
                                "worker pool count at most 55",
                                SchemaOwnedRulesTest::v1Environment,
                                a -> a.getSpec().setWorkerPools(List.of(pool("small", 55))),
                                a -> a.getSpec().setWorkerPools(List.of(pool("small", 56))),
                                "spec.workerPools[0].count: Invalid value: 56: should be less than or equal to 55"),
                        of(
                                "V2 has no worker pools",
                                SchemaOwnedRulesTest::environment,
                                a -> {},
                                a -> a.getSpec().setWorkerPools(List.of(pool("small", 1))),
                                "spec: Invalid value: spec.workerPools is for V1 environments only"),
                        of(
                                "V2 has no front-end count",
                                SchemaOwnedRulesTest::environment,
                                a -> {},
                                a -> a.getSpec().setFrontEnd(count(2)),
                                "spec: Invalid value: spec.frontEnd.count is for V1 environments only"),
                        of(
                                "tls.secretName required",
                                SchemaOwnedRulesTest::environment,
                                a -> a.getSpec().setTls(tls("w")),
                                a -> a.getSpec().setTls(tls(null)),
                                "spec.tls.secretName: Required value"),
                        of(
                                "tls.secretName not empty",
                                SchemaOwnedRulesTest::environment,
                                a -> a.getSpec().setTls(tls("w")),
                                a -> a.getSpec().setTls(tls("")),
                                "spec.tls.secretName: Invalid value: '': should be at least 1 chars long"),
                        of(
                                "NSG rule name required",
                                () -> withRule(r -> {}),
                                a -> {},
                                a -> rule(a).setName(null),
                                "spec.networkSecurityGroup.inboundRules[0].name: Required value"),
                        of(
                                "NSG rule name's format",
                                () -> withRule(r -> {}),
                                a -> rule(a).setName("a.b-c_d"),
                                a -> rule(a).setName("-office"),
                                "spec.networkSecurityGroup.inboundRules[0].name: Invalid value: '-office': should match"),
                        of(
                                "NSG rule name at most 80",
                                () -> withRule(r -> {}),
                                a -> rule(a).setName("r".repeat(80)),
                                a -> rule(a).setName("r".repeat(81)),
                                "spec.networkSecurityGroup.inboundRules[0].name: Too long: may not be more than 80"
                                        + " characters"),
                        of(
                                "NSG rule priority required",
                                () -> withRule(r -> {}),
                                a -> {},
                                a -> rule(a).setPriority(null),
                                "spec.networkSecurityGroup.inboundRules[0].priority: Required value"),
                        of(
                                "NSG rule priority at least 100",
                                () -> withRule(r -> {}),
                                a -> rule(a).setPriority(100),
                                a -> rule(a).setPriority(99),
                                "spec.networkSecurityGroup.inboundRules[0].priority: Invalid value: 99: should be greater"
                                        + " than or equal to 100"),
                        of(
                                "NSG rule priority at most 4096",
                                () -> withRule(r -> {}),
                                a -> rule(a).setPriority(4096),
                                a -> rule(a).setPriority(4097),
                                "spec.networkSecurityGroup.inboundRules[0].priority: Invalid value: 4097: should be less"
                                        + " than or equal to 4096"),
                        of(
                                "NSG rule access required",
                                () -> withRule(r -> {}),
                                a -> {},
                                a -> rule(a).setAccess(null),
                                "spec.networkSecurityGroup.inboundRules[0].access: Required value"),
                        of(
                                "egress gateway provider required",
                                () -> withGateway(g -> {}),
                                a -> {},
                                a -> gateway(a).setProvider(null),
                                "spec.outbound.egressGateway.provider: Required value"),
                        of(
                                "egress gateway at least one address",
                                () -> withGateway(g -> {}),
                                a -> {},
                                a -> gateway(a).setAddresses(List.of()),
                                "spec.outbound.egressGateway.addresses: Invalid value: 0: should have at least 1 items"),
                        of(
                                "egress gateway at most 8 addresses",
                                () -> withGateway(g -> {}),
                                a -> gateway(a).setAddresses(addresses(8)),
                                a -> gateway(a).setAddresses(addresses(9)),
                                "spec.outbound.egressGateway.addresses: Too many: 9: must have at most 8 items"),
                        // IsolatedPlan
                        of(
                                "environmentName required",
                                SchemaOwnedRulesTest::plan,
                                p -> {},
                                p -> p.getSpec().setEnvironmentName(null),
                                "spec.environmentName: Required value"),
                        of(
                                "environmentName a name",
                                SchemaOwnedRulesTest::plan,
                                p -> p.getSpec().setEnvironmentName("a.b-c"),
                                p -> p.getSpec().setEnvironmentName(" "),
                                "spec.environmentName: Invalid value: ' ': should match"),
                        of(
                                "instances at least 1",
                                SchemaOwnedRulesTest::plan,
                                p -> p.getSpec().setInstances(1),
                                p -> p.getSpec().setInstances(0),
                                "spec.instances: Invalid value: 0: should be greater than or equal to 1"),
                        of(
                                "instances at most 100",
                                SchemaOwnedRulesTest::plan,
                                p -> p.getSpec().setInstances(100),
                                p -> p.getSpec().setInstances(101),
                                "spec.instances: Invalid value: 101: should be less than or equal to 100"),
                        of(
                                "workerPool a DNS label",
                                SchemaOwnedRulesTest::plan,
                                p -> p.getSpec().setWorkerPool("small"),
                                p -> p.getSpec().setWorkerPool("Small"),
                                "spec.workerPool: Invalid value: 'Small': " + LABEL),
                        // WebApp
                        of(
                                "planName required",
                                SchemaOwnedRulesTest::app,
                                w -> {},
                                w -> w.getSpec().setPlanName(null),
                                "spec.planName: Required value"),
                        of(
                                "planName a name",
                                SchemaOwnedRulesTest::app,
                                w -> w.getSpec().setPlanName("a.b-c"),
                                w -> w.getSpec().setPlanName("Web"),
                                "spec.planName: Invalid value: 'Web': should match"),
                        of(
                                "image required",
                                SchemaOwnedRulesTest::app,
                                w -> {},
                                w -> w.getSpec().setImage(null),
                                "spec.image: Required value"),
                        of(
                                "image not empty",
                                SchemaOwnedRulesTest::app,
                                w -> w.getSpec().setImage("n"),
                                w -> w.getSpec().setImage(""),
                                "spec.image: Invalid value: '': should be at least 1 chars long"),
                        of(
                                "port at least 1",
                                SchemaOwnedRulesTest::app,
                                w -> w.getSpec().setPort(1),
                                w -> w.getSpec().setPort(0),
                                "spec.port: Invalid value: 0: should be greater than or equal to 1"),
                        of(
                                "port at most 65535",
                                SchemaOwnedRulesTest::app,
                                w -> w.getSpec().setPort(65535),
                                w -> w.getSpec().setPort(65536),
                                "spec.port: Invalid value: 65536: should be less than or equal to 65535"),
                        of(
                                "healthCheckPath starts with /",
                                SchemaOwnedRulesTest::app,
                                w -> w.getSpec().setHealthCheckPath("/"),
                                w -> w.getSpec().setHealthCheckPath("health"),
                                "spec.healthCheckPath: Invalid value: 'health': should match '^/.*$'"),
                        of(
                                "kind app or functionapp",
                                SchemaOwnedRulesTest::app,
                                w -> w.getSpec().setKind("app"),
                                w -> w.getSpec().setKind("job"),
                                "spec.kind: Invalid value: 'job': should match '^(app|functionapp)$'"),
                        of(
                                "at most 512 access restrictions",
                                SchemaOwnedRulesTest::app,
                                w -> w.getSpec().setAccessRestrictions(rules(512)),
                                w -> w.getSpec().setAccessRestrictions(rules(513)),
                                "spec.accessRestrictions: Too many: 513: must have at most 512 items"),
                        of(
                                "access restriction name's format",
                                SchemaOwnedRulesTest::app,
                                w -> w.getSpec()
                                        .setAccessRestrictions(List.of(Fixtures.accessRestriction(
                                                "r".repeat(80), 1, RuleAccess.Allow, "10.0.0.0/8"))),
                                w -> w.getSpec()
                                        .setAccessRestrictions(List.of(Fixtures.accessRestriction(
                                                "office.", 1, RuleAccess.Allow, "10.0.0.0/8"))),
                                "spec.accessRestrictions[0].name: Invalid value: 'office.': should match"),
                        of(
                                "access restriction priority at least 1",
                                SchemaOwnedRulesTest::app,
                                w -> w.getSpec().setAccessRestrictions(rules(1)),
                                w -> w.getSpec()
                                        .setAccessRestrictions(List.of(Fixtures.accessRestriction(
                                                "office", 0, RuleAccess.Allow, "10.0.0.0/8"))),
                                "spec.accessRestrictions[0].priority: Invalid value: 0: should be greater than or equal"
                                        + " to 1"),
                        of(
                                "access restriction action required",
                                SchemaOwnedRulesTest::app,
                                w -> w.getSpec().setAccessRestrictions(rules(1)),
                                w -> w.getSpec()
                                        .setAccessRestrictions(
                                                List.of(Fixtures.accessRestriction("office", 1, null, "10.0.0.0/8"))),
                                "spec.accessRestrictions[0].action: Required value"),
                        of(
                                "at most 20 slots",
                                SchemaOwnedRulesTest::app,
                                w -> w.getSpec().setSlots(slots(20)),
                                w -> w.getSpec().setSlots(slots(21)),
                                "spec.slots: Too many: 21: must have at most 20 items"),
                        of(
                                "slot name a DNS label",
                                () -> withSlot(s -> {}),
                                w -> w.getSpec().getSlots().get(0).setName("s".repeat(58)),
                                w -> w.getSpec().getSlots().get(0).setName("Blue"),
                                "spec.slots[0].name: Invalid value: 'Blue': " + LABEL),
                        of(
                                "slot image required",
                                () -> withSlot(s -> {}),
                                w -> {},
                                w -> w.getSpec().getSlots().get(0).setImage(null),
                                "spec.slots[0].image: Required value"),
                        of(
                                "slot healthCheckPath starts with /",
                                () -> withSlot(s -> {}),
                                w -> w.getSpec().getSlots().get(0).setHealthCheckPath("/healthz"),
                                w -> w.getSpec().getSlots().get(0).setHealthCheckPath("healthz"),
                                "spec.slots[0].healthCheckPath: Invalid value: 'healthz': should match '^/.*$'"),
                        of(
                                "slot trafficPercent at least 0",
                                () -> withSlot(s -> {}),
                                w -> w.getSpec().getSlots().get(0).setTrafficPercent(0),
                                w -> w.getSpec().getSlots().get(0).setTrafficPercent(-1),
                                "spec.slots[0].trafficPercent: Invalid value: -1: should be greater than or equal to 0"),
                        of(
                                "slot trafficPercent at most 100",
                                () -> withSlot(s -> {}),
                                w -> w.getSpec().getSlots().get(0).setTrafficPercent(100),
                                w -> w.getSpec().getSlots().get(0).setTrafficPercent(101),
                                "spec.slots[0].trafficPercent: Invalid value: 101: should be less than or equal to 100"),
                        of(
                                "tls.secretName a DNS subdomain",
                                () -> withTls(t -> {}),
                                w -> {},
                                w -> w.getSpec().getTls().setSecretName("Shop_TLS"),
                                "spec.tls.secretName: Invalid value: 'Shop_TLS': " + SUBDOMAIN),
                        of(
                                "tls.issuerRef.name required",
                                () -> withTls(t -> {}),
                                w -> {},
                                w -> w.getSpec().getTls().getIssuerRef().setName(null),
                                "spec.tls.issuerRef.name: Required value"),
                        of(
                                "tls.issuerRef.kind a Kind",
                                () -> withTls(t -> {}),
                                w -> w.getSpec().getTls().getIssuerRef().setKind("I" + "s".repeat(62)),
                                w -> w.getSpec().getTls().getIssuerRef().setKind("cluster-issuer"),
                                "spec.tls.issuerRef.kind: Invalid value: 'cluster-issuer': should match"
                                        + " '^[A-Z][A-Za-z0-9]*$'"),
                        of(
                                "tls.issuerRef.kind at most 63",
                                () -> withTls(t -> {}),
                                w -> w.getSpec().getTls().getIssuerRef().setKind("I" + "s".repeat(62)),
                                w -> w.getSpec().getTls().getIssuerRef().setKind("I" + "s".repeat(63)),
                                "spec.tls.issuerRef.kind: Too long: may not be more than 63 characters"),
                        of(
                                "tls.issuerRef.group a DNS subdomain",
                                () -> withTls(t -> {}),
                                w -> {},
                                w -> w.getSpec().getTls().getIssuerRef().setGroup("Cert Manager"),
                                "spec.tls.issuerRef.group: Invalid value: 'Cert Manager': " + SUBDOMAIN),
                        of(
                                "functions.runtime a known runtime",
                                () -> Fixtures.functionApp(NS, "orders", "web", 8080, "node"),
                                w -> w.getSpec().getFunctions().setRuntime("custom"),
                                w -> w.getSpec().getFunctions().setRuntime("cobol"),
                                "spec.functions.runtime: Invalid value: 'cobol': should match"),
                        of(
                                "functions.storage required",
                                () -> Fixtures.functionApp(NS, "orders", "web", 8080, "node"),
                                w -> {},
                                w -> w.getSpec().getFunctions().setStorage(null),
                                "spec.functions.storage: Required value"),
                        of(
                                "functions.storage.name a DNS subdomain",
                                () -> Fixtures.functionApp(NS, "orders", "web", 8080, "node"),
                                w -> w.getSpec().getFunctions().getStorage().setName("orders.storage"),
                                w -> w.getSpec().getFunctions().getStorage().setName("Orders"),
                                "spec.functions.storage.name: Invalid value: 'Orders': " + SUBDOMAIN),
                        of(
                                "functions.storage.key a data key",
                                () -> Fixtures.functionApp(NS, "orders", "web", 8080, "node"),
                                w -> w.getSpec().getFunctions().getStorage().setKey("a-B_c.1"),
                                w -> w.getSpec().getFunctions().getStorage().setKey("a key"),
                                "spec.functions.storage.key: Invalid value: 'a key': should match"))
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void theSchemaRefusesPastTheRuleAndTakesTheLimit(Case c) {
        HasMetadata atLimit = c.base().get();
        c.atLimit().accept(atLimit);
        assertThat(BeforeAdmission.refusals(atLimit))
                .as(c.name() + ": at the limit")
                .isEmpty();
        assertThat(SpecValidation.errors(atLimit))
                .as(c.name() + ": the admission rules take it too")
                .isEmpty();

        HasMetadata past = c.base().get();
        c.past().accept(past);
        assertThat(BeforeAdmission.refusals(past))
                .as(c.name())
                .anySatisfy(line -> assertThat(line).startsWith(SpecValidation.describe(past) + ": " + c.refusal()));
    }

    /** Blank values the schema's lengths let through: the Java rules that remain refuse them. */
    @Test
    void blankValuesThatPassTheSchemaAreRefusedByTheRulesThatRemain() {
        WebApp blankImage = app();
        blankImage.getSpec().setImage(" ");
        assertThat(BeforeAdmission.refusals(blankImage)).isEmpty();
        assertThat(SpecValidation.errors(blankImage))
                .extracting(Violation::describe)
                .containsExactly("WebApp team/shop: spec.image must be an image reference without spaces, got ' '");

        WebApp blankSlotImage = withSlot(s -> s.setImage("  "));
        assertThat(BeforeAdmission.refusals(blankSlotImage)).isEmpty();
        assertThat(SpecValidation.errors(blankSlotImage))
                .extracting(Violation::describe)
                .containsExactly(
                        "WebApp team/shop: spec.slots[0].image must be an image reference without spaces, got '  '");

        AppServiceEnvironment blankFrontEndImage = environment();
        blankFrontEndImage.getSpec().setFrontEnd(image(" "));
        assertThat(BeforeAdmission.refusals(blankFrontEndImage)).isEmpty();
        assertThat(SpecValidation.errors(blankFrontEndImage))
                .extracting(Violation::describe)
                .containsExactly(
                        "AppServiceEnvironment team/ase1: spec.frontEnd.image must be an image reference without"
                                + " spaces, got ' '");

        AppServiceEnvironment blankSecret = environment();
        blankSecret.getSpec().setTls(tls(" "));
        assertThat(BeforeAdmission.refusals(blankSecret)).isEmpty();
        assertThat(SpecValidation.errors(blankSecret))
                .extracting(Violation::describe)
                .containsExactly("AppServiceEnvironment team/ase1: spec.tls.secretName must be a DNS subdomain"
                        + " (lowercase letters, digits, '-' and '.', at most 253 characters), got ' '");
    }

    /**
     * The rules the schema cannot say about the same fields stay, null-safe: names and priorities
     * unique in their lists, whatever the schema says of each.
     */
    @Test
    void uniquenessStaysWithTheRulesAndToleratesWhatTheSchemaRequires() {
        AppServiceEnvironment pools = v1Environment();
        pools.getSpec().setWorkerPools(List.of(pool("small", 1), pool(null, 1), pool("small", 2)));
        assertThat(SpecValidation.errors(pools))
                .extracting(Violation::describe)
                .containsExactly("AppServiceEnvironment team/ase1: spec.workerPools[2].name 'small' is used by another"
                        + " pool");

        AppServiceEnvironment nsg = withRule(r -> {});
        SecurityRule nameless = new SecurityRule();
        nameless.setPriority(100);
        nsg.getSpec().getNetworkSecurityGroup().setInboundRules(List.of(rule(nsg), nameless, new SecurityRule()));
        assertThat(SpecValidation.errors(nsg))
                .extracting(Violation::describe)
                .containsExactly("AppServiceEnvironment team/ase1: spec.networkSecurityGroup.inboundRules[1].priority"
                        + " 100 is already used by rule 'allow-office'; priorities are unique per direction");

        WebApp restrictions = app();
        restrictions
                .getSpec()
                .setAccessRestrictions(List.of(
                        Fixtures.accessRestriction("a", 1, RuleAccess.Allow, "10.0.0.0/8"),
                        Fixtures.accessRestriction(null, 1, null, "10.1.0.0/16"),
                        new AccessRestriction()));
        assertThat(SpecValidation.errors(restrictions))
                .extracting(Violation::describe)
                .containsExactly(
                        "WebApp team/shop: spec.accessRestrictions[1].priority 1 is already the priority of"
                                + " spec.accessRestrictions[0]; priorities must be unique",
                        "WebApp team/shop: spec.accessRestrictions[2].ipAddress must be a CIDR such as 10.0.0.0/16 or"
                                + " fd00::/64, got an empty value");

        WebApp slots = app();
        slots.getSpec().setSlots(List.of(slot("blue"), new DeploymentSlot(), slot("blue")));
        assertThat(SpecValidation.errors(slots))
                .extracting(Violation::describe)
                .containsExactly("WebApp team/shop: spec.slots[2].name 'blue' is the name of another slot of the app;"
                        + " slot names must be unique");
    }

    static FrontEndSettings scaleFactor(int value) {
        FrontEndSettings frontEnd = new FrontEndSettings();
        frontEnd.setScaleFactor(value);
        return frontEnd;
    }

    static FrontEndSettings count(int value) {
        FrontEndSettings frontEnd = new FrontEndSettings();
        frontEnd.setCount(value);
        return frontEnd;
    }

    static FrontEndSettings image(String image) {
        FrontEndSettings frontEnd = new FrontEndSettings();
        frontEnd.setImage(image);
        return frontEnd;
    }

    static FrontEndSettings proxies(int count) {
        FrontEndSettings frontEnd = new FrontEndSettings();
        frontEnd.setTrustedProxies(
                IntStream.range(0, count).mapToObj(i -> "10.0." + i + ".0/24").toList());
        return frontEnd;
    }

    static TlsSettings tls(String secretName) {
        TlsSettings tls = new TlsSettings();
        tls.setSecretName(secretName);
        return tls;
    }

    static SecurityRule rule(AppServiceEnvironment ase) {
        return ase.getSpec().getNetworkSecurityGroup().getInboundRules().get(0);
    }

    static EgressGateway gateway(AppServiceEnvironment ase) {
        return ase.getSpec().getOutbound().getEgressGateway();
    }

    static List<String> addresses(int count) {
        return IntStream.range(0, count).mapToObj(i -> "203.0.113." + (10 + i)).toList();
    }

    static List<DeploymentSlot> slots(int count) {
        return IntStream.range(0, count).mapToObj(i -> slot("s" + i)).toList();
    }
}
