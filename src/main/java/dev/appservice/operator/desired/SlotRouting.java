package dev.appservice.operator.desired;

import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.AppDeployments;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.ResourceNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 */
public final class SlotRouting {
    /** Where a query parameter's value ends. */
    private static final String QUERY_END = "(&|$)";
    /** Where a cookie's value ends. */
    private static final String COOKIE_END = "(;|$)";
    /** What a slot's name must be to reach the file (validation refuses anything else; this is the last guard). */
    private static final java.util.regex.Pattern SAFE_NAME =
            java.util.regex.Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");

    private final EnvironmentTopology topology;
    private final WebApp app;
    private final String production;
    private final String key;
    /** Upstream name per deployment, for the deployments whose Service has an address. */
    private final Map<String, String> upstreams = new LinkedHashMap<>();

    private final Map<String, String> addresses = new LinkedHashMap<>();

    private SlotRouting(
            EnvironmentTopology topology, IsolatedPlan plan, WebApp app, NginxConfig.AppAddresses addressesOf) {
        this.topology = topology;
        this.app = app;
        this.production = AppDeployments.servingProduction(app);
        this.key = ResourceNames.hash(
                app.getMetadata().getNamespace() + "/" + app.getMetadata().getName());
        addressesOf.of(plan, app).ifPresent(address -> add(AppDeployments.PRODUCTION, address));
        for (DeploymentSlot slot : slots()) {
            addressesOf.ofSlot(plan, app, slot.getName()).ifPresent(address -> add(slot.getName(), address));
        }
    }

    private void add(String deployment, String address) {
        upstreams.put(deployment, upstreamName(app.getMetadata().getName(), deployment));
        addresses.put(deployment, address);
    }

    /** The routing of an app that has deployment slots; none for an app without. */
    public static Optional<SlotRouting> of(
            EnvironmentTopology topology, IsolatedPlan plan, WebApp app, NginxConfig.AppAddresses addresses) {
        return app.getSpec().effectiveSlots().isEmpty()
                ? Optional.empty()
                : Optional.of(new SlotRouting(topology, plan, app, addresses));
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

    /** The upstreams of every deployment, and the maps that choose one for a production request. */
    void upstreamsAndMaps(StringBuilder c) {
        addresses.forEach((deployment, address) -> NginxConfig.upstream(c, upstreams.get(deployment), address));
        List<DeploymentSlot> slots = slots();
        c.append("# Deployment slots: production is served by deployment ")
                .append(NginxConfig.comment(production))
                .append('\n');
        c.append("split_clients \"${request_id}\" ").append(variable("split")).append(" {\n");
        int total = 0;
        for (DeploymentSlot slot : slots) {
            if (slot.effectiveTrafficPercent() > 0) {
                c.append("    ")
                        .append(slot.effectiveTrafficPercent())
                        .append("% \"")
                        .append(slot.getName())
                        .append("\";\n");
                total += slot.effectiveTrafficPercent();
            }
        }
        if (total < 100) {
            c.append("    * \"").append(AppDeployments.SELF).append("\";\n");
        }
        c.append("}\n");
        // nginx's $arg_ and $cookie_ variables cannot name x-ms-routing-name (they take '_' literally): matched in the
        // raw strings.
        knownNames(c, "$args", "(^|&)", QUERY_END, variable("query"), slots);
        knownNames(c, "$http_cookie", "(^|;)[ ]*", COOKIE_END, variable("cookie"), slots);
        c.append("map ")
                .append(variable("cookie"))
                .append(' ')
                .append(variable("sticky"))
                .append(" {\n");
        c.append("    \"\" ").append(variable("split")).append(";\n");
        c.append("    default ").append(variable("cookie")).append(";\n");
        c.append("}\n");
        c.append("map ")
                .append(variable("query"))
                .append(' ')
                .append(variable("route"))
                .append(" {\n");
        c.append("    \"\" ").append(variable("sticky")).append(";\n");
        c.append("    default ").append(variable("query")).append(";\n");
        c.append("}\n");
        c.append("map ")
                .append(variable("route"))
                .append(' ')
                .append(variable("upstream"))
                .append(" {\n");
        c.append("    default \"")
                .append(upstreams.getOrDefault(production, ""))
                .append("\";\n");
        for (DeploymentSlot slot : slots) {
            String served = AppDeployments.servedAt(slot.getName(), production);
            c.append("    \"")
                    .append(slot.getName())
                    .append("\" \"")
                    .append(upstreams.getOrDefault(served, ""))
                    .append("\";\n");
        }
        c.append("}\n");
    }

    /**
     * A map from the query string or the Cookie header to the routing name {@code x-ms-routing-name}
     * is set to, among those it knows (the slots' and {@code self}); anything else is "". Slot names
     * are DNS labels, so they stand in a regular expression as themselves.
     */
    private void knownNames(
            StringBuilder c, String source, String start, String end, String target, List<DeploymentSlot> slots) {
        List<String> names = new ArrayList<>();
        names.add(AppDeployments.SELF);
        slots.forEach(slot -> names.add(slot.getName()));
        c.append("map ").append(source).append(' ').append(target).append(" {\n");
        c.append("    default \"\";\n");
        for (String name : names) {
            c.append("    \"~")
                    .append(start)
                    .append(AppDeployments.ROUTING_NAME)
                    .append('=')
                    .append(name)
                    .append(end)
                    .append("\" \"")
                    .append(name)
                    .append("\";\n");
        }
        c.append("}\n");
    }

    /** The production host names' location: to the chosen deployment, keeping the client there by the cookie. */
    void productionLocation(StringBuilder c) {
        c.append("    location / {\n");
        c.append("        add_header Set-Cookie \"")
                .append(AppDeployments.ROUTING_NAME)
                .append('=')
                .append(variable("route"))
                .append("; Path=/; HttpOnly\" always;\n");
        c.append("        if (").append(variable("upstream")).append(" = \"\") {\n");
        c.append("            # The chosen deployment's Service has no cluster IP yet.\n");
        c.append("            return 503;\n");
        c.append("        }\n");
        c.append("        proxy_pass http://").append(variable("upstream")).append(";\n");
        c.append("    }\n");
    }

    /** One server per slot host name, to the deployment the slot holds, with the slot's access restrictions. */
    String slotServers(boolean tls, String tlsDirectory) {
        StringBuilder c = new StringBuilder();
        String appName = app.getMetadata().getName();
        String suffix = topology.environment().getSpec().effectiveDnsSuffix(topology.name());
        for (DeploymentSlot slot : slots()) {
            String host = AppDeployments.slotHost(appName, slot.getName(), suffix);
            String served = AppDeployments.servedAt(slot.getName(), production);
            Optional<String> upstream = Optional.ofNullable(upstreams.get(served));
            c.append("\n# Slot ")
                    .append(NginxConfig.comment(slot.getName()))
                    .append(" of WebApp ")
                    .append(NginxConfig.comment(appName))
                    .append(": deployment ")
                    .append(NginxConfig.comment(served))
                    .append('\n');
            String denied = NginxConfig.accessRestrictions(
                    c,
                    AppDeployments.asApp(app, slot.getName()).getSpec().effectiveAccessRestrictions(),
                    app.getMetadata().getNamespace() + "/" + appName + "/" + slot.getName());
            List<Boolean> listeners = new ArrayList<>(tls ? List.of(false, true) : List.of(false));
            for (boolean https : listeners) {
                c.append("server {\n");
                c.append("    listen ")
                        .append(https ? NginxConfig.HTTPS_PORT + " ssl http2" : NginxConfig.HTTP_PORT)
                        .append(";\n");
                c.append("    server_name ").append(host).append(";\n");
                if (https) {
                    NginxConfig.tlsCertificate(c, tlsDirectory);
                }
                NginxConfig.deny(c, denied);
                if (tls && !https) {
                    c.append("    return 308 https://$host$request_uri;\n");
                } else {
                    NginxConfig.proxy(c, upstream.orElse(""), upstream.isPresent());
                }
                c.append("}\n");
            }
        }
        return c.toString();
    }

    /** The app's slots whose names may stand in the configuration as they are. */
    private List<DeploymentSlot> slots() {
        return app.getSpec().effectiveSlots().stream()
                .filter(s ->
                        s.getName() != null && SAFE_NAME.matcher(s.getName()).matches())
                .filter(s -> !AppDeployments.PRODUCTION.equals(s.getName()) && !AppDeployments.SELF.equals(s.getName()))
                .toList();
    }

    private String variable(String role) {
        return "$slot_" + role + "_" + key;
    }
}
