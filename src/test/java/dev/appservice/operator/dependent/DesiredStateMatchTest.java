package dev.appservice.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** What the API server adds to a child is not a difference; what the operator sets is compared. */
class DesiredStateMatchTest {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static Deployment desired() {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName("shop")
                .addToLabels("app.kubernetes.io/name", "shop")
                .endMetadata()
                .withNewSpec()
                .withReplicas(3)
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("shop:1")
                .withNewLivenessProbe()
                .withPeriodSeconds(10)
                .endLivenessProbe()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** As a real API server returns it: defaults (one equal to a value set elsewhere), server metadata, status. */
    static Deployment asServerReturnsIt(Deployment desired) {
        return new DeploymentBuilder(desired)
                .editMetadata()
                .withResourceVersion("42")
                .withUid("0000")
                .withGeneration(1L)
                .addToAnnotations("deployment.kubernetes.io/revision", "1")
                .endMetadata()
                .editSpec()
                .withRevisionHistoryLimit(10)
                .withProgressDeadlineSeconds(600)
                .editTemplate()
                .editSpec()
                .withRestartPolicy("Always")
                .editFirstContainer()
                .withTerminationMessagePath("/dev/termination-log")
                .withImagePullPolicy("IfNotPresent")
                .editLivenessProbe()
                .withTimeoutSeconds(1)
                .withFailureThreshold(3)
                .endLivenessProbe()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .withNewStatus()
                .withReplicas(3)
                .endStatus()
                .build();
    }

    @Test
    void serverDefaultsEqualToAnotherValueAreNotADifference() {
        assertThat(DesiredStateMatch.matches(desired(), asServerReturnsIt(desired()), SERIALIZATION))
                .isTrue();
    }

    @Test
    void aValueTheOperatorSetsIsCompared() {
        Deployment actual = asServerReturnsIt(desired());
        actual.getSpec().setReplicas(2);
        assertThat(DesiredStateMatch.matches(desired(), actual, SERIALIZATION)).isFalse();

        Deployment otherImage = asServerReturnsIt(desired());
        otherImage.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("shop:0");
        assertThat(DesiredStateMatch.matches(desired(), otherImage, SERIALIZATION))
                .isFalse();
    }

    @Test
    void aLabelTheOperatorSetsIsComparedButOthersLabelsAreKept() {
        Deployment relabelled = asServerReturnsIt(desired());
        relabelled.getMetadata().getLabels().put("app.kubernetes.io/name", "other");
        assertThat(DesiredStateMatch.matches(desired(), relabelled, SERIALIZATION))
                .isFalse();

        Deployment extra = asServerReturnsIt(desired());
        extra.getMetadata().getLabels().put("team", "web");
        assertThat(DesiredStateMatch.matches(desired(), extra, SERIALIZATION)).isTrue();
    }
}
