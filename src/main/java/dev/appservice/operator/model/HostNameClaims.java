package dev.appservice.operator.model;

import dev.appservice.operator.api.WebApp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who holds each host name of an environment, whatever order its apps arrived in (an app before
 * its plan, two admitted at once past the webhook): every app holds its default name
 * {@code <app>.<dnsSuffix>}; an extra host name goes to the app created first (creation time, then
 * name), and never one under the {@code dnsSuffix} (reserved for the default names of apps and their
 * slots) nor a wildcard covering it. Built in one pass over the apps: O(apps + host names).
 *
 * <p>Every reconcile of an app asks it of the app's whole environment, and an environment of 500
 * apps with 64 host names each is 32,000 claims: built anew each time, that was most of what the
 * operator allocated while such an environment converged, and it lived long enough to be promoted
 * (BENCHMARKS.md, "Bounded memory"). So {@link #of} keeps the last claims of each environment and
 * gives them again while every input it read is unchanged: each app's namespace, name, creation
 * time and host names, in the same order, and the dnsSuffix. A status write changes none of them.
 */
public final class HostNameClaims {
    /** A host name an app lists but does not hold, and why. */
    public record Lost(String host, String reason) {}

    /** Environments whose last claims are kept: far more than one operator runs; past it, start over. */
    private static final int ENVIRONMENTS_REMEMBERED = 4_096;

    /** Fewer apps than this are claimed anew each time: no cost worth keeping. */
    static final int KEPT_FROM_APPS = 32;

    private static final RememberedValues<String, HostNameClaims> LAST_OF_ENVIRONMENT =
            new RememberedValues<>(ENVIRONMENTS_REMEMBERED);

    /** What one app contributed: everything the claims read of it. */
    private record Claimant(String namespace, String name, String created, List<String> hostNames) {
        static Claimant of(WebApp app) {
            return new Claimant(
                    app.getMetadata().getNamespace(),
                    app.getMetadata().getName(),
                    app.getMetadata().getCreationTimestamp(),
                    // A copy: a list changed in place later must not look unchanged.
                    java.util.Collections.unmodifiableList(
                            new ArrayList<>(app.getSpec().effectiveHostNames())));
        }

        boolean describes(WebApp app) {
            return name.equals(app.getMetadata().getName())
                    && Objects.equals(namespace, app.getMetadata().getNamespace())
                    && Objects.equals(created, app.getMetadata().getCreationTimestamp())
                    && hostNames.equals(app.getSpec().effectiveHostNames());
        }
    }

    private final String dnsSuffix;
    private final List<Claimant> claimants;
    private final Map<String, List<String>> held = new HashMap<>();
    private final Map<String, List<Lost>> lost = new HashMap<>();

    /**
     * The claims of an environment's apps (all of one namespace, in a stable order): the ones built
     * last for that environment when nothing they read has changed since, else built anew.
     */
    public static HostNameClaims of(List<WebApp> apps, String dnsSuffix) {
        if (apps.size() < KEPT_FROM_APPS) {
            // Cheap to build, and the webhook's view of one app alone must not evict its environment's.
            return new HostNameClaims(apps, dnsSuffix);
        }
        String environment = apps.get(0).getMetadata().getNamespace() + " " + dnsSuffix;
        HostNameClaims last = LAST_OF_ENVIRONMENT.get(environment);
        if (last != null && last.builtFrom(apps, dnsSuffix)) {
            return last;
        }
        HostNameClaims claims = new HostNameClaims(apps, dnsSuffix);
        LAST_OF_ENVIRONMENT.put(environment, claims);
        return claims;
    }

    private boolean builtFrom(List<WebApp> apps, String suffix) {
        if (!dnsSuffix.equals(suffix) || claimants.size() != apps.size()) {
            return false;
        }
        for (int i = 0; i < apps.size(); i++) {
            if (!claimants.get(i).describes(apps.get(i))) {
                return false;
            }
        }
        return true;
    }

    HostNameClaims(List<WebApp> apps, String dnsSuffix) {
        this.dnsSuffix = dnsSuffix;
        this.claimants = apps.stream().map(Claimant::of).toList();
        Map<String, WebApp> holders = new HashMap<>();
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
