package dev.appservice.operator.model;

import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import java.util.List;

/**
 * The Services through which the front ends reach an app: the contract between the objects that
 * run apps (plan side) and the front ends' routing (environment side). The front ends send an
 * app's requests to the cluster IP of the first of these Services that exists, on {@link #port}.
 * An app none of whose Services exists yet is answered 503 by the front ends.
 */
public final class AppServices {
    private AppServices() {}

    /**
     * The Services that may carry the app's requests, most preferred first: the app's own Service
     * ({@link ResourceNames#appWorkload}, owned by the app, labelled with its environment and
     * {@code app.kubernetes.io/managed-by}), then the plan's {@code <plan>-workers} Service of the
     * layout before per-app workers, which exists only while a plan is being moved to the new layout.
     * The app's own Service is created only once the app's own pods are ready, so the front ends
     * switch to it only when it can serve.
     */
    public static List<String> candidates(IsolatedPlan plan, WebApp app) {
        return List.of(
                ResourceNames.appWorkload(app.getMetadata().getName()),
                ResourceNames.workerService(plan.getMetadata().getName()));
    }

    /** The Service port that carries the app's requests. */
    public static int port(WebApp app) {
        return app.getSpec().effectivePort();
    }
}
