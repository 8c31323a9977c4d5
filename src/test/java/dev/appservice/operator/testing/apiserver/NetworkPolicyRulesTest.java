package dev.appservice.operator.testing.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** NetworkPolicies: each rule with a valid and an invalid example. */
class NetworkPolicyRulesTest {
    static final String POLICY = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: ase1-workers, namespace: team-a}
            spec:
              podSelector: {matchLabels: {appservice.dev/environment: ase1}}
              policyTypes: [Ingress, Egress]
              ingress:
              - from:
                - podSelector: {matchLabels: {app: frontend}}
                - ipBlock: {cidr: 10.0.0.0/16, except: [10.0.1.0/24]}
                ports: [{protocol: TCP, port: 8000, endPort: 9000}]
              egress:
              - to: [{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [kube-system]}]}}]
                ports: [{protocol: UDP, port: 53}]
            """;

    static Stream<Arguments> cases() {
        return RuleCase.arguments(
                RuleCase.valid("the base object", "/spec/policyTypes/0", "Ingress"),
                RuleCase.refused("an unknown policy type", "/spec/policyTypes/0", "Inbound", "spec.policyTypes[0]"),
                RuleCase.refused(
                        "a CIDR that is no CIDR",
                        "/spec/ingress/0/from/1/ipBlock/cidr",
                        "10.0.0.0/40",
                        "spec.ingress[0].from[1].ipBlock.cidr"),
                RuleCase.refused(
                        "an except outside the cidr",
                        "/spec/ingress/0/from/1/ipBlock/except/0",
                        "192.168.0.0/24",
                        "spec.ingress[0].from[1].ipBlock.except[0]"),
                RuleCase.refused(
                        "an except equal to the cidr",
                        "/spec/ingress/0/from/1/ipBlock/except/0",
                        "10.0.0.0/16",
                        "spec.ingress[0].from[1].ipBlock.except[0]"),
                RuleCase.refused(
                        "an ipBlock beside a selector",
                        "/spec/ingress/0/from/1/podSelector",
                        "{}",
                        "spec.ingress[0].from[1]"),
                RuleCase.refused("an empty peer", "/spec/ingress/0/from/0", "{}", "spec.ingress[0].from[0]"),
                RuleCase.refused(
                        "an endPort below the port",
                        "/spec/ingress/0/ports/0/endPort",
                        "7000",
                        "spec.ingress[0].ports[0].endPort"),
                RuleCase.refused(
                        "an endPort with a named port",
                        "/spec/ingress/0/ports/0/port",
                        "http",
                        "spec.ingress[0].ports[0].endPort"),
                RuleCase.refused("port 0", "/spec/egress/0/ports/0/port", "0", "spec.egress[0].ports[0].port"),
                RuleCase.refused(
                        "an unknown protocol",
                        "/spec/egress/0/ports/0/protocol",
                        "ICMP",
                        "spec.egress[0].ports[0].protocol"),
                RuleCase.refused(
                        "In without values",
                        "/spec/egress/0/to/0/namespaceSelector/matchExpressions/0/values",
                        "[]",
                        "spec.egress[0].to[0].namespaceSelector.matchExpressions[0].values"),
                RuleCase.refused(
                        "an unknown selector operator",
                        "/spec/egress/0/to/0/namespaceSelector/matchExpressions/0/operator",
                        "Equals",
                        "spec.egress[0].to[0].namespaceSelector.matchExpressions[0].operator"),
                RuleCase.valid(
                        "an IPv6 block",
                        "/spec/ingress/0/from/1/ipBlock",
                        "{cidr: 'fd00::/8', except: ['fd00:1::/32']}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theApiServerAgrees(String name, RuleCase example) {
        var errors = new KubernetesApiValidation(CustomResourceSchemas.fromProject())
                .validate(example.applyTo(POLICY), null);
        if (example.refusedField() == null) {
            assertThat(errors).isEmpty();
        } else {
            assertThat(RuleCase.refusedFields(errors)).contains(example.refusedField());
        }
    }
}
