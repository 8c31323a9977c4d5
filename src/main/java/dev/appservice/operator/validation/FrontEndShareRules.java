package dev.appservice.operator.validation;

import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.desired.NginxConfig;
import dev.appservice.operator.model.EnvironmentTopology;
import java.util.List;

/**
 * One app cannot jam its environment: its share of the front ends' configuration, computed by the
 * operator's own generator ({@link NginxConfig#appBytes}), is at most {@link NginxConfig#MAX_APP_BYTES}
 * (an eighth of a configuration shard), so a shard fills only with many apps. An app past it is
 * refused, naming the field that makes it large; past the webhook it is held alone
 * ({@code FrontEndConfigurationTooLarge}) and every other app keeps routing.
 */
public final class FrontEndShareRules {
    private FrontEndShareRules() {}

    /** The app's share, checked against the limit; the field that weighs most is named. */
    static void check(
            String object, EnvironmentTopology topology, IsolatedPlan plan, WebApp app, List<Violation> problems) {
        int bytes = NginxConfig.appBytes(topology, plan, app);
        if (bytes <= NginxConfig.MAX_APP_BYTES) {
            return;
        }
        problems.add(Violation.error(object, heaviestField(app), describe(bytes)));
    }

    /** What the status of a held app and a refusal say. */
    public static String describe(int bytes) {
        return "makes the app's share of the front ends' configuration " + bytes + " bytes (at most "
                + NginxConfig.MAX_APP_BYTES
                + " per app, with its slots: an eighth of a configuration shard, so that one app cannot fill the"
                + " environment's); fewer access restrictions, host names or slots";
    }

    /**
     * The field that weighs most, by what it writes per entry: each access rule is a line of the
     * app's {@code geo} table, each host name is written in every server of the app and its slots.
     */
    static String heaviestField(WebApp app) {
        int appRules = app.getSpec().effectiveAccessRestrictions().size();
        int slotRules = app.getSpec().effectiveSlots().stream()
                .mapToInt(slot -> slot.getAccessRestrictions() == null
                        ? 0
                        : slot.getAccessRestrictions().size())
                .sum();
        int hostNames = app.getSpec().effectiveHostNames().size()
                * (1 + app.getSpec().effectiveSlots().size());
        if (slotRules >= appRules && slotRules >= hostNames && slotRules > 0) {
            return "spec.slots[*].accessRestrictions";
        }
        if (appRules >= hostNames && appRules > 0) {
            return "spec.accessRestrictions";
        }
        return hostNames > 0 ? "spec.hostNames" : "spec.slots";
    }
}
