package dev.appservice.operator.model;

import dev.appservice.operator.api.WebApp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Who holds each host name of an environment, whatever order its apps arrived in (an app before
 * its plan, two admitted at once past the webhook): every app holds its default name
 * {@code <app>.<dnsSuffix>}; an extra host name goes to the app created first (creation time, then
 * name), and never one under the {@code dnsSuffix} (reserved for the default names of apps and their
 * slots) nor a wildcard covering it. Built in one pass over the apps: O(apps + host names).
 */
public final class HostNameClaims {
    /** A host name an app lists but does not hold, and why. */
    public record Lost(String host, String reason) {}

    private final Map<String, WebApp> holders = new HashMap<>();
    private final Map<String, List<String>> held = new HashMap<>();
    private final Map<String, List<Lost>> lost = new HashMap<>();

    HostNameClaims(List<WebApp> apps, String dnsSuffix) {
        List<WebApp> ordered =
                apps.stream().sorted(EnvironmentTopology.APP_ADMISSION_ORDER).toList();
        for (WebApp app : ordered) {
            String host = defaultName(app, dnsSuffix);
            holders.put(host, app);
            held.computeIfAbsent(app.getMetadata().getName(), n -> new ArrayList<>())
                    .add(host);
        }
        for (WebApp app : ordered) {
            String name = app.getMetadata().getName();
            for (String host : new LinkedHashSet<>(app.getSpec().effectiveHostNames())) {
                if (host.equals(defaultName(app, dnsSuffix))) {
                    continue;
                }
                if (HostNames.underSuffix(host, dnsSuffix)
                        || host.startsWith(HostNames.WILDCARD_PREFIX)
                                && HostNames.underSuffix(
                                        dnsSuffix, host.substring(HostNames.WILDCARD_PREFIX.length()))) {
                    lost.computeIfAbsent(name, n -> new ArrayList<>())
                            .add(new Lost(
                                    host,
                                    "is under or covers the environment's dnsSuffix " + dnsSuffix
                                            + ", reserved for the default names of apps and their slots"));
                    continue;
                }
                WebApp holder = holders.putIfAbsent(host, app);
                if (holder == null) {
                    held.get(name).add(host);
                } else {
                    lost.computeIfAbsent(name, n -> new ArrayList<>())
                            .add(new Lost(
                                    host,
                                    "is held by WebApp " + holder.getMetadata().getNamespace()
                                            + "/" + holder.getMetadata().getName()
                                            + ", created first (creation time, then name), not by WebApp "
                                            + app.getMetadata().getNamespace() + "/" + name));
                }
            }
        }
    }

    static String defaultName(WebApp app, String dnsSuffix) {
        return app.getMetadata().getName() + "." + dnsSuffix;
    }

    /** The host names the app is served at: its default name first, then the extra ones it holds. */
    public List<String> held(WebApp app) {
        return held.getOrDefault(app.getMetadata().getName(), List.of());
    }

    /** The extra host names the app lists but does not hold. */
    public List<Lost> lost(WebApp app) {
        return lost.getOrDefault(app.getMetadata().getName(), List.of());
    }
}
