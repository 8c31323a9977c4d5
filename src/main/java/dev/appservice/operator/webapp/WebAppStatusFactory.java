package dev.appservice.operator.webapp;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.SlotStatus;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppStatus;
import dev.appservice.operator.desired.InstanceDeployment;
import dev.appservice.operator.desired.NginxConfig;
import dev.appservice.operator.model.AppDensity;
import dev.appservice.operator.model.AppDeployments;
import dev.appservice.operator.model.EnvironmentMembership;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.HostNameClaims;
import dev.appservice.operator.model.InstanceFailures;
import dev.appservice.operator.model.Quoted;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.validation.FrontEndShareRules;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Computes a web app's status, whole, in one place: where it is served, whether its own instances
 * are ready, which deployment serves production and its slots, and its conditions.
 */
public final class WebAppStatusFactory {
    private WebAppStatusFactory() {}

    /** The URLs an app is served at: https with TLS, http without, one per host name. */
    public static List<String> urls(EnvironmentTopology topology, WebApp app) {
        String scheme = topology.environment().getSpec().tlsSecretName() != null ? "https" : "http";
        return topology.hostNames(app).stream()
                .map(host -> scheme + "://" + host + "/")
                .toList();
    }

    /**
     * Everything an app's status is computed from, as the reconciler read it: its plan, environment
     * and placement; the Deployments of its deployments by name ({@code production} or a slot's,
     * see {@link AppDeployments}); the pods of the app and its slots; the conditions of its own
     * certificate (reported beside Ready, never holding the app back); and the time of the reconcile.
     */
    public record Inputs(
            WebApp app,
            Optional<IsolatedPlan> plan,
            Optional<AppServiceEnvironment> environment,
            Optional<AppPlacement> placement,
            Function<String, Optional<Deployment>> deployments,
            List<Pod> pods,
            List<Conditions.Desired> certificates,
            Instant now) {}

    /**
     * The app's status from the same placement its objects are built from: its instances are its
     * plan's granted instances, its ready instances those of its own Deployment; Ready once that
     * Deployment is rolled out and ready at its generation. While the app does not serve, the
     * reason of Ready is why its instances fail, if they do ({@link InstanceFailures}, from its
     * pods). An app with slots or {@code spec.production} also gets which deployment serves
     * production and its slots ({@link ProductionSwap}), each slot not ready saying why from its
     * pods. The conditions are merged once with the previous ones ({@link Conditions#merge}).
     */
    public static WebAppStatus compute(Inputs inputs) {
        WebApp app = inputs.app();
        WebAppStatus status = new WebAppStatus();
        List<Conditions.Desired> conditions = new ArrayList<>(inputs.certificates());
        conditions.add(ready(
                status,
                app,
                inputs.plan(),
                inputs.environment(),
                inputs.placement(),
                inputs.deployments().apply(AppDeployments.PRODUCTION),
                InstanceFailures.of(podsOf(inputs.pods(), AppDeployments.PRODUCTION))));
        if (!app.getSpec().effectiveSlots().isEmpty() || app.getSpec().getProduction() != null) {
            // Which deployment serves production: decided here, once, and recorded in the status the front ends route
            // by.
            ProductionSwap.Decision decision = ProductionSwap.decide(app, inputs.deployments());
            ProductionSwap.record(
                    status, app, decision, inputs.placement().map(AppPlacement::topology), inputs.deployments());
            for (SlotStatus slot : status.getSlots()) {
                if (inputs.deployments()
                        .apply(slot.getDeployment())
                        .filter(InstanceDeployment::readyAtGeneration)
                        .isEmpty()) {
                    InstanceFailures.of(podsOf(inputs.pods(), slot.getDeployment()))
                            .ifPresent(failure -> {
                                slot.setReason(failure.reason().name());
                                slot.setMessage(failure.message());
                            });
                }
            }
            conditions.add(decision.condition());
        }
        status.setConditions(Conditions.merge(
                app.getStatus() == null ? null : app.getStatus().getConditions(),
                conditions,
                status.getObservedGeneration(),
                inputs.now()));
        return status;
    }

    /** The pods of one of the app's deployments: {@code production} (no slot label) or a slot's. */
    static List<Pod> podsOf(List<Pod> pods, String deployment) {
        return pods.stream()
                .filter(p -> {
                    String slot = p.getMetadata().getLabels() == null
                            ? null
                            : p.getMetadata().getLabels().get(StandardLabels.SLOT);
                    return AppDeployments.PRODUCTION.equals(deployment) ? slot == null : deployment.equals(slot);
                })
                .toList();
    }

    /** Fills the status's generation, URLs, instances and admitted deployments, and returns its Ready condition. */
    private static Conditions.Desired ready(
            WebAppStatus status,
            WebApp app,
            Optional<IsolatedPlan> plan,
            Optional<AppServiceEnvironment> environment,
            Optional<AppPlacement> placement,
            Optional<Deployment> deployment,
            Optional<InstanceFailures.Failure> failure) {
        long generation = app.getMetadata().getGeneration() == null
                ? 0
                : app.getMetadata().getGeneration();
        String ns = app.getMetadata().getNamespace();
        status.setObservedGeneration(generation);
        status.setInstances(0);
        status.setReadyInstances(0);
        Conditions.Desired ready;
        if (plan.isEmpty()) {
            ready = new Conditions.Desired(
                    Conditions.READY,
                    false,
                    "PlanNotFound",
                    "IsolatedPlan " + ns + "/" + app.getSpec().getPlanName()
                            + " does not exist; the app runs once it does");
        } else if (environment.isEmpty() || placement.isEmpty()) {
            ready = new Conditions.Desired(
                    Conditions.READY,
                    false,
                    "EnvironmentNotFound",
                    EnvironmentMembership.describeEnvironmentOf(plan.get())
                            + " of IsolatedPlan " + ns + "/"
                            + plan.get().getMetadata().getName() + " does not exist");
        } else {
            EnvironmentTopology topology = placement.get().topology();
            IsolatedPlan placed = placement.get().plan();
            String planRef = "IsolatedPlan " + ns + "/" + placed.getMetadata().getName();
            status.setUrls(urls(topology, app));
            List<HostNameClaims.Lost> lost = topology.hostNameClaims().lost(app);
            if (!lost.isEmpty()) {
                // Served at the names it holds; not Ready while a name it asks for goes to another app.
                ready = new Conditions.Desired(
                        Conditions.READY,
                        false,
                        "HostNameConflict",
                        String.join(
                                "; ",
                                lost.stream()
                                        .map(l -> "spec.hostNames: " + Quoted.of(l.host()) + " " + l.reason())
                                        .toList()));
            } else if (!placement.get().admitted(app)) {
                InstanceSize size = topology.workerSize(placed);
                int density = AppDensity.appsPerInstance(size);
                List<WebApp> apps = topology.apps(placed).stream()
                        .sorted(EnvironmentTopology.APP_ADMISSION_ORDER)
                        .toList();
                int position = 1
                        + apps.stream()
                                .map(a -> a.getMetadata().getName())
                                .toList()
                                .indexOf(app.getMetadata().getName());
                ready = new Conditions.Desired(
                        Conditions.READY,
                        false,
                        "PlanCapacityExceeded",
                        planRef + " runs at most " + density + " apps on its " + size
                                + " instances; this app is number " + position
                                + " of " + apps.size() + " in admission order (creation time, then name)"
                                + (apps.stream().anyMatch(a -> EnvironmentTopology.deploymentsOf(a) > 1)
                                        ? ", each deployment slot counting as an app ("
                                                + EnvironmentTopology.deploymentsOf(app) + " for this one),"
                                        : "")
                                + " and does not run:"
                                + " scale the plan up to a larger size, or move the app to another plan");
            } else {
                EnvironmentTopology.Room room = topology.room(app).orElseThrow();
                // Recorded so that the room stays the app's: no app or slot admitted later takes it.
                status.setAdmittedDeployments(room.deployments());
                int instances = topology.grantedInstances(placed);
                int readyInstances = deployment
                        .map(d -> d.getStatus() == null || d.getStatus().getReadyReplicas() == null
                                ? 0
                                : d.getStatus().getReadyReplicas())
                        .orElse(0);
                status.setInstances(instances);
                status.setReadyInstances(Math.min(readyInstances, instances));
                boolean serving = instances > 0
                        && deployment
                                .filter(InstanceDeployment::readyAtGeneration)
                                .isPresent();
                List<String> waiting = EnvironmentTopology.deploymentNames(app).stream()
                        .filter(d -> !room.deployments().contains(d))
                        .toList();
                int configurationBytes = NginxConfig.appBytes(topology, placed, room.runs());
                ready = configurationBytes > NginxConfig.MAX_APP_BYTES
                        ? new Conditions.Desired(
                                Conditions.READY,
                                false,
                                "FrontEndConfigurationTooLarge",
                                "spec " + FrontEndShareRules.describe(configurationBytes)
                                        + "; the app is held: not routed by the front ends until it fits (every"
                                        + " other app keeps routing)")
                        : !room.whole()
                                ? new Conditions.Desired(
                                        Conditions.READY,
                                        false,
                                        "PlanCapacityExceeded",
                                        planRef + " runs at most "
                                                + AppDensity.appsPerInstance(topology.workerSize(placed))
                                                + " apps and slots on its " + topology.workerSize(placed)
                                                + " instances and has no room for slot"
                                                + (waiting.size() == 1 ? " " : "s ")
                                                + String.join(", ", waiting)
                                                + " of this app: they wait; the app keeps running as it was ("
                                                + String.join(", ", room.deployments())
                                                + "), no running app gives up its room. Scale the plan up to a larger size, or"
                                                + " remove apps or slots")
                                : serving
                                        ? new Conditions.Desired(
                                                Conditions.READY,
                                                true,
                                                "Serving",
                                                "Served at " + String.join(", ", status.getUrls()) + " on "
                                                        + status.getReadyInstances() + " instances")
                                        : failure.isPresent()
                                                ? new Conditions.Desired(
                                                        Conditions.READY,
                                                        false,
                                                        failure.get().reason().name(),
                                                        status.getReadyInstances() + " of " + instances
                                                                + " instances ready; "
                                                                + failure.get().message())
                                                : new Conditions.Desired(
                                                        Conditions.READY,
                                                        false,
                                                        "WorkersNotReady",
                                                        status.getReadyInstances() + " of " + instances
                                                                + " instances of the app on " + planRef + " ready");
            }
        }
        return ready;
    }
}
