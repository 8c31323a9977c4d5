package dev.appservice.operator.testing.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A pod's {@code spec.os.name} and the API server's rules that follow from it (validateOS,
 * validateWindows, validateLinux): a Windows pod with any Linux-only security field is refused
 * naming it, a Linux pod with {@code windowsOptions} too. Each rule with a valid and an invalid
 * example.
 */
class WindowsPodRulesTest {
    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: win-app
              namespace: team-a
            spec:
              replicas: 1
              selector: {matchLabels: {app: win}}
              template:
                metadata:
                  labels: {app: win}
                spec:
                  os: {name: windows}
                  nodeSelector: {kubernetes.io/os: windows}
                  tolerations: [{key: os, operator: Equal, value: windows, effect: NoSchedule}]
                  securityContext: {runAsNonRoot: true, windowsOptions: {runAsUserName: ContainerUser}}
                  containers:
                  - name: app
                    image: registry.example/win:1
                    securityContext: {runAsNonRoot: true}
            """;
    static final String POD = "/spec/template/spec";
    static final String CONTAINER = POD + "/containers/0";

    static Stream<Arguments> cases() {
        return RuleCase.arguments(
                RuleCase.valid("a Windows pod with Windows options only", POD + "/os/name", "windows"),
                RuleCase.valid("a pod without os", POD + "/os", null),
                RuleCase.refused("an unknown os", POD + "/os/name", "solaris", "spec.template.spec.os.name"),
                RuleCase.refused(
                        "a seccomp profile on a Windows pod",
                        POD + "/securityContext/seccompProfile",
                        "{type: RuntimeDefault}",
                        "spec.template.spec.securityContext.seccompProfile"),
                RuleCase.refused(
                        "a uid on a Windows pod",
                        POD + "/securityContext/runAsUser",
                        "1000",
                        "spec.template.spec.securityContext.runAsUser"),
                RuleCase.refused(
                        "a gid on a Windows pod",
                        POD + "/securityContext/runAsGroup",
                        "1000",
                        "spec.template.spec.securityContext.runAsGroup"),
                RuleCase.refused(
                        "an fsGroup on a Windows pod",
                        POD + "/securityContext/fsGroup",
                        "1000",
                        "spec.template.spec.securityContext.fsGroup"),
                RuleCase.refused(
                        "sysctls on a Windows pod",
                        POD + "/securityContext/sysctls",
                        "[{name: net.ipv4.ip_unprivileged_port_start, value: '0'}]",
                        "spec.template.spec.securityContext.sysctls"),
                RuleCase.refused(
                        "SELinux options on a Windows pod",
                        POD + "/securityContext/seLinuxOptions",
                        "{type: container_t}",
                        "spec.template.spec.securityContext.seLinuxOptions"),
                RuleCase.refused(
                        "capabilities on a Windows container",
                        CONTAINER + "/securityContext/capabilities",
                        "{drop: [ALL]}",
                        "spec.template.spec.containers[0].securityContext.capabilities"),
                RuleCase.refused(
                        "a read-only root on a Windows container",
                        CONTAINER + "/securityContext/readOnlyRootFilesystem",
                        "true",
                        "spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem"),
                RuleCase.refused(
                        "allowPrivilegeEscalation on a Windows container",
                        CONTAINER + "/securityContext/allowPrivilegeEscalation",
                        "false",
                        "spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation"),
                RuleCase.refused(
                        "privileged on a Windows container",
                        CONTAINER + "/securityContext/privileged",
                        "false",
                        "spec.template.spec.containers[0].securityContext.privileged"),
                RuleCase.refused(
                        "a procMount on a Windows container",
                        CONTAINER + "/securityContext/procMount",
                        "Default",
                        "spec.template.spec.containers[0].securityContext.procMount"),
                RuleCase.refused(
                        "a uid on a Windows container",
                        CONTAINER + "/securityContext/runAsUser",
                        "1000",
                        "spec.template.spec.containers[0].securityContext.runAsUser"),
                RuleCase.refused(
                        "a seccomp profile on a Windows container",
                        CONTAINER + "/securityContext/seccompProfile",
                        "{type: RuntimeDefault}",
                        "spec.template.spec.containers[0].securityContext.seccompProfile"),
                RuleCase.refused(
                        "Windows options on a Linux pod",
                        POD + "/os/name",
                        "linux",
                        "spec.template.spec.securityContext.windowsOptions"));
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
}
