package dev.appservice.operator.model;

import dev.appservice.operator.api.AccessRestriction;
import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An app's deployments: {@value #PRODUCTION} (the app's own image and settings, the workload
 * {@link ResourceNames#appWorkload}) and one per deployment slot ({@link ResourceNames#slotWorkload}).
 * Each is a named, stable workload: its name, Deployment and Service never depend on which one
 * serves the production host names. A swap only changes routing: the production host names go to
 * the deployment swapped in, and that slot's host name to the previous production ({@link #servedAt}).
 *
 * <p>Which deployment serves production is decided once, by the app's controller, when the one
 * {@code spec.production} asks for is ready, and recorded in {@code status.production}; the front
 * ends route from that record ({@link #servingProduction}), never from the spec alone.
 */
public final class AppDeployments {
    /** The name of the app's own deployment, and the value of {@code spec.production} that swaps nothing. */
    public static final String PRODUCTION = "production";
    /** The App Service cookie (and query parameter) that keeps a client on a slot or on production. */
    public static final String ROUTING_NAME = "x-ms-routing-name";
    /** The routing name that opts a client out of every slot: production. */
    public static final String SELF = "self";

    private AppDeployments() {}

    /** The workload (Deployment and Service name) of one of the app's deployments. */
    public static String workload(String app, String deployment) {
        return PRODUCTION.equals(deployment)
                ? ResourceNames.appWorkload(app)
                : ResourceNames.slotWorkload(app, deployment);
    }

    /** The slot of that name in the app's spec. */
    public static Optional<DeploymentSlot> slot(WebApp app, String name) {
        return app.getSpec().effectiveSlots().stream()
                .filter(s -> Objects.equals(s.getName(), name))
                .findFirst();
    }

    /** The deployment {@code spec.production} asks to serve production: a slot of the spec, else {@value #PRODUCTION}. */
    public static String requestedProduction(WebApp app) {
        String requested = app.getSpec().getProduction();
        return requested != null && slot(app, requested).isPresent() ? requested : PRODUCTION;
    }

    /**
     * The deployment that serves production, as the app's controller last decided
     * ({@code status.production}) while that is still one of the app's deployments; else
     * {@value #PRODUCTION}.
     */
    public static String servingProduction(WebApp app) {
        String serving = app.getStatus() == null ? null : app.getStatus().getProduction();
        return serving != null && slot(app, serving).isPresent() ? serving : PRODUCTION;
    }

    /** The deployment a slot's host name routes to: the slot's own, or production's while the slot is swapped in. */
    public static String servedAt(String slot, String production) {
        return slot.equals(production) ? PRODUCTION : slot;
    }

    /** The slots' host names in the environment, {@code <app>-<slot>.<dnsSuffix>}, in the order of the spec. */
    public static List<String> slotHostNames(EnvironmentTopology topology, WebApp app) {
        String suffix = topology.environment().getSpec().effectiveDnsSuffix(topology.name());
        return app.getSpec().effectiveSlots().stream()
                .map(s -> slotHost(app.getMetadata().getName(), s.getName(), suffix))
                .toList();
    }

    /** {@code <app>-<slot>.<dnsSuffix>}. */
    public static String slotHost(String app, String slot, String dnsSuffix) {
        return app + "-" + slot + "." + dnsSuffix;
    }

    /**
     * What one of the app's deployments runs, as an app: the app itself for {@value #PRODUCTION};
     * for a slot, a copy with the slot's image, the app's env with the slot's entries added or
     * overriding, and the slot's health check path and access restrictions where it sets them.
     * Its name stays the app's (so its container is named as the app's).
     */
    public static WebApp asApp(WebApp app, String deployment) {
        Optional<DeploymentSlot> found = PRODUCTION.equals(deployment) ? Optional.empty() : slot(app, deployment);
        if (found.isEmpty()) {
            return app;
        }
        DeploymentSlot slot = found.get();
        WebAppSpec spec = app.getSpec();
        WebAppSpec view = new WebAppSpec();
        view.setPlanName(spec.getPlanName());
        view.setKind(spec.getKind());
        view.setFunctions(spec.getFunctions());
        view.setPort(spec.getPort());
        view.setStartTimeLimit(spec.getStartTimeLimit());
        view.setRunAsUser(slot.getRunAsUser() != null ? slot.getRunAsUser() : spec.getRunAsUser());
        view.setRunAsGroup(slot.getRunAsGroup() != null ? slot.getRunAsGroup() : spec.getRunAsGroup());
        view.setImage(slot.getImage());
        view.setEnv(mergedEnv(spec.getEnv(), slot.getEnv()));
        view.setHealthCheckPath(
                slot.getHealthCheckPath() != null ? slot.getHealthCheckPath() : spec.getHealthCheckPath());
        List<AccessRestriction> restrictions =
                slot.getAccessRestrictions() != null ? slot.getAccessRestrictions() : spec.getAccessRestrictions();
        view.setAccessRestrictions(restrictions);
        WebApp copy = new WebApp();
        copy.setMetadata(app.getMetadata());
        copy.setSpec(view);
        copy.setStatus(app.getStatus());
        return copy;
    }

    /** The image one of the app's deployments runs. */
    public static String image(WebApp app, String deployment) {
        return asApp(app, deployment).getSpec().getImage();
    }

    private static List<EnvVar> mergedEnv(List<EnvVar> appEnv, List<EnvVar> slotEnv) {
        if (slotEnv == null || slotEnv.isEmpty()) {
            return appEnv;
        }
        Map<String, EnvVar> byName = new LinkedHashMap<>();
        for (EnvVar e : appEnv == null ? List.<EnvVar>of() : appEnv) {
            byName.put(e.getName(), e);
        }
        for (EnvVar e : slotEnv) {
            byName.put(e.getName(), e);
        }
        return new ArrayList<>(byName.values());
    }
}
