package dev.appservice.operator.model;

import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;

/**
 * Where the front ends send an app's requests, and the DNS server nginx asks at request time (so
 * an upstream that does not exist yet never stops nginx from starting).
 *
 * @param resolver DNS server for nginx's {@code resolver} directive
 * @param domain   the cluster domain of Service names
 */
public record Upstreams(String resolver, String domain) {

    public static Upstreams inCluster(String resolver) {
        return new Upstreams(resolver, "svc.cluster.local");
    }

    /** {@code http://<plan>-workers.<namespace>.svc.cluster.local:<port>}. */
    public String url(IsolatedPlan plan, WebApp app) {
        return "http://" + ResourceNames.workerService(plan.getMetadata().getName()) + "." + plan.getMetadata().getNamespace()
                + "." + domain + ":" + app.getSpec().effectivePort();
    }
}
