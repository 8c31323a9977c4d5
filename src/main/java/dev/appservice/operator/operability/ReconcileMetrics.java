package dev.appservice.operator.operability;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The operator SDK's reconcile metrics (started, succeeded, failed, retried, execution duration,
 * queue: labelled by controller, never by object), recorded in the application's registry.
 * <p>
 * quarkus-operator-sdk 7.7.3 hands the SDK {@code Metrics.NOOP} in a packaged (prod) run when its
 * own provider has not yet been bound to the registry (quarkiverse/quarkus-operator-sdk#1385, fixed
 * in a later release than the Maven Central we build from serves); tests in dev/test mode never
 * see it. Producing the bean here, from the injected registry, is the fix its maintainers chose.
 * {@code PackagedOperatorIT} scrapes the packaged jar to keep it true.
 * <p>
 * The SDK creates a controller's failure and retry counters at its first failure; they are created
 * here at zero, with the SDK's tags, so that {@code rate()} and the chart's alerts see every
 * controller from the start and a first failure is an increase, not a new series.
 */
@ApplicationScoped
public class ReconcileMetrics {
    static final String CONTROLLER_NAME = "controller.name";
    static final String[] COUNTED_FROM_ZERO = {"reconciliations.failure.total", "reconciliations.retries.total"};

    @Produces
    @Singleton
    Metrics reconcileMetrics(MeterRegistry registry) {
        return MicrometerMetricsV2.newBuilder(registry).build();
    }

    void countFromZero(@Observes StartupEvent event, Operator operator, MeterRegistry registry) {
        for (RegisteredController<?> controller : operator.getRegisteredControllers()) {
            for (String counter : COUNTED_FROM_ZERO) {
                registry.counter(
                        counter, CONTROLLER_NAME, controller.getConfiguration().getName());
            }
        }
    }
}
