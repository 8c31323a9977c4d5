package dev.appservice.operator.testing.apiserver;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** metadata of any kind, Events and Leases: each rule with a valid and an invalid example. */
class ObjectMetaRulesTest {
    static final String LEASE = """
            apiVersion: coordination.k8s.io/v1
            kind: Lease
            metadata:
              name: ase-operator-lock
              namespace: operators
              labels: {app.kubernetes.io/name: ase-operator}
              finalizers: [appservice.dev/cleanup]
              ownerReferences:
              - {apiVersion: v1, kind: ConfigMap, name: owner, uid: "1234", controller: true}
            spec: {holderIdentity: pod-1, leaseDurationSeconds: 15, leaseTransitions: 0, acquireTime: "2026-01-01T00:00:00.000000Z"}
            """;
    static final String EVENT = """
            apiVersion: v1
            kind: Event
            metadata: {name: ase1.1234, namespace: team-a}
            involvedObject: {apiVersion: appservice.dev/v1alpha1, kind: AppServiceEnvironment, name: ase1, namespace: team-a, uid: "1234"}
            reason: Ready
            message: the environment is ready
            type: Normal
            source: {component: ase-operator}
            """;

    static Stream<Arguments> leaseCases() {
        return RuleCase.arguments(
                RuleCase.valid("the base object", "/spec/leaseTransitions", "1"),
                RuleCase.refused("no name", "/metadata/name", null, "metadata.name"),
                RuleCase.valid("a generateName instead", "/metadata/generateName", "lock-"),
                RuleCase.refused(
                        "a name over 253 characters", "/metadata/name", "'" + "a".repeat(254) + "'", "metadata.name"),
                RuleCase.refused("an upper-case name", "/metadata/name", "Lock", "metadata.name"),
                RuleCase.refused(
                        "a namespace that is no DNS label", "/metadata/namespace", "team.a", "metadata.namespace"),
                RuleCase.refused("a label key with two slashes", "/metadata/labels/a~1b~1c", "x", "metadata.labels"),
                RuleCase.refused(
                        "a label key whose name is over 63",
                        "/metadata/labels/" + "k".repeat(64),
                        "x",
                        "metadata.labels"),
                RuleCase.refused(
                        "a label value over 63",
                        "/metadata/labels/app.kubernetes.io~1name",
                        "'" + "v".repeat(64) + "'",
                        "metadata.labels"),
                RuleCase.refused(
                        "a label value ending in '-'",
                        "/metadata/labels/app.kubernetes.io~1name",
                        "operator-",
                        "metadata.labels"),
                RuleCase.valid("an empty label value", "/metadata/labels/app.kubernetes.io~1name", "''"),
                RuleCase.refused(
                        "an owner without a uid",
                        "/metadata/ownerReferences/0/uid",
                        null,
                        "metadata.ownerReferences[0].uid"),
                RuleCase.refused(
                        "an owner without a kind",
                        "/metadata/ownerReferences/0/kind",
                        null,
                        "metadata.ownerReferences[0].kind"),
                RuleCase.refused(
                        "two controllers",
                        "/metadata/ownerReferences/-",
                        "{apiVersion: v1, kind: Secret, name: s, uid: '5678', controller: true}",
                        "metadata.ownerReferences"),
                RuleCase.refused(
                        "an unqualified finalizer", "/metadata/finalizers/0", "cleanup", "metadata.finalizers[0]"),
                RuleCase.refused(
                        "a lease of 0 seconds", "/spec/leaseDurationSeconds", "0", "spec.leaseDurationSeconds"),
                RuleCase.refused("negative transitions", "/spec/leaseTransitions", "-1", "spec.leaseTransitions"),
                RuleCase.refused("a holder that is no string", "/spec/holderIdentity", "[a]", "spec.holderIdentity"));
    }

    static Stream<Arguments> eventCases() {
        return RuleCase.arguments(
                RuleCase.valid("the base object", "/type", "Warning"),
                RuleCase.refused(
                        "an object of another namespace",
                        "/involvedObject/namespace",
                        "team-b",
                        "involvedObject.namespace"),
                RuleCase.refused(
                        "a new-style event without its reporter",
                        "/eventTime",
                        "'2026-01-01T00:00:00.000000Z'",
                        "reportingComponent"),
                RuleCase.refused("an undeclared field", "/note", "x", "note"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leaseCases")
    void leases(String name, RuleCase example) {
        example.check(LEASE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventCases")
    void events(String name, RuleCase example) {
        example.check(EVENT);
    }
}
