package dev.appservice.operator.model;

import dev.appservice.operator.api.WebApp;

/**
 * The Service through which the front ends reach an app: the contract between the objects that
 * run apps (app side) and the front ends' routing (environment side). The front ends send an
 * app's requests to the cluster IP of this Service, on {@link #port}. An app whose Service does
 * not exist yet is answered 503 by the front ends.
 */
public final class AppServices {
    private AppServices() {}

    /**
     * The Service that carries the app's requests: the app's own ({@link ResourceNames#appWorkload},
     * owned by the app, labelled with its environment and {@code app.kubernetes.io/managed-by}).
     */
    public static String service(WebApp app) {
        return ResourceNames.appWorkload(app.getMetadata().getName());
    }

    /** The Service port that carries the app's requests. */
    public static int port(WebApp app) {
        return app.getSpec().effectivePort();
    }
}
