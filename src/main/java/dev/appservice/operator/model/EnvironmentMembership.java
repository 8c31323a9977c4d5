package dev.appservice.operator.model;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which AppServiceEnvironment an IsolatedPlan belongs to, and so which one a WebApp belongs to
 * through its plan: the one place this is decided. A plan belongs to the environment its
 * {@code spec.environmentName} names in the plan's own namespace (never another namespace's); an
 * app runs on the plan its {@code spec.planName} names in the app's own namespace. A plan or app
 * that names none (a spec past a bypassed webhook) belongs to none.
 *
 * <p>The informers' mappers and indexes, the topologies, the webhook's and {@code validate}'s views
 * and {@code render} all ask here, so a plan is never counted in one environment's capacity and
 * woken for another's.
 */
public final class EnvironmentMembership {
    private EnvironmentMembership() {}

    /** The environment the plan belongs to, if it names one. */
    public static Optional<ResourceID> environmentOf(IsolatedPlan plan) {
        if (plan.getSpec() == null || plan.getSpec().getEnvironmentName() == null) {
            return Optional.empty();
        }
        return Optional.of(new ResourceID(
                plan.getSpec().getEnvironmentName(), plan.getMetadata().getNamespace()));
    }

    /**
     * The environment the plan names, as messages write it: {@code AppServiceEnvironment
     * <namespace>/<name>} (a name the API server has checked; "(none)" for a plan that names none).
     */
    public static String describeEnvironmentOf(IsolatedPlan plan) {
        return "AppServiceEnvironment " + plan.getMetadata().getNamespace() + "/"
                + environmentOf(plan).map(ResourceID::getName).orElse("(none)");
    }

    /** The plan the app runs on, if it names one. */
    public static Optional<ResourceID> planOf(WebApp app) {
        if (app.getSpec() == null || app.getSpec().getPlanName() == null) {
            return Optional.empty();
        }
        return Optional.of(
                new ResourceID(app.getSpec().getPlanName(), app.getMetadata().getNamespace()));
    }

    /**
     * The environment the app belongs to through its plan, as {@code plans} finds the plan: none
     * while the plan is missing or names no environment.
     */
    public static Optional<ResourceID> environmentOf(WebApp app, Function<ResourceID, Optional<IsolatedPlan>> plans) {
        return planOf(app).flatMap(plans).flatMap(EnvironmentMembership::environmentOf);
    }

    /** Whether the plan belongs to the environment. */
    public static boolean belongsTo(IsolatedPlan plan, AppServiceEnvironment environment) {
        return belongsTo(plan, ResourceID.fromResource(environment));
    }

    /** Whether the plan belongs to the environment of that name and namespace. */
    public static boolean belongsTo(IsolatedPlan plan, ResourceID environment) {
        return environmentOf(plan).filter(environment::equals).isPresent();
    }

    /** Whether the app runs on the plan. */
    public static boolean runsOn(WebApp app, IsolatedPlan plan) {
        // planOf(app) equal to the plan's ResourceID, compared in place: asked of every app of a plan on each review.
        return app.getSpec() != null
                && plan.getMetadata().getName().equals(app.getSpec().getPlanName())
                && java.util.Objects.equals(
                        plan.getMetadata().getNamespace(), app.getMetadata().getNamespace());
    }
}
