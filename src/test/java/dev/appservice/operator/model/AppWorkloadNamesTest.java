package dev.appservice.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.InstanceSize;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Names and resources of the objects that run one app. */
class AppWorkloadNamesTest {

    @Test
    void appsWhoseNamesDifferOnlyByDotsDashesOrBeyondTheLengthKeptGetDifferentNames() {
        String longName = "a".repeat(100);
        List<String> apps = List.of("shop.v1", "shop-v1", longName + "x", longName + "y", "1shop", "web");
        Set<String> names = new HashSet<>();
        for (String app : apps) {
            String name = ResourceNames.appWorkload(app);
            assertThat(name)
                    .hasSizeLessThanOrEqualTo(ResourceNames.MAX_LABEL_LENGTH)
                    .matches("[a-z]([-a-z0-9]*[a-z0-9])?");
            names.add(name);
        }
        assertThat(names).hasSize(apps.size());
        // Never the name of a plan's or an environment's child.
        assertThat(ResourceNames.appWorkload("web"))
                .isNotEqualTo(ResourceNames.workerDeployment("web"))
                .startsWith("web-")
                .doesNotEndWith("-workers");
        assertThat(ResourceNames.appWorkload("ase1-frontend")).isNotEqualTo(ResourceNames.frontEndDeployment("ase1"));
        assertThat(ResourceNames.appWorkload("web")).isEqualTo(ResourceNames.appWorkload("web"));
    }

    @Test
    void everyAppRequestsItsShareOfTheDensityAndMayBurstToTheInstance() {
        for (InstanceSize size : InstanceSize.values()) {
            int density = AppDensity.appsPerInstance(size);
            assertThat(AppDensity.appMilliCpu(size) * density).isEqualTo(size.vCpus() * 1000);
            assertThat(AppDensity.appMemoryMiB(size) * density).isEqualTo(size.memoryMiB());
            assertThat(AppDensity.appResources(size).getLimits().get("cpu").toString())
                    .isEqualTo(size.cpuQuantity());
            // The placeholder and the apps together hold exactly the instance.
            for (int apps = 0; apps < density; apps++) {
                var held = AppDensity.placeholderResources(size, apps).getRequests();
                assertThat(new java.math.BigDecimal(held.get("cpu")
                                                .getNumericalAmount()
                                                .toPlainString())
                                        .movePointRight(3)
                                        .intValue()
                                + apps * AppDensity.appMilliCpu(size))
                        .isEqualTo(size.vCpus() * 1000);
            }
            assertThat(AppDensity.placeholderHoldsCapacity(size, density)).isFalse();
        }
        assertThat(AppDensity.appsPerInstance(InstanceSize.I1))
                .isEqualTo(AppDensity.I1_APPS_PER_INSTANCE)
                .isEqualTo(8);
        assertThat(AppDensity.appsPerInstance(InstanceSize.I2)).isEqualTo(16);
        assertThat(AppDensity.appsPerInstance(InstanceSize.I3)).isEqualTo(32);
    }
}
