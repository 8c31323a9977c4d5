package dev.appservice.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.PodSecurityLevel;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What an app's pod gives its image: its own user, any port, writable /tmp and HOME, the platform variables. */
class AppPlatformTest {
    private final IsolatedPlan plan = Fixtures.plan("team", "web", "ase1", InstanceSize.I1, 2);

    private PodSpec pod(AppServiceEnvironment environment, WebApp app) {
        var topology = new EnvironmentTopology(environment, List.of(plan), List.of(app));
        return AppWorkloads.deployment(topology, plan, app)
                .getSpec()
                .getTemplate()
                .getSpec();
    }

    private static Map<String, EnvVar> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }

    @Test
    void atRestrictedAnAppRunsAsItsImagesNonRootUserOnAnyPort() {
        PodSpec pod = pod(Fixtures.environment("team", "ase1"), Fixtures.app("team", "shop", "web", 80));
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).as("no forced uid").isNull();
        assertThat(pod.getSecurityContext().getRunAsGroup()).isNull();
        assertThat(pod.getSecurityContext().getFsGroup()).isNull();
        assertThat(pod.getSecurityContext().getSysctls()).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo("net.ipv4.ip_unprivileged_port_start");
            assertThat(s.getValue()).isEqualTo("0");
        });
        Container container = pod.getContainers().get(0);
        assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(80);
        assertThat(container.getSecurityContext().getRunAsUser()).isNull();
        assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(container.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
    }

    @Test
    void runAsUserAndGroupAreTheSpecsAndASlotMaySetItsOwn() {
        WebApp app = Fixtures.app("team", "shop", "web", 8080);
        app.getSpec().setRunAsUser(1000L);
        app.getSpec().setRunAsGroup(3000L);
        PodSpec pod = pod(Fixtures.environment("team", "ase1"), app);
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
        assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(3000L);

        DeploymentSlot staging = new DeploymentSlot();
        staging.setName("staging");
        staging.setImage("registry.example/shop:2.0");
        staging.setRunAsUser(2000L);
        app.getSpec().setSlots(List.of(staging));
        var topology = new EnvironmentTopology(Fixtures.environment("team", "ase1"), List.of(plan), List.of(app));
        PodSpec slot = SlotWorkloads.deployment(topology, plan, app, "staging")
                .getSpec()
                .getTemplate()
                .getSpec();
        assertThat(slot.getSecurityContext().getRunAsUser()).isEqualTo(2000L);
        assertThat(slot.getSecurityContext().getRunAsGroup()).as("the app's").isEqualTo(3000L);
        assertThat(env(slot.getContainers().get(0)).get("WEBSITE_HOSTNAME").getValue())
                .isEqualTo("shop-staging.ase1.p.appservice.local");
        assertThat(env(slot.getContainers().get(0)).get("WEBSITE_SITE_NAME").getValue())
                .isEqualTo("shop");
    }

    @Test
    void atBaselineRootImagesRunWithoutEscalationOrAddedCapabilities() {
        AppServiceEnvironment environment = Fixtures.environment("team", "ase1");
        environment.getSpec().setPodSecurity(PodSecurityLevel.Baseline);
        PodSpec pod = pod(environment, Fixtures.app("team", "shop", "web", 80));
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isNull();
        assertThat(pod.getSecurityContext().getRunAsUser()).isNull();
        Container container = pod.getContainers().get(0);
        assertThat(container.getSecurityContext().getRunAsNonRoot()).isNull();
        assertThat(container.getSecurityContext().getPrivileged()).isFalse();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(container.getSecurityContext().getCapabilities().getDrop())
                .contains("NET_RAW")
                .doesNotContain("ALL", "SETUID", "SETGID", "CHOWN", "NET_BIND_SERVICE");
        assertThat(container.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    }

    @Test
    void tmpAndHomeAreWritableEmptyDirectoriesOfBoundedSize() {
        PodSpec pod = pod(Fixtures.environment("team", "ase1"), Fixtures.app("team", "shop", "web", 8080));
        assertThat(pod.getVolumes()).hasSize(2).allSatisfy(v -> {
            assertThat(v.getEmptyDir()).isNotNull();
            assertThat(v.getEmptyDir().getSizeLimit().toString()).isEqualTo("1Gi");
        });
        Container container = pod.getContainers().get(0);
        assertThat(container.getVolumeMounts())
                .extracting(VolumeMount::getMountPath)
                .containsExactly("/tmp", "/home/appservice");
        assertThat(container.getVolumeMounts())
                .allSatisfy(m -> assertThat(m.getReadOnly()).isNotEqualTo(true));
        assertThat(env(container).get("HOME").getValue()).isEqualTo("/home/appservice");
    }

    @Test
    void thePlatformVariablesAreInjectedAndTheSpecsOwnFollow() {
        WebApp app = Fixtures.app("team", "shop", "web", 9000);
        app.getSpec()
                .setEnv(List.of(
                        new EnvVarBuilder().withName("FOO").withValue("bar").build(),
                        new EnvVarBuilder().withName("HOME").withValue("/data").build()));
        Container container =
                pod(Fixtures.environment("team", "ase1"), app).getContainers().get(0);
        Map<String, EnvVar> env = env(container);
        assertThat(env.get("WEBSITE_SITE_NAME").getValue()).isEqualTo("shop");
        assertThat(env.get("WEBSITE_HOSTNAME").getValue()).isEqualTo("shop.ase1.p.appservice.local");
        assertThat(env.get("WEBSITE_INSTANCE_ID").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.name");
        assertThat(env.get("WEBSITE_SKU").getValue()).isEqualTo("Isolated");
        assertThat(env.get("PORT").getValue()).isEqualTo("9000");
        assertThat(env.get("WEBSITES_PORT").getValue()).isEqualTo("9000");
        assertThat(env.get("FOO").getValue()).isEqualTo("bar");
        assertThat(env.get("HOME").getValue()).as("the spec's own HOME").isEqualTo("/data");
        assertThat(container.getEnv()).extracting(EnvVar::getName).doesNotHaveDuplicates();
    }
}
