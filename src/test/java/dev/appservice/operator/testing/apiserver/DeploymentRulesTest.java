package dev.appservice.operator.testing.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Deployments and their pod templates: each rule with a valid and an invalid example. */
class DeploymentRulesTest {
    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web-workers
              namespace: team-a
              labels: {app.kubernetes.io/name: workers, appservice.dev/plan: web}
              annotations: {appservice.dev/checksum: abc}
              ownerReferences:
              - {apiVersion: appservice.dev/v1alpha1, kind: IsolatedPlan, name: web, uid: "1234", controller: true, blockOwnerDeletion: true}
            spec:
              replicas: 2
              selector: {matchLabels: {appservice.dev/plan: web}}
              strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}
              template:
                metadata:
                  labels: {appservice.dev/plan: web, app.kubernetes.io/name: workers}
                spec:
                  securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}
                  volumes:
                  - {name: tmp, emptyDir: {sizeLimit: 64Mi}}
                  - {name: tls, secret: {secretName: front-tls, defaultMode: 288}}
                  - name: token
                    projected:
                      sources:
                      - serviceAccountToken: {path: token, expirationSeconds: 3600}
                      - configMap: {name: ca, items: [{key: ca.crt, path: ca.crt}]}
                  containers:
                  - name: shop
                    image: registry.example/shop:1.0
                    ports: [{name: app-0, containerPort: 8080, protocol: TCP}]
                    env:
                    - {name: PORT, value: "8080"}
                    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                    - {name: PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}
                    resources:
                      requests: {cpu: 500m, memory: 1792Mi}
                      limits: {cpu: "1", memory: 2Gi}
                    readinessProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: 5}
                    livenessProbe: {tcpSocket: {port: app-0}, successThreshold: 1}
                    volumeMounts: [{name: tmp, mountPath: /tmp}, {name: tls, mountPath: /etc/tls, readOnly: true}]
                    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, readOnlyRootFilesystem: true}
            """;
    static final String CONTAINER = "/spec/template/spec/containers/0";

    static Stream<Arguments> cases() {
        return RuleCase.arguments(
                RuleCase.valid("the base object", "/spec/replicas", "2"),
                RuleCase.valid("zero replicas", "/spec/replicas", "0"),
                RuleCase.refused("negative replicas", "/spec/replicas", "-1", "spec.replicas"),
                RuleCase.refused("replicas of the wrong type", "/spec/replicas", "'2'", "spec.replicas"),
                RuleCase.refused("an undeclared field", "/spec/replica", "2", "spec.replica"),
                RuleCase.refused("no selector", "/spec/selector", null, "spec.selector"),
                RuleCase.refused(
                        "a selector the template labels do not match",
                        "/spec/selector/matchLabels/appservice.dev~1plan",
                        "other",
                        "spec.template.metadata.labels"),
                RuleCase.valid("a percentage maxSurge", "/spec/strategy/rollingUpdate/maxSurge", "'25%'"),
                RuleCase.refused(
                        "maxSurge and maxUnavailable both 0",
                        "/spec/strategy/rollingUpdate/maxSurge",
                        "0",
                        "spec.strategy.rollingUpdate.maxUnavailable"),
                RuleCase.refused(
                        "maxUnavailable over 100%",
                        "/spec/strategy/rollingUpdate/maxUnavailable",
                        "'150%'",
                        "spec.strategy.rollingUpdate.maxUnavailable"),
                RuleCase.refused(
                        "a malformed percentage",
                        "/spec/strategy/rollingUpdate/maxSurge",
                        "'1.5%'",
                        "spec.strategy.rollingUpdate.maxSurge"),
                RuleCase.refused(
                        "rollingUpdate with Recreate",
                        "/spec/strategy/type",
                        "Recreate",
                        "spec.strategy.rollingUpdate"),
                RuleCase.refused("an unknown strategy", "/spec/strategy/type", "BlueGreen", "spec.strategy.type"),
                RuleCase.refused(
                        "restartPolicy other than Always",
                        "/spec/template/spec/restartPolicy",
                        "OnFailure",
                        "spec.template.spec.restartPolicy"),
                RuleCase.refused(
                        "no containers", "/spec/template/spec/containers", "[]", "spec.template.spec.containers"),
                RuleCase.refused(
                        "a container name that is no DNS label",
                        CONTAINER + "/name",
                        "Shop_1",
                        "spec.template.spec.containers[0].name"),
                RuleCase.refused(
                        "two containers of one name",
                        "/spec/template/spec/containers/-",
                        "{name: shop, image: x}",
                        "spec.template.spec.containers[1].name"),
                RuleCase.refused(
                        "an image with surrounding spaces",
                        CONTAINER + "/image",
                        "' registry.example/shop:1.0 '",
                        "spec.template.spec.containers[0].image"),
                RuleCase.refused("no image", CONTAINER + "/image", null, "spec.template.spec.containers[0].image"),
                RuleCase.refused(
                        "container port 0",
                        CONTAINER + "/ports/0/containerPort",
                        "0",
                        "spec.template.spec.containers[0].ports[0].containerPort"),
                RuleCase.refused(
                        "container port 70000",
                        CONTAINER + "/ports/0/containerPort",
                        "70000",
                        "spec.template.spec.containers[0].ports[0].containerPort"),
                RuleCase.refused(
                        "a port name over 15 characters",
                        CONTAINER + "/ports/0/name",
                        "a-very-long-port-name",
                        "spec.template.spec.containers[0].ports[0].name"),
                RuleCase.refused(
                        "a port name without a letter",
                        CONTAINER + "/ports/0/name",
                        "'8080'",
                        "spec.template.spec.containers[0].ports[0].name"),
                RuleCase.refused(
                        "two ports of one name",
                        CONTAINER + "/ports/-",
                        "{name: app-0, containerPort: 9000}",
                        "spec.template.spec.containers[0].ports[1].name"),
                RuleCase.refused(
                        "an unknown protocol",
                        CONTAINER + "/ports/0/protocol",
                        "HTTP",
                        "spec.template.spec.containers[0].ports[0].protocol"),
                RuleCase.valid(
                        "an env name with dots and dashes (relaxed in 1.34)", CONTAINER + "/env/0/name", "my.var-1"),
                RuleCase.refused(
                        "an env name with '='",
                        CONTAINER + "/env/0/name",
                        "A=B",
                        "spec.template.spec.containers[0].env[0].name"),
                RuleCase.refused(
                        "an env name with a newline",
                        CONTAINER + "/env/0/name",
                        "\"A\\nB\"",
                        "spec.template.spec.containers[0].env[0].name"),
                RuleCase.refused(
                        "value and valueFrom",
                        CONTAINER + "/env/1/value",
                        "x",
                        "spec.template.spec.containers[0].env[1].valueFrom"),
                RuleCase.refused(
                        "an empty valueFrom",
                        CONTAINER + "/env/1/valueFrom",
                        "{}",
                        "spec.template.spec.containers[0].env[1].valueFrom"),
                RuleCase.refused(
                        "two sources in valueFrom",
                        CONTAINER + "/env/1/valueFrom/configMapKeyRef",
                        "{name: c, key: k}",
                        "spec.template.spec.containers[0].env[1].valueFrom"),
                RuleCase.refused(
                        "a secretKeyRef without a name",
                        CONTAINER + "/env/2/valueFrom/secretKeyRef/name",
                        null,
                        "spec.template.spec.containers[0].env[2].valueFrom.secretKeyRef.name"),
                RuleCase.refused(
                        "an invalid secretKeyRef key",
                        CONTAINER + "/env/2/valueFrom/secretKeyRef/key",
                        "'a/b'",
                        "spec.template.spec.containers[0].env[2].valueFrom.secretKeyRef.key"),
                RuleCase.refused(
                        "an invalid configMapKeyRef key",
                        CONTAINER + "/env/2/valueFrom",
                        "{configMapKeyRef: {name: c, key: '..'}}",
                        "spec.template.spec.containers[0].env[2].valueFrom.configMapKeyRef.key"),
                RuleCase.valid(
                        "a fieldRef to a label",
                        CONTAINER + "/env/1/valueFrom/fieldRef/fieldPath",
                        "\"metadata.labels['app.kubernetes.io/name']\""),
                RuleCase.refused(
                        "an unsupported fieldRef path",
                        CONTAINER + "/env/1/valueFrom/fieldRef/fieldPath",
                        "spec.containers",
                        "spec.template.spec.containers[0].env[1].valueFrom.fieldRef.fieldPath"),
                RuleCase.valid(
                        "a resourceFieldRef",
                        CONTAINER + "/env/1/valueFrom",
                        "{resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}"),
                RuleCase.refused(
                        "an unsupported resourceFieldRef resource",
                        CONTAINER + "/env/1/valueFrom",
                        "{resourceFieldRef: {resource: limits.gpu}}",
                        "spec.template.spec.containers[0].env[1].valueFrom.resourceFieldRef.resource"),
                RuleCase.refused(
                        "an alpha-only fileKeyRef",
                        CONTAINER + "/env/1/valueFrom",
                        "{fileKeyRef: {volumeName: tmp, path: a.env, key: A}}",
                        "spec.template.spec.containers[0].env[1].valueFrom.fileKeyRef"),
                RuleCase.refused(
                        "a malformed quantity",
                        CONTAINER + "/resources/requests/cpu",
                        "half",
                        "spec.template.spec.containers[0].resources.requests[cpu]"),
                RuleCase.refused(
                        "a negative quantity",
                        CONTAINER + "/resources/requests/cpu",
                        "-1",
                        "spec.template.spec.containers[0].resources.requests[cpu]"),
                RuleCase.refused(
                        "a request over its limit",
                        CONTAINER + "/resources/requests/memory",
                        "3Gi",
                        "spec.template.spec.containers[0].resources.requests[memory]"),
                RuleCase.valid("a request equal to its limit", CONTAINER + "/resources/requests/memory", "2048Mi"),
                RuleCase.refused(
                        "a probe with no handler",
                        CONTAINER + "/readinessProbe",
                        "{periodSeconds: 5}",
                        "spec.template.spec.containers[0].readinessProbe"),
                RuleCase.refused(
                        "a probe with two handlers",
                        CONTAINER + "/readinessProbe/tcpSocket",
                        "{port: 8080}",
                        "spec.template.spec.containers[0].readinessProbe.tcpSocket"),
                RuleCase.refused(
                        "a liveness probe with successThreshold 2",
                        CONTAINER + "/livenessProbe/successThreshold",
                        "2",
                        "spec.template.spec.containers[0].livenessProbe.successThreshold"),
                RuleCase.refused(
                        "a probe port out of range",
                        CONTAINER + "/readinessProbe/httpGet/port",
                        "0",
                        "spec.template.spec.containers[0].readinessProbe.httpGet.port"),
                RuleCase.refused(
                        "a mount of no volume",
                        CONTAINER + "/volumeMounts/0/name",
                        "cache",
                        "spec.template.spec.containers[0].volumeMounts[0].name"),
                RuleCase.refused(
                        "two mounts at one path",
                        CONTAINER + "/volumeMounts/1/mountPath",
                        "/tmp",
                        "spec.template.spec.containers[0].volumeMounts[1].mountPath"),
                RuleCase.refused(
                        "a volume name that is no DNS label",
                        "/spec/template/spec/volumes/0/name",
                        "Tmp",
                        "spec.template.spec.volumes[0].name"),
                RuleCase.refused(
                        "a volume with two sources",
                        "/spec/template/spec/volumes/0/configMap",
                        "{name: c}",
                        "spec.template.spec.volumes[0].configMap"),
                RuleCase.refused(
                        "a volume with no source",
                        "/spec/template/spec/volumes/0/emptyDir",
                        null,
                        "spec.template.spec.volumes[0]"),
                RuleCase.refused(
                        "a secret volume of an invalid Secret name",
                        "/spec/template/spec/volumes/1/secret/secretName",
                        "Front_TLS",
                        "spec.template.spec.volumes[1].secret.secretName"),
                RuleCase.refused(
                        "a defaultMode over 0777",
                        "/spec/template/spec/volumes/1/secret/defaultMode",
                        "1000",
                        "spec.template.spec.volumes[1].secret.defaultMode"),
                RuleCase.refused(
                        "a projected source with two kinds",
                        "/spec/template/spec/volumes/2/projected/sources/1/secret",
                        "{name: s}",
                        "spec.template.spec.volumes[2].projected.sources[1]"),
                RuleCase.refused(
                        "a token that expires in under 10 minutes",
                        "/spec/template/spec/volumes/2/projected/sources/0/serviceAccountToken/expirationSeconds",
                        "60",
                        "spec.template.spec.volumes[2].projected.sources[0].serviceAccountToken.expirationSeconds"),
                RuleCase.refused(
                        "a negative runAsUser",
                        "/spec/template/spec/securityContext/runAsUser",
                        "-1",
                        "spec.template.spec.securityContext.runAsUser"),
                RuleCase.refused(
                        "an unknown seccomp type",
                        "/spec/template/spec/securityContext/seccompProfile/type",
                        "Strict",
                        "spec.template.spec.securityContext.seccompProfile.type"),
                RuleCase.refused(
                        "a Localhost seccomp profile without its file",
                        "/spec/template/spec/securityContext/seccompProfile/type",
                        "Localhost",
                        "spec.template.spec.securityContext.seccompProfile.localhostProfile"),
                RuleCase.refused(
                        "privileged without privilege escalation",
                        CONTAINER + "/securityContext/privileged",
                        "true",
                        "spec.template.spec.containers[0].securityContext"),
                RuleCase.refused(
                        "an invalid template label value",
                        "/spec/template/metadata/labels/tier",
                        "'front end'",
                        "spec.template.metadata.labels"),
                RuleCase.refused(
                        "a topology spread of skew 0",
                        "/spec/template/spec/topologySpreadConstraints",
                        "[{maxSkew: 0, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}]",
                        "spec.template.spec.topologySpreadConstraints[0].maxSkew"),
                RuleCase.refused(
                        "a toleration with an unknown operator",
                        "/spec/template/spec/tolerations",
                        "[{key: a, operator: Is, value: b}]",
                        "spec.template.spec.tolerations[0].operator"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theApiServerAgrees(String name, RuleCase example) {
        var errors = new KubernetesApiValidation(CustomResourceSchemas.fromProject())
                .validate(example.applyTo(DEPLOYMENT), null);
        if (example.refusedField() == null) {
            assertThat(errors).isEmpty();
        } else {
            assertThat(RuleCase.refusedFields(errors)).contains(example.refusedField());
        }
    }

    @Test
    void anUpdateMayNotChangeTheSelector() {
        var validation = new KubernetesApiValidation(CustomResourceSchemas.fromProject());
        var before = RuleCase.valid("base", "/spec/replicas", "2").applyTo(DEPLOYMENT);
        var after = RuleCase.valid("other selector", "/spec/selector/matchLabels/app.kubernetes.io~1name", "workers")
                .applyTo(DEPLOYMENT);
        assertThat(RuleCase.refusedFields(validation.validate(after, before))).contains("spec.selector");
        assertThat(validation.validate(before, before)).isEmpty();
    }
}
