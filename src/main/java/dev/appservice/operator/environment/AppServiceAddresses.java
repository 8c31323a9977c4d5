package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.desired.NginxConfig;
import dev.appservice.operator.model.AppDeployments;
import dev.appservice.operator.model.AppServices;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;

/**
 * The apps' addresses for the front ends, read from the informer cache of the Services that run
 * apps: the cluster IP of the app's {@link AppServices#service}, if it has one, with the app's port.
 */
final class AppServiceAddresses {
    private AppServiceAddresses() {}

    @SuppressWarnings("unchecked")
    static NginxConfig.AppAddresses from(AppServiceEnvironment environment, Context<AppServiceEnvironment> context) {
        InformerEventSource<Service, AppServiceEnvironment> services =
                (InformerEventSource<Service, AppServiceEnvironment>) context.eventSourceRetriever()
                        .getEventSourceFor(Service.class, AppServiceEnvironmentReconciler.APP_SERVICES);
        String namespace = environment.getMetadata().getNamespace();
        return new NginxConfig.AppAddresses() {
            @Override
            public Optional<String> of(IsolatedPlan plan, WebApp app) {
                return services.get(new ResourceID(AppServices.service(app), namespace))
                        .flatMap(AppServiceAddresses::clusterIp)
                        .map(ip -> address(ip, app));
            }

            /** A slot's own Service ({@link AppDeployments#workload}), from the same informer. */
            @Override
            public Optional<String> ofSlot(IsolatedPlan plan, WebApp app, String slot) {
                return services.get(new ResourceID(
                                AppDeployments.workload(app.getMetadata().getName(), slot), namespace))
                        .flatMap(AppServiceAddresses::clusterIp)
                        .map(ip -> address(ip, app));
            }
        };
    }

    private static String address(String ip, WebApp app) {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + AppServices.port(app);
    }

    /** The Service's cluster IP, if it has one (a headless Service has none). */
    static Optional<String> clusterIp(Service service) {
        String ip = service.getSpec() == null ? null : service.getSpec().getClusterIP();
        return ip == null || ip.isBlank() || "None".equals(ip) ? Optional.empty() : Optional.of(ip);
    }
}
