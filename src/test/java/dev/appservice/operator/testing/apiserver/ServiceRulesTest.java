package dev.appservice.operator.testing.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Services: each rule with a valid and an invalid example. */
class ServiceRulesTest {
    static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: ase1-vip
              namespace: team-a
              annotations: {service.beta.kubernetes.io/azure-load-balancer-internal: "true"}
            spec:
              type: LoadBalancer
              externalTrafficPolicy: Local
              selector: {appservice.dev/environment: ase1}
              ports:
              - {name: http, port: 80, targetPort: 8080, protocol: TCP}
              - {name: https, port: 443, targetPort: https, protocol: TCP}
            """;

    static Stream<Arguments> cases() {
        return RuleCase.arguments(
                RuleCase.valid("the base object", "/spec/type", "LoadBalancer"),
                RuleCase.refused("a name that is no DNS-1035 label", "/metadata/name", "1-vip", "metadata.name"),
                RuleCase.refused("a name with a dot", "/metadata/name", "ase.vip", "metadata.name"),
                RuleCase.refused(
                        "an annotation key with a space", "/metadata/annotations/bad key", "x", "metadata.annotations"),
                RuleCase.refused(
                        "an annotation key with two slashes",
                        "/metadata/annotations/a~1b~1c",
                        "x",
                        "metadata.annotations"),
                RuleCase.refused(
                        "annotations over 256 KiB",
                        "/metadata/annotations/big",
                        "'" + "x".repeat(262_144) + "'",
                        "metadata.annotations"),
                RuleCase.refused("no ports", "/spec/ports", "[]", "spec.ports"),
                RuleCase.valid("a headless Service without ports", "/spec", "{clusterIP: None, selector: {a: b}}"),
                RuleCase.valid(
                        "an ExternalName Service without ports",
                        "/spec",
                        "{type: ExternalName, externalName: db.example.com}"),
                RuleCase.refused(
                        "an ExternalName Service without a name", "/spec", "{type: ExternalName}", "spec.externalName"),
                RuleCase.refused("an unnamed port among two", "/spec/ports/0/name", null, "spec.ports[0].name"),
                RuleCase.valid("one unnamed port", "/spec/ports", "[{port: 80}]"),
                RuleCase.refused("two ports of one name", "/spec/ports/1/name", "http", "spec.ports[1].name"),
                RuleCase.refused("two ports of one number and protocol", "/spec/ports/1/port", "80", "spec.ports[1]"),
                RuleCase.valid(
                        "one number over two protocols", "/spec/ports/1", "{name: dns, port: 80, protocol: UDP}"),
                RuleCase.refused(
                        "a port name that is no DNS label", "/spec/ports/0/name", "HTTP", "spec.ports[0].name"),
                RuleCase.refused("port 0", "/spec/ports/0/port", "0", "spec.ports[0].port"),
                RuleCase.refused(
                        "a targetPort out of range", "/spec/ports/0/targetPort", "65536", "spec.ports[0].targetPort"),
                RuleCase.refused(
                        "a named targetPort that is no IANA name",
                        "/spec/ports/1/targetPort",
                        "https_port",
                        "spec.ports[1].targetPort"),
                RuleCase.refused(
                        "externalTrafficPolicy on a ClusterIP Service",
                        "/spec/type",
                        "ClusterIP",
                        "spec.externalTrafficPolicy"),
                RuleCase.refused(
                        "an unknown externalTrafficPolicy",
                        "/spec/externalTrafficPolicy",
                        "Nearest",
                        "spec.externalTrafficPolicy"),
                RuleCase.refused(
                        "a nodePort on a ClusterIP Service",
                        "/spec",
                        "{type: ClusterIP, ports: [{port: 80, nodePort: 30080}]}",
                        "spec.ports[0].nodePort"),
                RuleCase.refused("an unknown type", "/spec/type", "Internal", "spec.type"),
                RuleCase.refused(
                        "loadBalancerSourceRanges that are no CIDR",
                        "/spec/loadBalancerSourceRanges",
                        "[10.0.0.0/33]",
                        "spec.loadBalancerSourceRanges[0]"),
                RuleCase.refused(
                        "an invalid selector value",
                        "/spec/selector/appservice.dev~1environment",
                        "'a b'",
                        "spec.selector"),
                RuleCase.refused("a clusterIP that is no IP", "/spec/clusterIP", "10.0.0.300", "spec.clusterIP"),
                RuleCase.refused(
                        "an unknown sessionAffinity", "/spec/sessionAffinity", "Cookie", "spec.sessionAffinity"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theApiServerAgrees(String name, RuleCase example) {
        var errors = new KubernetesApiValidation(CustomResourceSchemas.fromProject())
                .validate(example.applyTo(SERVICE), null);
        if (example.refusedField() == null) {
            assertThat(errors).isEmpty();
        } else {
            assertThat(RuleCase.refusedFields(errors)).contains(example.refusedField());
        }
    }

    @Test
    void theClusterIpIsImmutable() {
        var validation = new KubernetesApiValidation(CustomResourceSchemas.fromProject());
        var before = RuleCase.valid("assigned", "/spec/clusterIP", "10.0.0.10").applyTo(SERVICE);
        var after = RuleCase.valid("changed", "/spec/clusterIP", "10.0.0.11").applyTo(SERVICE);
        assertThat(RuleCase.refusedFields(validation.validate(after, before))).contains("spec.clusterIP");
    }
}
