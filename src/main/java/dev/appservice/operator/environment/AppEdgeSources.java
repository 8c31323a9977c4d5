package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.desired.AffinityUpstreams;
import dev.appservice.operator.desired.AppCertificates;
import dev.appservice.operator.desired.NginxConfig;
import dev.appservice.operator.informer.AppSecretSource;
import dev.appservice.operator.informer.CacheIndexes;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.EnvironmentMembership;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the front ends need of the apps besides their Services: the apps' own certificates (the
 * {@code kubernetes.io/tls} Secrets they name) and, for apps with client affinity, their
 * instances' addresses (the EndpointSlices of their Services). Both informers wake the
 * environment of the app they concern: a Secret through the apps that name it, an EndpointSlice
 * only when its app asks for affinity, so instances coming and going rewrite the configuration
 * (and reload the front ends) for affinity apps alone.
 *
 * <p>Only Secrets of type {@code kubernetes.io/tls} are watched (a field selector): the operator
 * never caches service-account tokens, Helm releases and other Secrets it has no use for. So an
 * app that names a Secret of another type sees it as not found (the message says both).
 */
final class AppEdgeSources {
    /** The Secrets apps name in {@code spec.tls.secretName}. */
    static final String APP_SECRETS = "app-secrets";
    /** The EndpointSlices of the apps' own Services. */
    static final String APP_ENDPOINTS = "app-endpoints";

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    /** EndpointSlices by {@code namespace/service}. */
    private static final String SLICES_BY_SERVICE = "appservice.dev/slices-by-service";

    private AppEdgeSources() {}

    static InformerEventSource<Secret, AppServiceEnvironment> secrets(
            EventSourceContext<AppServiceEnvironment> context,
            InformerEventSource<WebApp, AppServiceEnvironment> apps,
            InformerEventSource<IsolatedPlan, AppServiceEnvironment> plans) {
        apps.addIndexer(CacheIndexes.APPS_BY_TLS_SECRET, CacheIndexes.appsByTlsSecret());
        return AppSecretSource.of(
                InformerEventSourceConfiguration.from(Secret.class, AppServiceEnvironment.class)
                        .withName(APP_SECRETS)
                        .withFieldSelector(
                                new FieldSelector(new FieldSelector.Field("type", AppCertificates.SECRET_TYPE)))
                        .withSecondaryToPrimaryMapper((Secret secret) -> {
                            Set<ResourceID> environments = new HashSet<>();
                            appsNaming(apps, ResourceID.fromResource(secret))
                                    .forEach(app -> environmentOf(app, plans).ifPresent(environments::add));
                            return environments;
                        }),
                secret -> !appsNaming(apps, secret).isEmpty(),
                context);
    }

    private static List<WebApp> appsNaming(InformerEventSource<WebApp, AppServiceEnvironment> apps, ResourceID secret) {
        return apps.byIndex(
                CacheIndexes.APPS_BY_TLS_SECRET,
                CacheIndexes.key(secret.getNamespace().orElse(null), secret.getName()));
    }

    static InformerEventSource<EndpointSlice, AppServiceEnvironment> endpoints(
            EventSourceContext<AppServiceEnvironment> context,
            InformerEventSource<WebApp, AppServiceEnvironment> apps,
            InformerEventSource<IsolatedPlan, AppServiceEnvironment> plans,
            InformerEventSource<Service, AppServiceEnvironment> appServices) {
        var slices = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(EndpointSlice.class, AppServiceEnvironment.class)
                        .withItemStore(new SharingItemStore<>())
                        .withName(APP_ENDPOINTS)
                        // The EndpointSlice controller copies the Service's labels: the apps' own Services are labelled
                        // with their app.
                        .withLabelSelector(StandardLabels.APP_WORKLOADS_SELECTOR)
                        .withSecondaryToPrimaryMapper((EndpointSlice slice) -> {
                            String namespace = slice.getMetadata().getNamespace();
                            String service = slice.getMetadata().getLabels() == null
                                    ? null
                                    : slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
                            if (service == null) {
                                return Set.of();
                            }
                            return appServices.get(new ResourceID(service, namespace)).stream()
                                    .flatMap(s -> s.getMetadata().getOwnerReferences().stream())
                                    .filter(owner ->
                                            WebApp.class.getSimpleName().equals(owner.getKind()))
                                    .flatMap(owner -> apps.get(new ResourceID(owner.getName(), namespace)).stream())
                                    .filter(app -> app.getSpec() != null
                                            && app.getSpec().effectiveClientAffinity())
                                    .flatMap(app -> environmentOf(app, plans).stream())
                                    .collect(java.util.stream.Collectors.toSet());
                        })
                        .build(),
                context);
        // An affinity app's slices are looked up by their Service, not found by scanning the namespace's slices.
        slices.addIndexer(
                SLICES_BY_SERVICE,
                slice -> slice.getMetadata().getLabels() == null
                                || slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL) == null
                        ? List.of()
                        : List.of(CacheIndexes.key(
                                slice.getMetadata().getNamespace(),
                                slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL))));
        return slices;
    }

    private static Optional<ResourceID> environmentOf(
            WebApp app, InformerEventSource<IsolatedPlan, AppServiceEnvironment> plans) {
        return EnvironmentMembership.environmentOf(app, plans::get);
    }

    /**
     * The certificates of the environment's apps that the front ends can serve, by app: none when
     * the environment serves HTTP only. Read once per reconcile, with the rest of the environment's
     * children ({@link MemoisedChildren}).
     */
    @SuppressWarnings("unchecked")
    static Map<WebApp, AppCertificates.Verdict.Usable> usableCertificates(
            EnvironmentTopology topology, Context<AppServiceEnvironment> context) {
        Map<WebApp, AppCertificates.Verdict.Usable> usable = new LinkedHashMap<>();
        if (topology.environment().getSpec().tlsSecretName() != null) {
            var secrets = (AppSecretSource<AppServiceEnvironment>)
                    context.eventSourceRetriever().getEventSourceFor(Secret.class, APP_SECRETS);
            for (IsolatedPlan plan : topology.plans()) {
                for (WebApp app : topology.apps(plan)) {
                    String secretName = app.getSpec().tlsSecretName();
                    if (secretName != null
                            && AppCertificates.check(
                                            topology.namespace(),
                                            secretName,
                                            secrets.read(new ResourceID(secretName, topology.namespace())))
                                    instanceof AppCertificates.Verdict.Usable pair) {
                        usable.put(app, pair);
                    }
                }
            }
        }
        return usable;
    }

    /** The per-app inputs of the nginx configuration: copied certificates, and the affinity apps' ready instances. */
    @SuppressWarnings("unchecked")
    static NginxConfig.AppEdges edges(
            EnvironmentTopology topology,
            Map<WebApp, AppCertificates.Verdict.Usable> usable,
            Context<AppServiceEnvironment> context) {
        Map<String, String> fileByApp = new LinkedHashMap<>();
        usable.forEach((app, pair) -> fileByApp.put(app.getMetadata().getName(), AppCertificates.fileOf(app, pair)));
        var slices = (InformerEventSource<EndpointSlice, AppServiceEnvironment>)
                context.eventSourceRetriever().getEventSourceFor(EndpointSlice.class, APP_ENDPOINTS);
        String namespace = topology.namespace();
        AffinityUpstreams.Endpoints endpoints = (plan, app) -> readyAddresses(slices.byIndex(
                SLICES_BY_SERVICE,
                CacheIndexes.key(
                        namespace, ResourceNames.appWorkload(app.getMetadata().getName()))));
        return new NginxConfig.AppEdges(
                app -> Optional.ofNullable(fileByApp.get(app.getMetadata().getName())),
                AppCertificates.DIRECTORY,
                endpoints);
    }

    /** The {@code ip:port} of every ready endpoint of the slices (an endpoint without conditions counts as ready). */
    static List<String> readyAddresses(List<EndpointSlice> slices) {
        List<String> addresses = new ArrayList<>();
        for (EndpointSlice slice : slices) {
            Optional<Integer> port = slice.getPorts() == null
                    ? Optional.empty()
                    : slice.getPorts().stream()
                            .map(EndpointPort::getPort)
                            .filter(Objects::nonNull)
                            .findFirst();
            if (port.isEmpty() || slice.getEndpoints() == null) {
                continue;
            }
            boolean ipv6 = "IPv6".equals(slice.getAddressType());
            for (Endpoint endpoint : slice.getEndpoints()) {
                boolean ready = endpoint.getConditions() == null
                        || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
                if (ready
                        && endpoint.getAddresses() != null
                        && !endpoint.getAddresses().isEmpty()) {
                    String ip = endpoint.getAddresses().get(0);
                    addresses.add((ipv6 ? "[" + ip + "]" : ip) + ":" + port.get());
                }
            }
        }
        return addresses;
    }
}
