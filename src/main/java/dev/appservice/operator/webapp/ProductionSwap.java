package dev.appservice.operator.webapp;

import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.SlotStatus;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppStatus;
import dev.appservice.operator.model.AppDeployments;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which of an app's deployments serves its production host names, decided here once and recorded
 * in {@code status.production}, which the front ends route by.
 *
 * <p>The deployment {@code spec.production} asks for takes production only when it is ready: its
 * Deployment rolled out at its generation with at least one ready instance. Until then the
 * previous decision stands (routing unchanged) and the condition {@value #CONDITION} says why.
 * Nothing here creates or changes a workload: a swap is a status write and the front ends' routing.
 */
public final class ProductionSwap {
    /** The condition saying whether the production host names route to the deployment {@code spec.production} names. */
    public static final String CONDITION = "ProductionRouted";

    public static final String SERVING_PRODUCTION = "ServingProduction";
    public static final String SERVING_SLOT = "ServingSlot";
    public static final String SLOT_NOT_READY = "SlotNotReady";

    private ProductionSwap() {}

    /** The deployment serving production after this reconcile, and the condition that says so. */
    public record Decision(String serving, Conditions.Desired condition) {}

    /**
     * Decides from the app (its spec and the previous decision in its status) and its deployments'
     * Deployments as the informers hold them.
     */
    public static Decision decide(WebApp app, Function<String, Optional<Deployment>> deployments) {
        String requested = AppDeployments.requestedProduction(app);
        String current = AppDeployments.servingProduction(app);
        if (requested.equals(current) || ready(deployments.apply(requested))) {
            String image = AppDeployments.image(app, requested);
            boolean slot = !AppDeployments.PRODUCTION.equals(requested);
            return new Decision(
                    requested,
                    new Conditions.Desired(
                            CONDITION,
                            true,
                            slot ? SERVING_SLOT : SERVING_PRODUCTION,
                            "The production host names are served by " + describe(requested) + " (image " + image
                                    + ")"));
        }
        int readyInstances = readyInstances(deployments.apply(requested));
        return new Decision(
                current,
                new Conditions.Desired(
                        CONDITION,
                        false,
                        SLOT_NOT_READY,
                        "spec.production asks for " + describe(requested) + ", which is not ready (" + readyInstances
                                + " ready instances, or not rolled out yet); the production host names stay on "
                                + describe(current)
                                + " until it is"));
    }

    /** Whether a deployment can take production: rolled out at its generation, with at least one ready instance. */
    static boolean ready(Optional<Deployment> deployment) {
        return deployment
                        .filter(dev.appservice.operator.desired.InstanceDeployment::readyAtGeneration)
                        .isPresent()
                && readyInstances(deployment) > 0;
    }

    static int readyInstances(Optional<Deployment> deployment) {
        return deployment
                .map(d -> d.getStatus() == null || d.getStatus().getReadyReplicas() == null
                        ? 0
                        : d.getStatus().getReadyReplicas())
                .orElse(0);
    }

    /** Fills the status's production and slots from the decision: per slot its URL, what it serves, its ready instances and share. */
    static void record(
            WebAppStatus status,
            WebApp app,
            Decision decision,
            Optional<EnvironmentTopology> topology,
            Function<String, Optional<Deployment>> deployments) {
        status.setProduction(decision.serving());
        status.setProductionImage(AppDeployments.image(app, decision.serving()));
        String scheme = topology.map(t -> t.environment().getSpec().tlsSecretName() != null ? "https" : "http")
                .orElse("http");
        List<SlotStatus> slots = new ArrayList<>();
        for (DeploymentSlot slot : app.getSpec().effectiveSlots()) {
            String served = AppDeployments.servedAt(slot.getName(), decision.serving());
            SlotStatus s = new SlotStatus();
            s.setName(slot.getName());
            topology.ifPresent(t -> s.setUrl(scheme + "://"
                    + AppDeployments.slotHost(
                            app.getMetadata().getName(),
                            slot.getName(),
                            t.environment().getSpec().effectiveDnsSuffix(t.name()))
                    + "/"));
            s.setDeployment(served);
            s.setImage(AppDeployments.image(app, served));
            s.setReadyInstances(readyInstances(deployments.apply(served)));
            s.setTrafficPercent(slot.effectiveTrafficPercent());
            slots.add(s);
        }
        status.setSlots(slots);
    }

    private static String describe(String deployment) {
        return AppDeployments.PRODUCTION.equals(deployment)
                ? "the app's own deployment (production)"
                : "slot " + deployment + "'s deployment";
    }
}
