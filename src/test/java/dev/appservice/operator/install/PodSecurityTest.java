package dev.appservice.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.cli.DesiredObjects;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every pod the chart can render, and every pod the operator creates, meets the Pod Security "restricted" profile. */
class PodSecurityTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "watchNamespaces: [team-a, team-b]",
                "replicaCount: 1\nleaderElection: {enabled: false}\npodDisruptionBudget: {enabled: false}",
                "runAsUser: null\nrunAsGroup: null",
                "rbac: {create: false}\nserviceAccount: {create: false, name: existing}",
                "operator: {extraEnv: [{name: QUARKUS_LOG_LEVEL, value: DEBUG}], placeholderImage: registry.local/nginx:1}",
                "webhook: {certificates: {mode: cert-manager}}",
                "webhook: {enabled: false}",
            })
    void everyPodTemplateIsRestricted(String values) {
        Manifest manifest = HelmChart.render(values);
        List<PodSpec> pods = podTemplates(manifest);
        assertThat(pods).as("the chart renders the operator's pods").isNotEmpty();
        for (PodSpec pod : pods) {
            assertThat(RestrictedPodSecurity.violations(pod))
                    .as("values %s", values)
                    .isEmpty();
        }
    }

    /** The pod specs of every workload in a manifest. */
    static List<PodSpec> podTemplates(Manifest manifest) {
        List<PodSpec> pods = new ArrayList<>();
        for (Map<String, Object> object : manifest.objects()) {
            String kind = Manifest.kind(object);
            Object spec = switch (kind) {
                case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" ->
                    path(object, "spec", "template", "spec");
                case "CronJob" -> path(object, "spec", "jobTemplate", "spec", "template", "spec");
                case "Pod" -> path(object, "spec");
                default -> null;
            };
            if (spec != null) {
                pods.add(Manifest.convert(spec, PodSpec.class));
            }
        }
        return pods;
    }

    @SuppressWarnings("unchecked")
    private static Object path(Map<String, Object> object, String... keys) {
        Object current = object;
        for (String key : keys) {
            current = current instanceof Map<?, ?> map ? ((Map<String, Object>) map).get(key) : null;
        }
        return current;
    }

    @Test
    void everyPodTheOperatorCreatesIsRestricted() {
        // A plan with apps: its placeholder and each app's own Deployment; the environment's front ends.
        WebApp withEnv = Fixtures.app("team", "shop", "web", 8080);
        withEnv.getSpec()
                .setEnv(List.of(new io.fabric8.kubernetes.api.model.EnvVarBuilder()
                        .withName("A")
                        .withValue("b")
                        .build()));
        withEnv.getSpec().setHealthCheckPath("/health");
        List<Deployment> deployments = DesiredObjects.of(
                        List.of(Fixtures.environment("team", "ase1")),
                        List.of(Fixtures.plan("team", "web", "ase1", InstanceSize.I2, 3)),
                        List.of(withEnv, Fixtures.app("team", "blog", "web", 9000)),
                        OperatorSettings.defaults(),
                        warning -> {})
                .stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .toList();
        assertThat(deployments)
                .extracting(d -> d.getMetadata().getName())
                .contains("web-workers", ResourceNames.appWorkload("shop"), ResourceNames.appWorkload("blog"));
        for (Deployment d : deployments) {
            // This project's checker also asks for a read-only root file system, which the profile does not: an
            // app's own container may write where its image expects (PodSecurity.restrictedContainer(false)).
            boolean app = d.getMetadata().getLabels().containsKey(StandardLabels.WEBAPP);
            assertThat(RestrictedPodSecurity.violations(
                                    d.getSpec().getTemplate().getSpec())
                            .stream()
                            .filter(v -> !(app && v.endsWith("readOnlyRootFilesystem must be true")))
                            .toList())
                    .as(d.getMetadata().getName())
                    .isEmpty();
        }
    }

    @Test
    void atBaselineAppPodsBreakOnlyTheRestrictedControlsBaselineLifts() {
        var environment = Fixtures.environment("team", "ase1");
        environment.getSpec().setPodSecurity(dev.appservice.operator.api.PodSecurityLevel.Baseline);
        List<Deployment> deployments = DesiredObjects.of(
                        List.of(environment),
                        List.of(Fixtures.plan("team", "web", "ase1", InstanceSize.I2, 3)),
                        List.of(Fixtures.app("team", "shop", "web", 80)),
                        OperatorSettings.defaults(),
                        warning -> {})
                .stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .toList();
        for (Deployment d : deployments) {
            boolean app = d.getMetadata().getLabels().containsKey(StandardLabels.WEBAPP);
            // Root allowed, the runtime's default capabilities kept (none added): the baseline profile's controls
            // all hold; only restricted's non-root and drop-ALL do not, and the read-only root this project asks.
            assertThat(RestrictedPodSecurity.violations(
                                    d.getSpec().getTemplate().getSpec())
                            .stream()
                            .filter(v -> !(app
                                    && (v.endsWith("readOnlyRootFilesystem must be true")
                                            || v.endsWith("runAsNonRoot must be true (on the container or the pod)")
                                            || v.endsWith("capabilities must drop ALL"))))
                            .toList())
                    .as(d.getMetadata().getName())
                    .isEmpty();
        }
    }

    /**
     * A Windows plan's pods (its placeholder, an app, a function app and its slot): valid on the API
     * server, whose validating layer refuses Linux-only fields on Windows pods; restricted by the
     * profile's Windows rules; and placed on Windows nodes only.
     */
    @Test
    void aWindowsPlansPodsAreValidRestrictedAndOnWindowsNodesOnly() {
        var functions = Fixtures.functionApp("team", "orders", "win", 8080, "dotnet-isolated");
        var slot = new dev.appservice.operator.api.DeploymentSlot();
        slot.setName("staging");
        slot.setImage("registry.example/orders:2.0");
        functions.getSpec().setSlots(List.of(slot));
        List<io.fabric8.kubernetes.api.model.HasMetadata> objects = DesiredObjects.of(
                List.of(Fixtures.environment("team", "ase1")),
                List.of(Fixtures.plan(
                        "team",
                        "win",
                        "ase1",
                        InstanceSize.I2,
                        2,
                        dev.appservice.operator.api.OperatingSystem.Windows)),
                List.of(Fixtures.app("team", "site", "win", 8080), functions),
                OperatorSettings.defaults(),
                warning -> {});
        List<Deployment> deployments = objects.stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .filter(d -> !d.getMetadata().getName().endsWith("-frontend"))
                .toList();
        assertThat(deployments)
                .extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        "win-workers",
                        ResourceNames.appWorkload("site"),
                        ResourceNames.appWorkload("orders"),
                        ResourceNames.slotWorkload("orders", "staging"));
        var apiServer = new dev.appservice.operator.testing.apiserver.KubernetesApiValidation(
                dev.appservice.operator.testing.apiserver.CustomResourceSchemas.fromProject());
        for (Deployment d : deployments) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            String name = d.getMetadata().getName();
            assertThat(pod.getOs().getName()).as(name).isEqualTo("windows");
            assertThat(pod.getNodeSelector()).as(name).containsEntry("kubernetes.io/os", "windows");
            assertThat(pod.getTolerations()).as(name).anySatisfy(t -> {
                assertThat(t.getKey()).isEqualTo("os");
                assertThat(t.getOperator()).isEqualTo("Equal");
                assertThat(t.getValue()).isEqualTo("windows");
                assertThat(t.getEffect()).isEqualTo("NoSchedule");
            });
            assertThat(RestrictedPodSecurity.violations(pod)).as(name).isEmpty();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getSecurityContext().getWindowsOptions().getRunAsUserName())
                    .as(name)
                    .isEqualTo("ContainerUser");
            assertThat(apiServer.validate(
                            io.fabric8.kubernetes.client.utils.Serialization.jsonMapper()
                                    .valueToTree(d),
                            null))
                    .as(name)
                    .isEmpty();
        }
        assertThat(deployments.stream()
                        .filter(d -> d.getMetadata().getName().equals("win-workers"))
                        .findFirst()
                        .orElseThrow()
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo(dev.appservice.operator.desired.WindowsPods.PLACEHOLDER_IMAGE);
        // The front ends stay Linux.
        objects.stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .filter(d -> d.getMetadata().getName().endsWith("-frontend"))
                .forEach(d ->
                        assertThat(d.getSpec().getTemplate().getSpec().getOs()).isNull());
    }

    @Test
    void theCheckerAppliesTheWindowsRulesToWindowsPods() {
        PodSpec windows = new PodSpecBuilder()
                .withNewOs("windows")
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .endSecurityContext()
                .addNewContainer()
                .withName("app")
                .withImage("registry.example/win:1")
                .endContainer()
                .build();
        // No seccomp, no capabilities, no allowPrivilegeEscalation, no read-only root: Linux-only controls.
        assertThat(RestrictedPodSecurity.violations(windows)).isEmpty();
        assertThat(RestrictedPodSecurity.violations(new PodSpecBuilder(windows)
                        .editSecurityContext()
                        .withRunAsNonRoot(null)
                        .endSecurityContext()
                        .build()))
                .anyMatch(v -> v.contains("runAsNonRoot"));
        assertThat(RestrictedPodSecurity.violations(new PodSpecBuilder(windows)
                        .editSecurityContext()
                        .withNewWindowsOptions()
                        .withHostProcess(true)
                        .endWindowsOptions()
                        .endSecurityContext()
                        .build()))
                .anyMatch(v -> v.contains("hostProcess"));
        // The same pod as a Linux pod breaks the Linux-only controls.
        assertThat(RestrictedPodSecurity.violations(
                        new PodSpecBuilder(windows).withOs(null).build()))
                .anyMatch(v -> v.contains("seccompProfile"))
                .anyMatch(v -> v.contains("capabilities must drop ALL"));
    }

    // The checker itself: it passes the chart's pod and catches each way of breaking the profile.

    private static PodSpec chartPod() {
        Deployment operator = HelmChart.render().one("Deployment", Deployment.class);
        return operator.getSpec().getTemplate().getSpec();
    }

    private static List<String> violationsAfter(UnaryOperator<PodSpecBuilder> change) {
        return RestrictedPodSecurity.violations(
                change.apply(new PodSpecBuilder(chartPod())).build());
    }

    @Test
    void theCheckerCatchesEachBreach() {
        assertThat(RestrictedPodSecurity.violations(chartPod())).isEmpty();
        assertThat(violationsAfter(p -> p.editSecurityContext()
                        .withSeccompProfile(null)
                        .endSecurityContext()
                        .editFirstContainer()
                        .editSecurityContext()
                        .withSeccompProfile(null)
                        .endSecurityContext()
                        .endContainer()))
                .anyMatch(v -> v.contains("seccompProfile"));
        assertThat(violationsAfter(p -> p.editSecurityContext()
                        .withRunAsNonRoot(null)
                        .endSecurityContext()
                        .editFirstContainer()
                        .editSecurityContext()
                        .withRunAsNonRoot(null)
                        .endSecurityContext()
                        .endContainer()))
                .anyMatch(v -> v.contains("runAsNonRoot"));
        assertThat(violationsAfter(
                        p -> p.editSecurityContext().withRunAsUser(0L).endSecurityContext()))
                .anyMatch(v -> v.contains("runAsUser"));
        assertThat(violationsAfter(p -> p.editFirstContainer()
                        .editSecurityContext()
                        .withAllowPrivilegeEscalation(null)
                        .endSecurityContext()
                        .endContainer()))
                .anyMatch(v -> v.contains("allowPrivilegeEscalation"));
        assertThat(violationsAfter(p -> p.editFirstContainer()
                        .editSecurityContext()
                        .withPrivileged(true)
                        .endSecurityContext()
                        .endContainer()))
                .anyMatch(v -> v.contains("privileged"));
        assertThat(violationsAfter(p -> p.editFirstContainer()
                        .editSecurityContext()
                        .editCapabilities()
                        .withDrop()
                        .withAdd("SYS_ADMIN")
                        .endCapabilities()
                        .endSecurityContext()
                        .endContainer()))
                .anyMatch(v -> v.contains("drop ALL"))
                .anyMatch(v -> v.contains("SYS_ADMIN"));
        assertThat(violationsAfter(p -> p.editFirstContainer()
                        .editSecurityContext()
                        .withReadOnlyRootFilesystem(false)
                        .endSecurityContext()
                        .endContainer()))
                .anyMatch(v -> v.contains("readOnlyRootFilesystem"));
        assertThat(violationsAfter(p -> p.addNewVolume()
                        .withName("host")
                        .withNewHostPath()
                        .withPath("/var")
                        .endHostPath()
                        .endVolume()))
                .anyMatch(v -> v.contains("hostPath"));
        assertThat(violationsAfter(p -> p.withHostNetwork(true))).anyMatch(v -> v.contains("host namespaces"));
        assertThat(violationsAfter(p -> p.editFirstContainer()
                        .editFirstPort()
                        .withHostPort(8080)
                        .endPort()
                        .endContainer()))
                .anyMatch(v -> v.contains("hostPort"));
        assertThat(violationsAfter(p -> p.addNewInitContainer()
                        .withName("init")
                        .withImage("busybox")
                        .endInitContainer()))
                .anyMatch(v -> v.startsWith("container init:"));
    }
}
