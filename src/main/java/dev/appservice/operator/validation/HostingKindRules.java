package dev.appservice.operator.validation;

import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.FunctionsSettings;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.OperatingSystem;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppSpec;
import dev.appservice.operator.desired.FunctionHost;
import dev.appservice.operator.model.Quoted;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;
import java.util.Objects;

/**
 * The rules of the hosting kinds (API.md, "Hosting kinds") that the CRD schema cannot say: an
 * app's {@code spec.functions} required for a function app and refused on any other, the Functions
 * host's variables a function app's {@code env} may not redefine, and a plan's {@code os} and an
 * app's {@code kind} never changing. The schema has {@code spec.kind}'s values and what
 * {@code spec.functions} holds (a known runtime, a storage Secret's name and key). What a Windows
 * plan's apps may not set is {@link PodSecurityRules#checkOnWindows}'s.
 */
final class HostingKindRules {
    private HostingKindRules() {}

    /** The app on its own: kind, functions, and the host's variables. */
    static void checkApp(String object, WebApp app, List<Violation> problems) {
        WebAppSpec spec = app.getSpec();
        FunctionsSettings functions = spec.getFunctions();
        if (!spec.functionApp()) {
            if (functions != null) {
                problems.add(Violation.error(
                        object,
                        "spec.functions",
                        "is only for function apps: set spec.kind to " + WebAppSpec.KIND_FUNCTION_APP
                                + " (when creating the app; the kind is immutable) or remove spec.functions"));
            }
            return;
        }
        if (functions == null) {
            problems.add(Violation.error(
                    object,
                    "spec.functions",
                    "is required for a function app (spec.kind: " + WebAppSpec.KIND_FUNCTION_APP
                            + "): set runtime (" + String.join(", ", FunctionsSettings.RUNTIMES)
                            + ") and storage (the Secret key of AzureWebJobsStorage)"));
            return;
        }
        hostVariables(object, "spec.env", spec.getEnv(), problems);
        List<DeploymentSlot> slots = spec.effectiveSlots();
        for (int i = 0; i < slots.size(); i++) {
            if (slots.get(i) != null) {
                hostVariables(object, "spec.slots[" + i + "].env", slots.get(i).getEnv(), problems);
            }
        }
    }

    /** An update of an app: its kind does not change. */
    static void checkAppChange(String object, WebApp app, WebApp previous, List<Violation> problems) {
        if (previous == null || previous.getSpec() == null) {
            return;
        }
        String before = previous.getSpec().effectiveKind();
        String after = app.getSpec().effectiveKind();
        if (!Objects.equals(before, after)) {
            problems.add(Violation.error(
                    object,
                    "spec.kind",
                    "is immutable ('" + before + "' → '" + after + "'): create a new app of the other kind"));
        }
    }

    /** An update of a plan: its operating system does not change (a plan runs one, as on App Service). */
    static void checkPlanChange(String object, IsolatedPlan plan, IsolatedPlan previous, List<Violation> problems) {
        if (previous == null || previous.getSpec() == null) {
            return;
        }
        OperatingSystem before = previous.getSpec().effectiveOs();
        OperatingSystem after = plan.getSpec().effectiveOs();
        if (before != after) {
            problems.add(Violation.error(
                    object,
                    "spec.os",
                    "is immutable (" + before + " → " + after + "): a plan runs one operating system, as on App"
                            + " Service; create a new plan for " + after + " apps"));
        }
    }

    private static void hostVariables(String object, String field, List<EnvVar> env, List<Violation> problems) {
        if (env == null) {
            return;
        }
        for (int i = 0; i < env.size(); i++) {
            String name = env.get(i) == null ? null : env.get(i).getName();
            if (name != null && FunctionHost.reserved(name)) {
                problems.add(Violation.error(
                        object,
                        field + "[" + i + "].name",
                        Quoted.of(name) + " is a setting of the Functions host that the platform sets for a function"
                                + " app (" + String.join(", ", FunctionHost.RESERVED)
                                + ") and may not be redefined; set spec.functions instead"));
            }
        }
    }
}
