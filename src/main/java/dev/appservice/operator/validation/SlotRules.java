package dev.appservice.operator.validation;

import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppSpec;
import dev.appservice.operator.model.AppDeployments;
import dev.appservice.operator.model.PlatformVariables;
import dev.appservice.operator.model.Quoted;
import dev.appservice.operator.model.ResourceNames;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules for an app's deployment slots ({@code spec.slots}) and swap ({@code spec.production})
 * that the CRD schema cannot say: each slot's name neither a reserved routing name nor the app's,
 * unique, making a host label {@code <app>-<slot>} of at most 63 characters; settings checked as
 * the app's are; traffic shares of at most 100 in total; and {@code spec.production} naming
 * {@code production} or one of the slots. The schema has the rest: at most {@link
 * WebAppSpec#MAX_SLOTS} slots, each with a name (a DNS label) and an image, its health check path
 * and its traffic share (0 to 100).
 */
public final class SlotRules {
    /** Names a slot may not take: the app's own deployment, the routing name that opts out of slots, nginx map keywords. */
    public static final Set<String> RESERVED_NAMES =
            Set.of(AppDeployments.PRODUCTION, AppDeployments.SELF, "default", "hostnames", "include", "volatile");

    public static final int MAX_TOTAL_TRAFFIC_PERCENT = 100;

    private SlotRules() {}

    static void check(String object, WebApp app, List<Violation> problems) {
        WebAppSpec spec = app.getSpec();
        List<DeploymentSlot> slots = spec.effectiveSlots();
        String appName = app.getMetadata() == null || app.getMetadata().getName() == null
                ? ""
                : app.getMetadata().getName();
        Set<String> names = new HashSet<>();
        int totalTraffic = 0;
        for (int i = 0; i < slots.size(); i++) {
            String field = "spec.slots[" + i + "]";
            DeploymentSlot slot = slots.get(i);
            if (slot == null) {
                problems.add(Violation.error(object, field, "is required"));
                continue;
            }
            name(object, field + ".name", appName, slot.getName(), names, problems);
            totalTraffic += slot.effectiveTrafficPercent();
            settings(object, field, slot, problems);
        }
        if (totalTraffic > MAX_TOTAL_TRAFFIC_PERCENT) {
            problems.add(Violation.error(
                    object,
                    "spec.slots[*].trafficPercent",
                    "add up to " + totalTraffic + "; the slots may take at most " + MAX_TOTAL_TRAFFIC_PERCENT
                            + " percent of production traffic in total"));
        }
        String production = spec.getProduction();
        if (production != null && !AppDeployments.PRODUCTION.equals(production) && !names.contains(production)) {
            problems.add(Violation.error(
                    object,
                    "spec.production",
                    "must be '" + AppDeployments.PRODUCTION + "' or the name of one of spec.slots, got "
                            + Quoted.of(production)));
        }
    }

    /**
     * The slots' host names in the app's environment, adding a problem for each that passes the
     * 253 characters of a DNS name (with the environment's DNS suffix).
     */
    static List<String> hostProblems(
            String object,
            dev.appservice.operator.model.EnvironmentTopology topology,
            WebApp app,
            List<Violation> problems) {
        List<String> hosts = AppDeployments.slotHostNames(topology, app);
        for (int i = 0; i < hosts.size(); i++) {
            if (hosts.get(i).length() > HostNameRules.HOST_NAME_LENGTH) {
                problems.add(Violation.error(
                        object,
                        "spec.slots[" + i + "].name",
                        "makes the slot's host name " + hosts.get(i).length() + " characters long (at most "
                                + HostNameRules.HOST_NAME_LENGTH + ")"));
            }
        }
        return hosts;
    }

    private static void name(
            String object, String field, String appName, String name, Set<String> names, List<Violation> problems) {
        if (name == null) {
            return; // required by the schema, a DNS label there
        }
        if (RESERVED_NAMES.contains(name) || name.equals(appName)) {
            problems.add(Violation.error(
                    object,
                    field,
                    Quoted.of(name) + " is reserved for the app's production deployment or its routing"
                            + " (reserved: the app's name, "
                            + String.join(", ", RESERVED_NAMES.stream().sorted().toList()) + ")"));
            return;
        }
        if (!names.add(name)) {
            problems.add(Violation.error(
                    object,
                    field,
                    Quoted.of(name) + " is the name of another slot of the app; slot names must be unique"));
            return;
        }
        // The slot's host is <app>-<slot>.<dnsSuffix>: the app's last label and the slot's name make one DNS label.
        String hostLabel = appName.substring(appName.lastIndexOf('.') + 1) + "-" + name;
        if (hostLabel.length() > ResourceNames.MAX_LABEL_LENGTH) {
            problems.add(Violation.error(
                    object,
                    field,
                    "makes the slot's host name label " + Quoted.of(hostLabel) + " " + hostLabel.length()
                            + " characters long (at most " + ResourceNames.MAX_LABEL_LENGTH
                            + "): shorten the slot's or the app's name"));
        }
    }

    /** The slot's env, image and access restrictions, checked as the app's are, with the slot's field names. */
    private static void settings(String object, String field, DeploymentSlot slot, List<Violation> problems) {
        List<EnvVar> env = slot.getEnv() == null ? List.of() : slot.getEnv();
        for (int j = 0; j < env.size(); j++) {
            EnvVar entry = env.get(j);
            String name = entry == null ? null : entry.getName();
            if (name == null || !SpecValidation.ENV_NAME.matcher(name).matches()) {
                problems.add(Violation.error(
                        object,
                        field + ".env[" + j + "].name",
                        "must be a valid environment variable name, got " + Quoted.of(name)));
            } else if (PlatformVariables.reserved(name)) {
                problems.add(
                        Violation.error(object, field + ".env[" + j + "].name", SpecValidation.reservedVariable(name)));
            } else if (entry.getValue() != null && !entry.getValue().isEmpty() && entry.getValueFrom() != null) {
                problems.add(
                        Violation.error(object, field + ".env[" + j + "]", "may not have both value and valueFrom"));
            }
        }
        WebAppSpec asSpec = new WebAppSpec();
        asSpec.setImage(slot.getImage());
        asSpec.setEnv(slot.getEnv());
        List<Violation> found = new ArrayList<>();
        PassThroughRules.app(object, asSpec, found);
        if (slot.getAccessRestrictions() != null) {
            AccessRestrictionRules.check(object, slot.getAccessRestrictions(), found);
        }
        for (Violation v : found) {
            String slotField = v.field() != null && v.field().startsWith("spec.")
                    ? field + v.field().substring("spec".length())
                    : v.field();
            problems.add(new Violation(v.object(), slotField, v.message(), v.warning()));
        }
    }
}
