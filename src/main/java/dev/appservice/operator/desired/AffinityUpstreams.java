package dev.appservice.operator.desired;

import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Client affinity ({@code spec.clientAffinity}), as App Service's ARR affinity: the front ends
 * keep a client on one instance of the app by a cookie.
 *
 * <p>A Service's cluster IP cannot be sticky per instance (kube-proxy picks an endpoint per
 * connection), so an app that asks for affinity gets an upstream of its instances' own addresses
 * (its ready endpoints) balanced by {@code hash <key> consistent}, the key being the client's
 * {@value #COOKIE} cookie (else its {@value #SAME_SITE_COOKIE} cookie). A client without one is
 * given one, named by the request's id, and that very id is the first request's key: the first
 * request and the following ones land on the same instance. Consistent hashing moves only the
 * clients of an instance that goes or comes. Apps without affinity keep their cluster IP, and no
 * cookie.
 */
public final class AffinityUpstreams {
    public static final String COOKIE = "ARRAffinity";
    public static final String SAME_SITE_COOKIE = "ARRAffinitySameSite";
    static final String KEY_VARIABLE = "$arr_affinity_key";
    static final String COOKIE_VARIABLE = "$arr_affinity_cookie";
    static final String SECURE_COOKIE_VARIABLE = "$arr_affinity_cookie_secure";
    static final String SAME_SITE_COOKIE_VARIABLE = "$arr_affinity_same_site_cookie";
    /** What an instance address may look like in the file: an IPv4 or bracketed IPv6 address and a port. */
    private static final Pattern SAFE_ADDRESS =
            Pattern.compile("^(\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9a-fA-F:.]{2,45}\\]):\\d{1,5}$");

    /** The ready instance addresses ({@code ip:port}) of an app, for apps with affinity. */
    @FunctionalInterface
    public interface Endpoints {
        List<String> of(IsolatedPlan plan, WebApp app);

        /** No instance addresses: every app uses its cluster IP, as for {@code render}. */
        Endpoints NONE = (plan, app) -> List.of();
    }

    private AffinityUpstreams() {}

    /** The instance addresses that may be written, sorted (a stable file for the same set). */
    static List<String> servers(List<String> endpoints) {
        return endpoints.stream()
                .filter(e -> e != null && SAFE_ADDRESS.matcher(e).matches())
                .distinct()
                .sorted()
                .toList();
    }

    /** The http-level maps the affinity apps' servers use: the hash key and the cookies to set. */
    static void maps(StringBuilder c) {
        c.append("\n    # Client affinity (spec.clientAffinity): the ")
                .append(COOKIE)
                .append(" cookie keys the instance; a client without one gets one.\n");
        c.append("    map $cookie_").append(SAME_SITE_COOKIE).append(" $arr_affinity_same_site_key {\n");
        c.append("        \"\" $request_id;\n        default $cookie_")
                .append(SAME_SITE_COOKIE)
                .append(";\n    }\n");
        c.append("    map $cookie_")
                .append(COOKIE)
                .append(' ')
                .append(KEY_VARIABLE)
                .append(" {\n");
        c.append("        \"\" $arr_affinity_same_site_key;\n        default $cookie_")
                .append(COOKIE)
                .append(";\n    }\n");
        c.append("    map \"$cookie_")
                .append(COOKIE)
                .append("$cookie_")
                .append(SAME_SITE_COOKIE)
                .append("\" ")
                .append(COOKIE_VARIABLE)
                .append(" {\n");
        c.append("        \"\" \"")
                .append(COOKIE)
                .append("=$request_id; Path=/; HttpOnly\";\n        default \"\";\n    }\n");
        c.append("    map \"$cookie_")
                .append(COOKIE)
                .append("$cookie_")
                .append(SAME_SITE_COOKIE)
                .append("\" ")
                .append(SECURE_COOKIE_VARIABLE)
                .append(" {\n");
        c.append("        \"\" \"")
                .append(COOKIE)
                .append("=$request_id; Path=/; HttpOnly; Secure\";\n        default \"\";\n    }\n");
        c.append("    map \"$cookie_")
                .append(COOKIE)
                .append("$cookie_")
                .append(SAME_SITE_COOKIE)
                .append("\" ")
                .append(SAME_SITE_COOKIE_VARIABLE)
                .append(" {\n");
        c.append("        \"\" \"")
                .append(SAME_SITE_COOKIE)
                .append("=$request_id; Path=/; HttpOnly; SameSite=None; Secure\";\n        default \"\";\n    }\n");
    }

    /** The upstream's balancing and servers: by the affinity key over the instances. */
    static void upstreamServers(StringBuilder c, List<String> servers) {
        c.append("    # Client affinity over the app's ").append(servers.size()).append(" ready instance(s).\n");
        c.append("    hash ").append(KEY_VARIABLE).append(" consistent;\n");
        for (String server : servers) {
            c.append("    server ").append(server).append(" max_fails=0;\n");
        }
    }

    /** The Set-Cookie headers of a server of an affinity app (empty values are not sent). */
    static void cookies(StringBuilder c, boolean https) {
        if (https) {
            c.append("    add_header Set-Cookie ")
                    .append(SECURE_COOKIE_VARIABLE)
                    .append(" always;\n");
            c.append("    add_header Set-Cookie ")
                    .append(SAME_SITE_COOKIE_VARIABLE)
                    .append(" always;\n");
        } else {
            c.append("    add_header Set-Cookie ").append(COOKIE_VARIABLE).append(" always;\n");
        }
    }
}
