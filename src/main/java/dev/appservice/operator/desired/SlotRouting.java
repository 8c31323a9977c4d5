package dev.appservice.operator.desired;

import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.AppDeployments;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.ResourceNames;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The front ends' routing of an app with deployment slots, in nginx.
 *
 * <p>Every one of the app's deployments ({@link AppDeployments}) has an upstream of its own, named
 * by the deployment (never by its role), at its Service's cluster IP. Which deployment serves
 * production comes from the app's status ({@link AppDeployments#servingProduction}, the app
 * controller's decision), so a swap changes only the maps below: the upstreams, the Services and
 * the Deployments stay as they are, and nginx's graceful reload moves new requests while the old
 * workers finish theirs.
 *
 * <p>A client of the production host names is routed by, in order: the query parameter
 * {@code x-ms-routing-name} (a slot's name, or {@code self} for production), the cookie of the
 * same name, else a draw ({@code split_clients} on the request's random id) by the slots'
 * {@code trafficPercent}. The choice is set in the cookie, so each client stays on its side. A
 * slot's host name {@code <app>-<slot>.<dnsSuffix>} routes to the deployment the slot holds:
 * its own, or production's previous one while the slot is swapped in.
 *
 * <p>This is the routing decided, as a value: which deployment serves production, the upstream of
 * each deployment whose Service has an address, what each slot's host name reaches. The front
 * ends' configuration renders it; nothing here writes configuration.
 */
public final class SlotRouting {
    /** What a slot's name must be to reach the file (validation refuses anything else; this is the last guard). */
    private static final Pattern SAFE_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");

    private final EnvironmentTopology topology;
    private final WebApp app;
    private final String production;
    private final String key;
    /** Upstream name per deployment, for the deployments whose Service has an address. */
    private final Map<String, String> upstreams = new LinkedHashMap<>();

    private final Map<String, String> addresses = new LinkedHashMap<>();

    private SlotRouting(EnvironmentTopology topology, WebApp app, Function<String, Optional<String>> addressOf) {
        this.topology = topology;
        this.app = app;
        this.production = AppDeployments.servingProduction(app);
        this.key = ResourceNames.hash(
                app.getMetadata().getNamespace() + "/" + app.getMetadata().getName());
        addressOf.apply(AppDeployments.PRODUCTION).ifPresent(address -> add(AppDeployments.PRODUCTION, address));
        for (DeploymentSlot slot : slots()) {
            addressOf.apply(slot.getName()).ifPresent(address -> add(slot.getName(), address));
        }
    }

    private void add(String deployment, String address) {
        upstreams.put(deployment, upstreamName(app.getMetadata().getName(), deployment));
        addresses.put(deployment, address);
    }

    /**
     * The routing of an app that has deployment slots; none for an app without. {@code addressOf}
     * gives the cluster IP and port of a deployment's Service ({@code production} or a slot's), if
     * it has one yet.
     */
    public static Optional<SlotRouting> of(
            EnvironmentTopology topology, WebApp app, Function<String, Optional<String>> addressOf) {
        return app.getSpec().effectiveSlots().isEmpty()
                ? Optional.empty()
                : Optional.of(new SlotRouting(topology, app, addressOf));
    }

    /** The slots' host names, {@code <app>-<slot>.<dnsSuffix>}. */
    public static List<String> hostNames(EnvironmentTopology topology, WebApp app) {
        return AppDeployments.slotHostNames(topology, app);
    }

    /**
     * The upstream of one of an app's deployments: {@code webapp-<app>} for production (as without
     * slots), {@code webapp-<app>_<slot>} for a slot ('_' never stands in an app's or a slot's name).
     */
    static String upstreamName(String app, String deployment) {
        return AppDeployments.PRODUCTION.equals(deployment) ? "webapp-" + app : "webapp-" + app + "_" + deployment;
    }

    /** The app routed. */
    public WebApp app() {
        return app;
    }

    /** The deployment serving the production host names. */
    public String production() {
        return production;
    }

    /** What tells this app's routing apart from every other app's (a hash of its namespace and name). */
    public String key() {
        return key;
    }

    /** The address of each deployment whose Service has one, production first, then the slots in order. */
    public Map<String, String> addresses() {
        return Collections.unmodifiableMap(addresses);
    }

    /** The upstream of a deployment, if its Service has an address. */
    public Optional<String> upstream(String deployment) {
        return Optional.ofNullable(upstreams.get(deployment));
    }

    /** The deployment a slot's host name (and a client choosing the slot) reaches. */
    public String servedAt(DeploymentSlot slot) {
        return AppDeployments.servedAt(slot.getName(), production);
    }

    /** A slot's host name, {@code <app>-<slot>.<dnsSuffix>}. */
    public String host(DeploymentSlot slot) {
        return AppDeployments.slotHost(
                app.getMetadata().getName(),
                slot.getName(),
                topology.environment().getSpec().effectiveDnsSuffix(topology.name()));
    }

    /** The app's slots whose names may stand in the configuration as they are. */
    public List<DeploymentSlot> slots() {
        return app.getSpec().effectiveSlots().stream()
                .filter(s ->
                        s.getName() != null && SAFE_NAME.matcher(s.getName()).matches())
                .filter(s -> !AppDeployments.PRODUCTION.equals(s.getName()) && !AppDeployments.SELF.equals(s.getName()))
                .toList();
    }
}
