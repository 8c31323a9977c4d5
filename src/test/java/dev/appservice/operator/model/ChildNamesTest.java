package dev.appservice.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.desired.WorkerPools;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Child names cannot collide (issue 17, defect 2): the cases found, and every name a valid DNS label. */
class ChildNamesTest {
    private static final String DNS_LABEL = "[a-z]([-a-z0-9]*[a-z0-9])?";

    @Test
    void namesThatDifferOnlyByDotsDashesOrALeadingDigitGetDifferentChildren() {
        assertThat(ResourceNames.frontEndDeployment("a.b")).isNotEqualTo(ResourceNames.frontEndDeployment("a-b"));
        assertThat(ResourceNames.vipService("a.b")).isNotEqualTo(ResourceNames.vipService("a-b"));
        assertThat(ResourceNames.workerDeployment("1web")).isNotEqualTo(ResourceNames.workerDeployment("x1web"));
        assertThat(ResourceNames.workerDeployment("Web")).isNotEqualTo(ResourceNames.workerDeployment("web"));
        // A canonical name keeps its readable child names.
        assertThat(ResourceNames.frontEndDeployment("a-b")).isEqualTo("a-b-frontend");
        assertThat(ResourceNames.workerDeployment("web")).isEqualTo("web-workers");
    }

    @Test
    void aPoolPlaceholderNeverTakesAPlansOrAnotherEnvironmentsName() {
        assertThat(WorkerPools.deploymentName("a", "workers")).isNotEqualTo(ResourceNames.workerDeployment("a-pool"));
        assertThat(WorkerPools.deploymentName("a", "b-c")).isNotEqualTo(WorkerPools.deploymentName("a-b", "c"));
        assertThat(WorkerPools.deploymentName("a", "x-frontend"))
                .isNotEqualTo(ResourceNames.frontEndDeployment("a-pool-x"));
        assertThat(WorkerPools.deploymentName("ase", "small")).startsWith("ase-pool-small-");
    }

    @Test
    void namesCutToTheLabelLimitStayDistinctAndValid() {
        String long1 = "a".repeat(200) + ".one";
        String long2 = "a".repeat(200) + ".two";
        List<String> names = new ArrayList<>();
        for (String base : List.of(long1, long2, "a".repeat(253), "a.b", "a-b", "1web", "x1web", "web")) {
            for (String name : List.of(
                    ResourceNames.frontEndDeployment(base),
                    ResourceNames.frontEndConfig(base),
                    ResourceNames.vipService(base),
                    ResourceNames.internalService(base),
                    ResourceNames.managementService(base),
                    ResourceNames.workerDeployment(base),
                    WorkerPools.deploymentName(base, "pool-name-of-twenty"))) {
                assertThat(name)
                        .hasSizeLessThanOrEqualTo(ResourceNames.MAX_LABEL_LENGTH)
                        .matches(DNS_LABEL);
                names.add(name);
            }
        }
        Set<String> distinct = new HashSet<>(names);
        assertThat(distinct).hasSameSizeAs(names);
    }
}
