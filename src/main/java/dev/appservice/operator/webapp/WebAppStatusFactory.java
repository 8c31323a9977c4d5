package dev.appservice.operator.webapp;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppStatus;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.status.Conditions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Computes a web app's status: where it is served and whether its plan's workers are ready. */
public final class WebAppStatusFactory {
    private WebAppStatusFactory() {
    }

    /** The URLs an app is served at: https with TLS, http without, one per host name. */
    public static List<String> urls(EnvironmentTopology topology, WebApp app) {
        String scheme = topology.environment().getSpec().tlsSecretName() != null ? "https" : "http";
        return topology.hostNames(app).stream().map(host -> scheme + "://" + host + "/").toList();
    }

    public static WebAppStatus compute(WebApp app, Optional<IsolatedPlan> plan, Optional<AppServiceEnvironment> environment, Instant now) {
        long generation = app.getMetadata().getGeneration() == null ? 0 : app.getMetadata().getGeneration();
        String ns = app.getMetadata().getNamespace();
        WebAppStatus status = new WebAppStatus();
        status.setObservedGeneration(generation);
        Conditions.Desired ready;
        if (plan.isEmpty()) {
            ready = new Conditions.Desired(Conditions.READY, false, "PlanNotFound",
                    "IsolatedPlan " + ns + "/" + app.getSpec().getPlanName() + " does not exist; the app runs once it does");
            status.setInstances(0);
            status.setReadyInstances(0);
        } else if (environment.isEmpty()) {
            ready = new Conditions.Desired(Conditions.READY, false, "EnvironmentNotFound",
                    "AppServiceEnvironment " + ns + "/" + plan.get().getSpec().getEnvironmentName() + " of IsolatedPlan " + ns + "/"
                            + plan.get().getMetadata().getName() + " does not exist");
            status.setInstances(0);
            status.setReadyInstances(0);
        } else {
            EnvironmentTopology topology = new EnvironmentTopology(environment.get(), List.of(plan.get()), List.of(app));
            status.setUrls(urls(topology, app));
            var planStatus = plan.get().getStatus();
            int instances = planStatus == null || planStatus.getInstances() == null ? 0 : planStatus.getInstances();
            int readyInstances = planStatus == null || planStatus.getReadyInstances() == null ? 0 : planStatus.getReadyInstances();
            status.setInstances(instances);
            status.setReadyInstances(readyInstances);
            boolean planReady = planStatus != null && Conditions.isTrue(planStatus.getConditions(), Conditions.READY)
                    && planStatus.getObservedGeneration() != null
                    && planStatus.getObservedGeneration().equals(plan.get().getMetadata().getGeneration());
            ready = planReady
                    ? new Conditions.Desired(Conditions.READY, true, "Serving",
                            "Served at " + String.join(", ", status.getUrls()) + " on " + readyInstances + " instances")
                    : new Conditions.Desired(Conditions.READY, false, "WorkersNotReady",
                            readyInstances + " of " + instances + " instances of IsolatedPlan " + ns + "/" + plan.get().getMetadata().getName() + " ready");
        }
        status.setConditions(Conditions.merge(app.getStatus() == null ? null : app.getStatus().getConditions(), List.of(ready), generation, now));
        return status;
    }
}
