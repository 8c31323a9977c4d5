package dev.appservice.operator.validation;

import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppSpec;
import dev.appservice.operator.desired.NginxConfig;
import dev.appservice.operator.model.EnvironmentTopology;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.function.Consumer;

/**
 * One app cannot jam its environment. Two caps, checked in this order, each naming the field and
 * the limit:
 *
 * <ul>
 *   <li>what one app may add, by count: extra host names at most {@link WebAppSpec#MAX_HOST_NAMES}
 *       (the CRD's maxItems, so the API server and {@code validate}'s schema pass refuse more; each
 *       slot adds only its own {@code <app>-<slot>} name, at most {@link WebAppSpec#MAX_SLOTS}),
 *       and access rules across the app and its slots at most {@link #MAX_ACCESS_RULES_PER_APP},
 *       counted as the front ends write them (a slot without its own list holds the app's again);
 *   <li>its share of the front ends' configuration, computed by the operator's own generator
 *       ({@link NginxConfig#appBytes}), at most {@link NginxConfig#MAX_APP_BYTES} (an eighth of a
 *       configuration shard), for the app whose entries are long.
 * </ul>
 *
 * So a shard fills only with many apps. Past the webhook an app over its byte share is held alone
 * ({@code FrontEndConfigurationTooLarge}) and every other app keeps routing; the count cap is
 * admission's (an app within its byte share routes whatever its count).
 */
public final class FrontEndShareRules {
    private FrontEndShareRules() {}

    /**
     * The most access rules the front ends hold for one app, its production and its slots
     * together: four full lists ({@link WebAppSpec#MAX_ACCESS_RULES} each), e.g. production and
     * three slots each with 512. At a typical 40 bytes a rule that is about 80 KiB, within
     * {@link NginxConfig#MAX_APP_BYTES}; long rules (an IPv6 prefix, an 80-character name, about
     * 135 bytes) meet the byte share first. App Service allows 512 per slot, each slot a site of
     * its own; here the slots share their environment's front ends, so one app holds at most this.
     */
    public static final int MAX_ACCESS_RULES_PER_APP = 4 * WebAppSpec.MAX_ACCESS_RULES;

    /** The counts first, then the app's share in bytes: one problem, naming the field that weighs most. */
    static void check(
            String object, EnvironmentTopology topology, IsolatedPlan plan, WebApp app, List<Violation> problems) {
        RuleCount rules = RuleCount.of(app);
        if (rules.total() > MAX_ACCESS_RULES_PER_APP) {
            problems.add(Violation.error(object, rules.field(), rules.describe()));
            return;
        }
        int bytes = NginxConfig.appBytes(topology, plan, app);
        if (bytes <= NginxConfig.MAX_APP_BYTES) {
            return;
        }
        problems.add(Violation.error(object, heaviestField(topology, plan, app), describe(bytes)));
    }

    /**
     * The access rules the front ends write for an app: its own list once for production and once
     * more for each slot that has no list of its own, and each slot's own list.
     */
    record RuleCount(int appRules, int inheritingSlots, int slotRules, int slots) {
        static RuleCount of(WebApp app) {
            int inheriting = 0;
            int own = 0;
            for (DeploymentSlot slot : app.getSpec().effectiveSlots()) {
                if (slot.getAccessRestrictions() == null) {
                    inheriting++;
                } else {
                    own += slot.getAccessRestrictions().size();
                }
            }
            return new RuleCount(
                    app.getSpec().effectiveAccessRestrictions().size(),
                    inheriting,
                    own,
                    app.getSpec().effectiveSlots().size());
        }

        int fromAppList() {
            return appRules * (1 + inheritingSlots);
        }

        int total() {
            return fromAppList() + slotRules;
        }

        String field() {
            return slotRules >= fromAppList() ? "spec.slots[*].accessRestrictions" : "spec.accessRestrictions";
        }

        String describe() {
            return "make " + total() + " access rules across the app and its " + slots + " slot"
                    + (slots == 1 ? "" : "s") + " (spec.accessRestrictions " + appRules
                    + (inheritingSlots > 0
                            ? ", written again for " + inheritingSlots + " slot" + (inheritingSlots == 1 ? "" : "s")
                                    + " without a list of their own"
                            : "")
                    + "; the slots' own lists " + slotRules + "), more than one app may hold: at most "
                    + MAX_ACCESS_RULES_PER_APP + " per app (" + WebAppSpec.MAX_ACCESS_RULES
                    + " in each list), so that only many apps can fill the environment's front-end configuration;"
                    + " fewer rules or slots";
        }
    }

    /** What the status of a held app and a refusal say. */
    public static String describe(int bytes) {
        return "makes the app's share of the front ends' configuration " + bytes + " bytes (at most "
                + NginxConfig.MAX_APP_BYTES
                + " per app, with its slots: an eighth of a configuration shard, so that one app cannot fill the"
                + " environment's); fewer access restrictions, host names or slots";
    }

    private static final KubernetesSerialization COPIES = new KubernetesSerialization();

    /**
     * The field that weighs most, by the generator itself: the bytes the app's share loses without
     * it (the slots' own access rules, the app's access rules, which slots without their own
     * repeat, its host names; then its slots).
     */
    static String heaviestField(EnvironmentTopology topology, IsolatedPlan plan, WebApp app) {
        int bytes = NginxConfig.appBytes(topology, plan, app);
        List<String> hosts = topology.hostNames(app);
        int slotRules = bytes
                - bytesWithout(
                        topology,
                        plan,
                        app,
                        hosts,
                        a -> a.getSpec()
                                .effectiveSlots()
                                .forEach(s ->
                                        s.setAccessRestrictions(s.getAccessRestrictions() == null ? null : List.of())));
        int appRules = bytes
                - bytesWithout(topology, plan, app, hosts, a -> a.getSpec().setAccessRestrictions(null));
        // Without its host names the app is served at its default name alone (held first).
        int hostNames = bytes - bytesWithout(topology, plan, app, hosts.subList(0, 1), a -> {});
        if (slotRules >= appRules && slotRules >= hostNames && slotRules > 0) {
            return "spec.slots[*].accessRestrictions";
        }
        if (appRules >= hostNames && appRules > 0) {
            return "spec.accessRestrictions";
        }
        return hostNames > 0 ? "spec.hostNames" : "spec.slots";
    }

    /** The app's share with a copy of it changed, served at the given host names. */
    private static int bytesWithout(
            EnvironmentTopology topology, IsolatedPlan plan, WebApp app, List<String> hosts, Consumer<WebApp> change) {
        WebApp copy = COPIES.clone(app);
        change.accept(copy);
        return NginxConfig.appBytesAt(topology, plan, copy, hosts);
    }
}
