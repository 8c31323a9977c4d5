package dev.appservice.operator.model;

import java.util.List;

/**
 * The environment variables the platform gives every app container, as App Service injects them.
 * An app's (or a slot's) {@code env} may not redefine them: refused by {@code SpecValidation},
 * naming the variable.
 */
public final class PlatformVariables {
    /** The app's name (a slot's container gets its app's name, as on App Service). */
    public static final String SITE_NAME = "WEBSITE_SITE_NAME";
    /** The default host name the container's deployment is served at: {@code <app>.<dnsSuffix>}, or a slot's. */
    public static final String HOSTNAME = "WEBSITE_HOSTNAME";
    /** The instance: the pod's name, from the downward API. */
    public static final String INSTANCE_ID = "WEBSITE_INSTANCE_ID";
    /** The pricing tier: {@link #SKU_ISOLATED}. */
    public static final String SKU = "WEBSITE_SKU";
    /** The port the app listens on ({@code spec.port}). */
    public static final String PORT = "PORT";
    /** The same, by App Service's name for it. */
    public static final String WEBSITES_PORT = "WEBSITES_PORT";

    public static final String SKU_ISOLATED = "Isolated";

    /** Every variable the platform sets, in the order the container gets them. */
    public static final List<String> RESERVED = List.of(SITE_NAME, HOSTNAME, INSTANCE_ID, SKU, PORT, WEBSITES_PORT);

    private PlatformVariables() {}

    public static boolean reserved(String name) {
        return RESERVED.contains(name);
    }
}
