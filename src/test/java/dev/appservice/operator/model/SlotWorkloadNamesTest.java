package dev.appservice.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The names of slots' Deployments and Services: DNS-1035 labels that no app's or other slot's workload takes. */
class SlotWorkloadNamesTest {
    private static final Pattern DNS_1035_LABEL = Pattern.compile("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$");

    @Test
    void slotWorkloadsAreLabelsApartFromEveryAppsAndEachOthers() {
        assertThat(ResourceNames.slotWorkload("shop", "staging"))
                .startsWith("shop-staging-")
                .hasSize("shop-staging-".length() + 8);
        Set<String> names = new HashSet<>();
        String[] apps = {"shop", "shop-staging", "shop.staging", "a".repeat(253), "a".repeat(252) + "b", "9lives", "x"};
        String[] slots = {"staging", "staging-2", "a".repeat(63), "0"};
        for (String app : apps) {
            assertThat(names.add(ResourceNames.appWorkload(app))).as(app).isTrue();
            for (String slot : slots) {
                String name = ResourceNames.slotWorkload(app, slot);
                assertThat(name).as(app + "/" + slot).matches(DNS_1035_LABEL);
                assertThat(names.add(name)).as("unique: " + app + "/" + slot).isTrue();
            }
        }
        // The app named like its slot's workload's head is still apart: the hash is of "app/slot", and no app name has
        // '/'.
        assertThat(ResourceNames.slotWorkload("shop", "staging"))
                .isNotEqualTo(ResourceNames.appWorkload("shop-staging"));
        // A swap renames nothing: the names depend on the app and the slot only.
        assertThat(AppDeployments.workload("shop", AppDeployments.PRODUCTION))
                .isEqualTo(ResourceNames.appWorkload("shop"));
        assertThat(AppDeployments.workload("shop", "staging")).isEqualTo(ResourceNames.slotWorkload("shop", "staging"));
    }
}
