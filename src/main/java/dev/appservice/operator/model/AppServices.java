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
    private AppServices() {
    }

    /** The Services that may carry the app's requests, most preferred first. */
    public static List<String> candidates(IsolatedPlan plan, WebApp app) {
        return List.of(ResourceNames.workerService(plan.getMetadata().getName()));
    }

    /** The Service port that carries the app's requests. */
    public static int port(WebApp app) {
        return app.getSpec().effectivePort();
    }
}
