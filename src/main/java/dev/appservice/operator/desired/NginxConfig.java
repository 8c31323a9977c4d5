package dev.appservice.operator.desired;

import dev.appservice.operator.api.AccessRestriction;
import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.AppDeployments;
import dev.appservice.operator.model.Checksums;
import dev.appservice.operator.model.EndpointDrain;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.FrontEndTraffic;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.VipPorts;
import dev.appservice.operator.network.AccessRules;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The front ends' nginx configuration, a pure function of the topology, the apps' addresses and
 * the front-end settings.
 *
 * <p>What it does for traffic: one server per app (its default host name and extra host names)
 * proxying to an {@code upstream} with a keep-alive pool at the cluster IP of the app's Service
 * (so requests reuse connections to the app); WebSocket upgrades passed through; the request body
 * limit and the response timeout of {@code spec.frontEnd}; {@code X-Forwarded-For},
 * {@code -Proto} and {@code -Host} set by the front end, a client's own {@code X-Forwarded-For}
 * believed only from {@code trustedProxies} (the realip module); HTTPS with HTTP/2 on the VIP's
 * 443 and HTTP redirected to it; unknown hosts get 404; an app whose Service has no address yet
 * gets 503; the management endpoint answers {@code /healthz}. Every server listens on an
 * unprivileged container port ({@link VipPorts}) and nginx writes only below /tmp.
 *
 * <p>Why cluster IPs and not names: open-source nginx resolves an upstream's names once, when it
 * loads, and refuses the whole configuration when one does not resolve; a cluster IP is fixed for
 * the life of its Service, so a configuration with it always loads, and kube-proxy follows the
 * app's ready endpoints within seconds without any change here.
 *
 * <p>Size: the apps' servers are split into {@link FrontEndConfiguration#shards() shards}, so each
 * ConfigMap stays far below the API's object limit, and the main file names the content of each
 * shard, so a front end applies a new configuration only once every part of it has arrived.
 */
public final class NginxConfig {
    public static final int HTTP_PORT = VipPorts.containerPort(VipPorts.HTTP);
    public static final int HTTPS_PORT = VipPorts.containerPort(VipPorts.HTTPS);
    public static final int MANAGEMENT_PORT = VipPorts.containerPort(VipPorts.MANAGEMENT);
    public static final int MANAGEMENT_SECONDARY_PORT = VipPorts.containerPort(VipPorts.MANAGEMENT_SECONDARY);
    public static final String HEALTH_PATH = "/healthz";
    public static final String CONFIG_DIRECTORY = "/etc/nginx/conf";
    public static final String TLS_DIRECTORY = "/etc/nginx/tls";
    public static final String MAIN_FILE = "nginx.conf";
    /** Idle keep-alive connections each front-end worker process keeps to one app. */
    public static final int UPSTREAM_KEEPALIVE_CONNECTIONS = 64;
    /** Requests over one connection, client or upstream, before nginx closes it. */
    public static final int KEEPALIVE_REQUESTS = 10_000;
    /**
     * A cluster IP is listed this many times in its app's upstream, so that a request whose
     * connection failed may be tried again ({@code proxy_next_upstream}): nginx tries each listed
     * server at most once, and kube-proxy picks an instance afresh for the new connection.
     */
    public static final int CLUSTER_IP_ATTEMPTS = 3;
    /** The most shards the front-end pods mount: 16 ConfigMaps of at most {@link #MAX_SHARD_BYTES}. */
    public static final int MAX_SHARDS = 16;
    /** Shards are added (1, 2, 4, ... 16) so that each holds about this much. */
    public static final int TARGET_SHARD_BYTES = 256 * 1024;
    /** Far below the API's 1 MiB object limit, leaving room for metadata. */
    public static final int MAX_SHARD_BYTES = 900 * 1024;
    /** What the first line of a shard and the main file's list of shards begin with. */
    public static final String SHARD_MARKER = "# shard ";

    /** What nginx's server_name accepts as written: lower-case host names, a leading wildcard label. */
    private static final Pattern SAFE_HOST = Pattern.compile("^(\\*\\.)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$");

    private static final Pattern SAFE_CIDR = Pattern.compile("^[0-9a-fA-F:.]{2,45}/[0-9]{1,3}$");
    /** Where a query parameter's value ends. */
    private static final String QUERY_END = "(&|$)";
    /** Where a cookie's value ends. */
    private static final String COOKIE_END = "(;|$)";

    private static final Pattern UNSAFE_COMMENT = Pattern.compile("[^A-Za-z0-9._-]");

    /** The cluster IP and port that carry an app's requests, if its Service has one yet. */
    @FunctionalInterface
    public interface AppAddresses {
        Optional<String> of(IsolatedPlan plan, WebApp app);

        /** The cluster IP and port that carry a deployment slot's requests, if its Service has one yet. */
        default Optional<String> ofSlot(IsolatedPlan plan, WebApp app, String slot) {
            return Optional.empty();
        }

        /** No addresses at all, as for {@code render}, which has no cluster. */
        AppAddresses NONE = (plan, app) -> Optional.empty();
    }

    /**
     * The per-app inputs besides addresses: the apps' certificates copied for the front ends
     * ({@link AppCertificates}, read from {@code certificatesDirectory}) and the instance addresses
     * of the apps with client affinity ({@link AffinityUpstreams}).
     */
    public record AppEdges(
            AppCertificates.Files certificates, String certificatesDirectory, AffinityUpstreams.Endpoints endpoints) {
        /** No app certificates, no instance addresses: as for {@code render}, which has no cluster. */
        public static final AppEdges NONE =
                new AppEdges(AppCertificates.Files.NONE, AppCertificates.DIRECTORY, AffinityUpstreams.Endpoints.NONE);
    }

    private NginxConfig() {}

    public static FrontEndConfiguration render(EnvironmentTopology topology, AppAddresses addresses) {
        return render(topology, addresses, TLS_DIRECTORY, CONFIG_DIRECTORY);
    }

    public static FrontEndConfiguration render(EnvironmentTopology topology, AppAddresses addresses, AppEdges edges) {
        return render(topology, addresses, TLS_DIRECTORY, CONFIG_DIRECTORY, edges);
    }

    public static FrontEndConfiguration render(
            EnvironmentTopology topology, AppAddresses addresses, String tlsDirectory, String configDirectory) {
        return render(topology, addresses, tlsDirectory, configDirectory, AppEdges.NONE);
    }

    /**
     * The configuration with the TLS key pair read from {@code tlsDirectory} ({@code tls.crt},
     * {@code tls.key}, as a kubernetes.io/tls Secret mounts them) and the shards included from
     * {@code configDirectory}.
     */
    public static FrontEndConfiguration render(
            EnvironmentTopology topology,
            AppAddresses addresses,
            String tlsDirectory,
            String configDirectory,
            AppEdges edges) {
        boolean tls = topology.environment().getSpec().tlsSecretName() != null;
        FrontEndTraffic traffic = FrontEndTraffic.of(topology.environment().getSpec());

        List<String> appBlocks = new ArrayList<>();
        List<String> appNames = new ArrayList<>();
        int longestHost = 0;
        int hostCount = 0;
        boolean anyAffinity = false;
        for (IsolatedPlan plan : topology.plans()) {
            for (WebApp asked : topology.apps(plan)) {
                // A running app that grew past its plan's room is routed as it runs: only the slots that have room.
                WebApp app = topology.runningVersion(asked).orElse(asked);
                List<String> hosts = topology.hostNames(app).stream()
                        .filter(h -> SAFE_HOST.matcher(h).matches())
                        .toList();
                if (hosts.isEmpty()) {
                    continue;
                }
                String block = appBlock(topology, plan, app, hosts, addresses, edges, tls, tlsDirectory);
                // One app cannot jam its environment: an app whose servers would take more than its share is left out
                // (held, see oversized), and every other app keeps routing.
                if (block.length() > MAX_APP_BYTES / 2 && oversized(topology, plan, app)) {
                    continue;
                }
                List<String> slotHosts = SlotRouting.hostNames(topology, app).stream()
                        .filter(h -> SAFE_HOST.matcher(h).matches())
                        .toList();
                longestHost = Math.max(
                        longestHost,
                        slotHosts.stream().mapToInt(String::length).max().orElse(0));
                hostCount += slotHosts.size();
                for (String host : hosts) {
                    longestHost = Math.max(longestHost, host.length());
                }
                hostCount += hosts.size();
                appNames.add(app.getMetadata().getName());
                anyAffinity |= app.getSpec().effectiveClientAffinity();
                appBlocks.add(block);
            }
        }
        SortedMap<String, String> shards = shards(appNames, appBlocks);

        StringBuilder c = new StringBuilder();
        c.append("# Generated by ase-operator for AppServiceEnvironment ")
                .append(comment(topology.namespace()))
                .append('/')
                .append(comment(topology.name()))
                .append(". Do not edit.\n");
        shards.forEach((file, content) -> c.append(firstLine(content)).append('\n'));
        // One worker per vCPU of the front-end size: "auto" would count the node's CPUs, not the pod's limit.
        c.append("worker_processes ")
                .append(topology.environment().getSpec().effectiveFrontEndSize().vCpus())
                .append(";\n");
        // Old workers left by a reload (WebSockets, long requests) end within the request timeout.
        c.append("worker_shutdown_timeout ")
                .append(traffic.requestTimeoutDirective())
                .append(";\n");
        c.append("pid /tmp/nginx.pid;\n");
        c.append("error_log /dev/stderr warn;\n\n");
        c.append("events {\n    worker_connections 8192;\n}\n\n");
        c.append("http {\n");
        c.append("    client_body_temp_path /tmp/client_temp;\n");
        c.append("    proxy_temp_path /tmp/proxy_temp;\n");
        c.append("    fastcgi_temp_path /tmp/fastcgi_temp;\n");
        c.append("    uwsgi_temp_path /tmp/uwsgi_temp;\n");
        c.append("    scgi_temp_path /tmp/scgi_temp;\n");
        c.append("    access_log /dev/stdout combined buffer=64k flush=1s;\n");
        c.append("    server_tokens off;\n");
        c.append("    default_type text/plain;\n");
        c.append("    keepalive_timeout 75s;\n");
        // A client connection is reused for at most this long, so one to a stopping front end ends
        // cleanly (Connection: close after a response) within its preStop, before nginx quits.
        c.append("    keepalive_time ")
                .append(FrontEnds.CLIENT_CONNECTION_SECONDS)
                .append("s;\n");
        c.append("    keepalive_requests ").append(KEEPALIVE_REQUESTS).append(";\n");
        c.append("    large_client_header_buffers 4 32k;\n");
        c.append("    # Sized from the longest host name (")
                .append(longestHost)
                .append(") and their number (")
                .append(hostCount)
                .append(").\n");
        c.append("    server_names_hash_bucket_size ")
                .append(hashBucketSize(longestHost))
                .append(";\n");
        c.append("    server_names_hash_max_size ")
                .append(hashMaxSize(hostCount))
                .append(";\n");
        c.append("    client_max_body_size ")
                .append(traffic.maxRequestBodyBytes())
                .append(";\n");
        c.append("    client_body_buffer_size 128k;\n");
        c.append("    proxy_http_version 1.1;\n");
        c.append("    proxy_connect_timeout 10s;\n");
        c.append("    proxy_read_timeout ")
                .append(traffic.requestTimeoutDirective())
                .append(";\n");
        c.append("    proxy_send_timeout ")
                .append(traffic.requestTimeoutDirective())
                .append(";\n");
        c.append(
                "    # A failed connection is tried again on a new one: any request that was not sent yet, an idempotent\n");
        c.append(
                "    # one also when the connection failed after it was sent (nginx never resends POST, PATCH, LOCK).\n");
        c.append("    proxy_next_upstream error timeout;\n");
        c.append("    proxy_next_upstream_tries ").append(CLUSTER_IP_ATTEMPTS).append(";\n");
        c.append("    proxy_next_upstream_timeout ")
                .append(traffic.requestTimeoutDirective())
                .append(";\n");
        c.append("    proxy_buffer_size 16k;\n");
        c.append("    proxy_buffers 8 16k;\n");
        c.append("    ssl_protocols TLSv1.2 TLSv1.3;\n");
        c.append("    ssl_session_cache shared:TLS:10m;\n");
        c.append("    ssl_session_timeout 1h;\n\n");
        c.append(
                "    # WebSockets: an Upgrade is passed on; every other request keeps the upstream connection alive.\n");
        c.append("    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        \"\" \"\";\n    }\n");
        forwardedHeaders(c, traffic.trustedProxies());
        c.append("    proxy_set_header Host $host;\n");
        c.append("    proxy_set_header Upgrade $http_upgrade;\n");
        c.append("    proxy_set_header Connection $connection_upgrade;\n");
        c.append("    proxy_set_header X-Forwarded-Host $host;\n");
        c.append("    proxy_set_header X-Real-IP $remote_addr;\n");
        if (anyAffinity) {
            AffinityUpstreams.maps(c);
        }
        c.append('\n');

        c.append("    # Unknown host names get 404.\n");
        c.append("    server {\n");
        c.append("        listen ").append(HTTP_PORT).append(" default_server;\n");
        c.append("        return 404;\n");
        c.append("    }\n");
        if (tls) {
            c.append("    server {\n");
            c.append("        listen ").append(HTTPS_PORT).append(" ssl http2 default_server;\n");
            tlsCertificate(c, tlsDirectory);
            c.append("        return 404;\n");
            c.append("    }\n");
        }
        c.append("\n    # Management endpoint (VIP ports 454 and 455): health for probes and the platform.\n");
        c.append("    server {\n");
        c.append("        listen ").append(MANAGEMENT_PORT).append(";\n");
        c.append("        listen ").append(MANAGEMENT_SECONDARY_PORT).append(";\n");
        c.append("        location = ").append(HEALTH_PATH).append(" {\n");
        c.append("            access_log off;\n");
        c.append("            return 200 \"ok\\n\";\n");
        c.append("        }\n");
        c.append("        location / {\n            return 404;\n        }\n");
        c.append("    }\n\n");
        c.append("    # The apps, ")
                .append(appBlocks.size())
                .append(" in ")
                .append(shards.size())
                .append(" shard(s).\n");
        for (String file : shards.keySet()) {
            c.append("    include ")
                    .append(configDirectory)
                    .append('/')
                    .append(file)
                    .append(";\n");
        }
        c.append("}\n");
        return new FrontEndConfiguration(c.toString(), shards);
    }

    /**
     * Without trusted proxies the client is the connection's peer and whatever forwarded headers it
     * sent are replaced. With them, the realip module takes the client from X-Forwarded-For when the
     * peer is trusted (skipping trusted hops), the chain it sent is kept and the peer appended, and
     * its X-Forwarded-Proto is believed too.
     */
    private static void forwardedHeaders(StringBuilder c, List<String> proxies) {
        // Validated by admission; only CIDR characters ever reach the file, whatever got past it.
        List<String> trustedProxies = proxies.stream()
                .filter(p -> p != null && SAFE_CIDR.matcher(p).matches())
                .toList();
        if (trustedProxies.isEmpty()) {
            c.append(
                    "    # No trusted proxies: the client is the connection's peer; a forwarded header it sends is replaced.\n");
            c.append("    proxy_set_header X-Forwarded-For $remote_addr;\n");
            c.append("    proxy_set_header X-Forwarded-Proto $scheme;\n");
            return;
        }
        c.append("    # Trusted proxies (spec.frontEnd.trustedProxies): only their X-Forwarded-For is believed.\n");
        for (String cidr : trustedProxies) {
            c.append("    set_real_ip_from ").append(cidr).append(";\n");
        }
        c.append("    real_ip_header X-Forwarded-For;\n");
        c.append("    real_ip_recursive on;\n");
        c.append("    geo $realip_remote_addr $from_trusted_proxy {\n        default 0;\n");
        for (String cidr : trustedProxies) {
            c.append("        ").append(cidr).append(" 1;\n");
        }
        c.append("    }\n");
        c.append("    map \"$from_trusted_proxy:$http_x_forwarded_for\" $forwarded_for {\n");
        c.append("        default $remote_addr;\n");
        c.append("        \"1:\" $realip_remote_addr;\n");
        c.append("        \"~^1:(?<chain>.+)$\" \"$chain, $realip_remote_addr\";\n");
        c.append("    }\n");
        c.append("    map \"$from_trusted_proxy:$http_x_forwarded_proto\" $forwarded_proto {\n");
        c.append("        default $scheme;\n");
        c.append("        \"~^1:(?<proto>https?)$\" $proto;\n");
        c.append("    }\n");
        c.append("    proxy_set_header X-Forwarded-For $forwarded_for;\n");
        c.append("    proxy_set_header X-Forwarded-Proto $forwarded_proto;\n");
    }

    /** The most bytes one app's servers (with its slots') may take: an eighth of a shard, so only many apps fill one. */
    public static final int MAX_APP_BYTES = MAX_SHARD_BYTES / 8;

    /** The longest address a Service can have (IPv6 and port): what admission assumes for every upstream. */
    private static final String LONGEST_ADDRESS = "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535";

    /** Every Service at the longest address, as admission sizes an app (its own and its slots'). */
    private static final AppAddresses LONGEST_ADDRESSES = new AppAddresses() {
        @Override
        public Optional<String> of(IsolatedPlan plan, WebApp app) {
            return Optional.of(LONGEST_ADDRESS);
        }

        @Override
        public Optional<String> ofSlot(IsolatedPlan plan, WebApp app, String slot) {
            return Optional.of(LONGEST_ADDRESS);
        }
    };

    /**
     * The bytes the app's servers take in the front ends' configuration, from this generator, with
     * every Service at the longest address and no instance addresses: a figure of the spec alone,
     * so admission, the environment and the app's own status decide alike.
     */
    public static int appBytes(EnvironmentTopology topology, IsolatedPlan plan, WebApp app) {
        return appBytesAt(topology, plan, app, topology.hostNames(app));
    }

    /** {@link #appBytes} with the app served at the given host names (admission weighs a field by leaving it out). */
    public static int appBytesAt(EnvironmentTopology topology, IsolatedPlan plan, WebApp app, List<String> names) {
        List<String> hosts =
                names.stream().filter(h -> SAFE_HOST.matcher(h).matches()).toList();
        if (hosts.isEmpty()) {
            return 0;
        }
        boolean tls = topology.environment().getSpec().tlsSecretName() != null;
        return appBlock(topology, plan, app, hosts, LONGEST_ADDRESSES, AppEdges.NONE, tls, TLS_DIRECTORY)
                .getBytes(StandardCharsets.UTF_8)
                .length;
    }

    /** Whether the app's servers would take more than {@link #MAX_APP_BYTES}: it is then held, not routed. */
    public static boolean oversized(EnvironmentTopology topology, IsolatedPlan plan, WebApp app) {
        return appBytes(topology, plan, app) > MAX_APP_BYTES;
    }

    private static String appBlock(
            EnvironmentTopology topology,
            IsolatedPlan plan,
            WebApp app,
            List<String> hosts,
            AppAddresses addresses,
            AppEdges edges,
            boolean tls,
            String tlsDirectory) {
        List<String> instances = app.getSpec().effectiveClientAffinity()
                ? AffinityUpstreams.servers(edges.endpoints().of(plan, app))
                : List.of();
        Optional<String> ownCertificate =
                edges.certificates().of(app).map(file -> edges.certificatesDirectory() + "/" + file);
        Optional<SlotRouting> routing = SlotRouting.of(
                topology,
                app,
                deployment -> AppDeployments.PRODUCTION.equals(deployment)
                        ? addresses.of(plan, app)
                        : addresses.ofSlot(plan, app, deployment));
        return appServers(
                        plan,
                        app,
                        hosts,
                        topology.hostNames(app).get(0),
                        addresses.of(plan, app),
                        instances,
                        tls,
                        tlsDirectory,
                        ownCertificate,
                        routing)
                + routing.map(r -> slotServers(r, tls, tlsDirectory)).orElse("");
    }

    /**
     * The app's servers: HTTP (a redirect when the environment serves HTTPS) and HTTPS by SNI, the
     * app's own certificate for its own host names and the environment's for {@code <app>.<dnsSuffix>}.
     * With deployment slots its production host names route as {@link SlotRouting} decides;
     * without, to its Service, or to its instances by cookie when it asks for client affinity.
     */
    private static String appServers(
            IsolatedPlan plan,
            WebApp app,
            List<String> hosts,
            String defaultHost,
            Optional<String> clusterAddress,
            List<String> instances,
            boolean tls,
            String tlsDirectory,
            Optional<String> ownCertificate,
            Optional<SlotRouting> routing) {
        // Affinity needs the instances' own addresses; without ready ones, or with slot routing, the Services as for
        // every app.
        boolean affinity = app.getSpec().effectiveClientAffinity() && routing.isEmpty() && !instances.isEmpty();
        Optional<String> address = affinity ? Optional.of(instances.get(0)) : clusterAddress;
        String appName = app.getMetadata().getName();
        String upstream = "webapp-" + appName;
        StringBuilder c = new StringBuilder();
        c.append("\n# WebApp ")
                .append(comment(appName))
                .append(" on IsolatedPlan ")
                .append(comment(plan.getMetadata().getName()))
                .append('\n');
        String denied = accessRestrictions(c, app);
        if (routing.isPresent()) {
            slotUpstreamsAndMaps(c, routing.get());
        } else if (address.isPresent()) {
            c.append("upstream ").append(upstream).append(" {\n");
            if (affinity) {
                AffinityUpstreams.upstreamServers(c, instances);
            } else {
                clusterIpServers(c, address.get());
            }
            keepalive(c);
            c.append("}\n");
        }
        c.append("server {\n");
        c.append("    listen ").append(HTTP_PORT).append(";\n");
        c.append("    server_name ").append(String.join(" ", hosts)).append(";\n");
        deny(c, denied);
        if (tls) {
            c.append("    return 308 https://$host$request_uri;\n");
        } else {
            location(c, routing, affinity, false, upstream, address.isPresent());
        }
        c.append("}\n");
        if (tls) {
            // By SNI: the app's own certificate for its own host names, the environment's for <app>.<dnsSuffix>.
            List<String> ownHosts =
                    hosts.stream().filter(h -> !h.equals(defaultHost)).toList();
            if (ownCertificate.isPresent() && !ownHosts.isEmpty()) {
                List<String> environmentHosts =
                        hosts.stream().filter(h -> h.equals(defaultHost)).toList();
                if (!environmentHosts.isEmpty()) {
                    httpsServer(c, environmentHosts, tlsDirectory + "/tls", denied);
                    location(c, routing, affinity, true, upstream, address.isPresent());
                    c.append("}\n");
                }
                httpsServer(c, ownHosts, ownCertificate.get(), denied);
            } else {
                httpsServer(c, hosts, tlsDirectory + "/tls", denied);
            }
            location(c, routing, affinity, true, upstream, address.isPresent());
            c.append("}\n");
        }
        return c.toString();
    }

    /** Where a server of the app sends its requests: by slot routing, or to the app's upstream (with the affinity cookie if asked). */
    private static void location(
            StringBuilder c,
            Optional<SlotRouting> routing,
            boolean affinity,
            boolean https,
            String upstream,
            boolean hasAddress) {
        if (routing.isPresent()) {
            slotProductionLocation(c, routing.get());
            return;
        }
        if (affinity) {
            AffinityUpstreams.cookies(c, https);
        }
        proxy(c, upstream, hasAddress);
    }

    /**
     * The upstreams of every deployment of an app with slots, and the maps that choose one for a
     * production request ({@link SlotRouting}).
     */
    private static void slotUpstreamsAndMaps(StringBuilder c, SlotRouting routing) {
        routing.addresses()
                .forEach((deployment, address) ->
                        upstream(c, routing.upstream(deployment).orElseThrow(), address));
        List<DeploymentSlot> slots = routing.slots();
        c.append("# Deployment slots: production is served by deployment ")
                .append(comment(routing.production()))
                .append('\n');
        c.append("split_clients \"${request_id}\" ")
                .append(slotVariable(routing, "split"))
                .append(" {\n");
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
        knownRoutingNames(c, "$args", "(^|&)", QUERY_END, slotVariable(routing, "query"), slots);
        knownRoutingNames(c, "$http_cookie", "(^|;)[ ]*", COOKIE_END, slotVariable(routing, "cookie"), slots);
        orElse(c, slotVariable(routing, "cookie"), slotVariable(routing, "split"), slotVariable(routing, "sticky"));
        orElse(c, slotVariable(routing, "query"), slotVariable(routing, "sticky"), slotVariable(routing, "route"));
        c.append("map ")
                .append(slotVariable(routing, "route"))
                .append(' ')
                .append(slotVariable(routing, "upstream"))
                .append(" {\n");
        c.append("    default \"")
                .append(routing.upstream(routing.production()).orElse(""))
                .append("\";\n");
        for (DeploymentSlot slot : slots) {
            c.append("    \"")
                    .append(slot.getName())
                    .append("\" \"")
                    .append(routing.upstream(routing.servedAt(slot)).orElse(""))
                    .append("\";\n");
        }
        c.append("}\n");
    }

    /** {@code target} is {@code source}, or {@code fallback} where {@code source} is empty. */
    private static void orElse(StringBuilder c, String source, String fallback, String target) {
        c.append("map ").append(source).append(' ').append(target).append(" {\n");
        c.append("    \"\" ").append(fallback).append(";\n");
        c.append("    default ").append(source).append(";\n");
        c.append("}\n");
    }

    /**
     * A map from the query string or the Cookie header to the routing name {@code x-ms-routing-name}
     * is set to, among those it knows (the slots' and {@code self}); anything else is "". Slot names
     * are DNS labels, so they stand in a regular expression as themselves.
     */
    private static void knownRoutingNames(
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
    private static void slotProductionLocation(StringBuilder c, SlotRouting routing) {
        c.append("    location / {\n");
        c.append("        add_header Set-Cookie \"")
                .append(AppDeployments.ROUTING_NAME)
                .append('=')
                .append(slotVariable(routing, "route"))
                .append("; Path=/; HttpOnly\" always;\n");
        c.append("        if (").append(slotVariable(routing, "upstream")).append(" = \"\") {\n");
        c.append("            # The chosen deployment's Service has no cluster IP yet.\n");
        c.append("            return 503;\n");
        c.append("        }\n");
        c.append("        proxy_pass http://")
                .append(slotVariable(routing, "upstream"))
                .append(";\n");
        c.append("    }\n");
    }

    /** One server per slot host name, to the deployment the slot holds, with the slot's access restrictions. */
    private static String slotServers(SlotRouting routing, boolean tls, String tlsDirectory) {
        StringBuilder c = new StringBuilder();
        WebApp app = routing.app();
        String appName = app.getMetadata().getName();
        for (DeploymentSlot slot : routing.slots()) {
            String host = routing.host(slot);
            String served = routing.servedAt(slot);
            Optional<String> upstream = routing.upstream(served);
            c.append("\n# Slot ")
                    .append(comment(slot.getName()))
                    .append(" of WebApp ")
                    .append(comment(appName))
                    .append(": deployment ")
                    .append(comment(served))
                    .append('\n');
            String denied = accessRestrictions(
                    c,
                    AppDeployments.asApp(app, slot.getName()).getSpec().effectiveAccessRestrictions(),
                    app.getMetadata().getNamespace() + "/" + appName + "/" + slot.getName());
            List<Boolean> listeners = new ArrayList<>(tls ? List.of(false, true) : List.of(false));
            for (boolean https : listeners) {
                c.append("server {\n");
                c.append("    listen ")
                        .append(https ? HTTPS_PORT + " ssl http2" : HTTP_PORT)
                        .append(";\n");
                c.append("    server_name ").append(host).append(";\n");
                if (https) {
                    tlsCertificate(c, tlsDirectory);
                }
                deny(c, denied);
                if (tls && !https) {
                    c.append("    return 308 https://$host$request_uri;\n");
                } else {
                    proxy(c, upstream.orElse(""), upstream.isPresent());
                }
                c.append("}\n");
            }
        }
        return c.toString();
    }

    /** An nginx variable of an app's slot routing, by its role. */
    private static String slotVariable(SlotRouting routing, String role) {
        return "$slot_" + role + "_" + routing.key();
    }

    /** The start of an HTTPS server of an app for some of its names, with the key pair {@code <certificate>.crt} and {@code .key}. */
    private static void httpsServer(StringBuilder c, List<String> hosts, String certificate, String denied) {
        c.append("server {\n");
        c.append("    listen ").append(HTTPS_PORT).append(" ssl http2;\n");
        c.append("    server_name ").append(String.join(" ", hosts)).append(";\n");
        c.append("    ssl_certificate ")
                .append(certificate)
                .append(AppCertificates.CERTIFICATE_SUFFIX)
                .append(";\n");
        c.append("    ssl_certificate_key ")
                .append(certificate)
                .append(AppCertificates.PRIVATE_KEY_SUFFIX)
                .append(";\n");
        deny(c, denied);
    }

    /** An upstream at one Service's cluster IP and port, with a keep-alive pool. */
    private static void upstream(StringBuilder c, String name, String address) {
        c.append("upstream ").append(name).append(" {\n");
        clusterIpServers(c, address);
        keepalive(c);
        c.append("}\n");
    }

    /** A cluster IP, listed {@link #CLUSTER_IP_ATTEMPTS} times so that a failed connection can be tried again. */
    private static void clusterIpServers(StringBuilder c, String address) {
        for (int i = 0; i < CLUSTER_IP_ATTEMPTS; i++) {
            c.append("    server ").append(address).append(" max_fails=0;\n");
        }
    }

    /**
     * The keep-alive pool, its connections recycled quickly ({@link EndpointDrain}): kube-proxy
     * pins a connection to one instance, so a pooled connection must not outlive that instance's
     * place in the Service's endpoints by more than a few seconds.
     */
    private static void keepalive(StringBuilder c) {
        c.append("    keepalive ").append(UPSTREAM_KEEPALIVE_CONNECTIONS).append(";\n");
        c.append("    keepalive_requests ").append(KEEPALIVE_REQUESTS).append(";\n");
        c.append("    keepalive_time ")
                .append(EndpointDrain.UPSTREAM_CONNECTION_SECONDS)
                .append("s;\n");
        c.append("    keepalive_timeout ")
                .append(EndpointDrain.UPSTREAM_IDLE_SECONDS)
                .append("s;\n");
    }

    /**
     * The app's access restrictions ({@link AccessRules}) as a {@code geo} table of the client
     * address ($remote_addr, which trusted proxies' X-Forwarded-For has already set): the name of
     * the variable that is 1 for a denied client, or null when the app has no rules.
     */
    private static String accessRestrictions(StringBuilder c, WebApp app) {
        return accessRestrictions(
                c,
                app.getSpec().effectiveAccessRestrictions(),
                app.getMetadata().getNamespace() + "/" + app.getMetadata().getName());
    }

    /** The rules as a {@code geo} table whose variable is named by the hash of {@code key}; null without rules. */
    private static String accessRestrictions(StringBuilder c, List<AccessRestriction> rules, String key) {
        if (rules.isEmpty()) {
            return null;
        }
        String variable = "$webapp_denied_" + ResourceNames.hash(key);
        c.append("geo $remote_addr ").append(variable).append(" {\n");
        c.append("    default 1;\n");
        for (AccessRules.Entry entry : AccessRules.effective(rules)) {
            c.append("    ")
                    .append(entry.cidr())
                    .append(entry.allow() ? " 0;" : " 1;")
                    .append("  # ")
                    .append(comment(entry.ruleName()))
                    .append('\n');
        }
        c.append("}\n");
        return variable;
    }

    private static void deny(StringBuilder c, String deniedVariable) {
        if (deniedVariable != null) {
            c.append("    if (").append(deniedVariable).append(") {\n        return 403;\n    }\n");
        }
    }

    private static void proxy(StringBuilder c, String upstream, boolean hasAddress) {
        c.append("    location / {\n");
        if (hasAddress) {
            c.append("        proxy_pass http://").append(upstream).append(";\n");
        } else {
            c.append("        # The app's Service has no cluster IP yet.\n");
            c.append("        return 503;\n");
        }
        c.append("    }\n");
    }

    private static void tlsCertificate(StringBuilder c, String directory) {
        c.append("    ssl_certificate ").append(directory).append("/tls.crt;\n");
        c.append("    ssl_certificate_key ").append(directory).append("/tls.key;\n");
    }

    /**
     * The apps' servers in 1, 2, 4, 8 or 16 shards, each app in the shard its name hashes to, so an
     * app stays where it is while the number of shards does. Each shard begins with the line the
     * main file lists for it: its name and the hash of its content.
     */
    static SortedMap<String, String> shards(List<String> appNames, List<String> appBlocks) {
        long total = appBlocks.stream()
                .mapToLong(b -> b.getBytes(StandardCharsets.UTF_8).length)
                .sum();
        int count = 1;
        while (count < MAX_SHARDS && total > (long) count * TARGET_SHARD_BYTES) {
            count *= 2;
        }
        List<StringBuilder> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bodies.add(new StringBuilder());
        }
        for (int i = 0; i < appBlocks.size(); i++) {
            bodies.get(shardOf(appNames.get(i), count)).append(appBlocks.get(i));
        }
        SortedMap<String, String> shards = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String file = shardFile(i);
            String body = bodies.get(i).toString();
            String content = SHARD_MARKER + file + " " + Checksums.sha256(body) + "\n" + body;
            int bytes = content.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_SHARD_BYTES) {
                throw new IllegalStateException("the front-end configuration's " + file + " would be " + bytes
                        + " bytes (at most " + MAX_SHARD_BYTES + " in one ConfigMap) with " + MAX_SHARDS
                        + " shards: too many apps or host names in one environment");
            }
            shards.put(file, content);
        }
        return shards;
    }

    /** The file name of shard {@code i}: {@code apps-00.conf} ... {@code apps-15.conf}. */
    public static String shardFile(int index) {
        return String.format("apps-%02d.conf", index);
    }

    static int shardOf(String appName, int count) {
        return Integer.parseUnsignedInt(ResourceNames.hash(appName).substring(0, 6), 16) % count;
    }

    private static String firstLine(String content) {
        return content.substring(0, content.indexOf('\n'));
    }

    /**
     * Bucket for the longest name: nginx keeps each name with a pointer and its length, aligned to
     * 8 bytes, and a bucket ends in a pointer; a power of two at least 64 (a cache line).
     */
    static int hashBucketSize(int longestHost) {
        int needed = ((longestHost + 2 + 8 + 7) / 8) * 8 + 8;
        int size = 64;
        while (size < needed) {
            size *= 2;
        }
        return size;
    }

    /** Room for four times the names, so nginx finds a hash size where every bucket fits. */
    static int hashMaxSize(int hostCount) {
        return Math.max(1024, Integer.highestOneBit(Math.max(1, hostCount) * 4) * 2);
    }

    /** A name as it may stand in a comment: anything but [A-Za-z0-9._-] shown as '?'. */
    private static String comment(String name) {
        return UNSAFE_COMMENT.matcher(name == null ? "" : name).replaceAll("?");
    }
}
