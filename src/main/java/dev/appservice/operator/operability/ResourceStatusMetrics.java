package dev.appservice.operator.operability;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.AppServiceEnvironmentStatus;
import dev.appservice.operator.api.ObservedStatus;
import dev.appservice.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.processing.Controller;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What the platform looks like, from the status the reconcilers wrote, as Prometheus gauges (the
 * chart's dashboard and alerts read them):
 * <ul>
 *   <li>{@code ase_operator_leader}: 1 on the replica whose controllers process events (the leader,
 *       or the only replica without leader election), 0 on a standby;</li>
 *   <li>{@code ase_resources{kind, ready, reason}}: environments, plans and apps by the status and
 *       reason of their {@code Ready} condition ({@code Unknown}/{@code NotObserved} before the first
 *       status);</li>
 *   <li>per environment ({@code environment_namespace}, {@code environment}):
 *       {@code ase_environment_front_ends_desired}, {@code _ready},
 *       {@code ase_environment_instances_used}, {@code _limit} (V1: hosts against 55), and
 *       {@code ase_environment_condition{type, status}} = 1 for each condition (Ready,
 *       ManagementReachable, DnsReachable, NetworkPolicyReady).</li>
 * </ul>
 * Only the leader exports the status gauges, so summing over replicas counts each resource once.
 * They are read from the controllers' own informer caches (no API call) every
 * {@code ase.metrics.status-refresh} (default 10 s). The per-environment series grow with the
 * number of environments (hundreds at most), never with plans or apps; the by-reason counts and
 * the SDK's reconcile metrics have no per-object label.
 */
@ApplicationScoped
public class ResourceStatusMetrics {
    static final String NOT_OBSERVED = "NotObserved";
    private static final Logger LOG = Logger.getLogger(ResourceStatusMetrics.class);

    @Inject
    Operator operator;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "ase.metrics.status-refresh", defaultValue = "10s")
    Duration refresh;

    private Series resources;
    private Series frontEndsDesired;
    private Series frontEndsReady;
    private Series instancesUsed;
    private Series instancesLimit;
    private Series environmentConditions;
    private ScheduledExecutorService refresher;

    void start(@Observes StartupEvent event) {
        Gauge.builder("ase.operator.leader", this, m -> m.leading() ? 1 : 0)
                .description("1 on the replica that reconciles (the leader), 0 on a standby")
                .register(registry);
        resources = new Series(MultiGauge.builder("ase.resources")
                .description(
                        "AppServiceEnvironments, IsolatedPlans and WebApps by the status and reason of their Ready condition")
                .register(registry));
        frontEndsDesired = new Series(MultiGauge.builder("ase.environment.front.ends.desired")
                .description("Front ends the environment should run")
                .register(registry));
        frontEndsReady = new Series(MultiGauge.builder("ase.environment.front.ends.ready")
                .description("Front ends of the environment that are ready")
                .register(registry));
        instancesUsed = new Series(MultiGauge.builder("ase.environment.instances.used")
                .description("Plan instances placed in the environment (V1: hosts)")
                .register(registry));
        instancesLimit = new Series(MultiGauge.builder("ase.environment.instances.limit")
                .description("The most instances the environment holds (V2: maxInstances; V1: 55 hosts)")
                .register(registry));
        environmentConditions = new Series(MultiGauge.builder("ase.environment.condition")
                .description("1 for each condition of the environment, with its type and status")
                .register(registry));
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ase-status-metrics");
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(this::refreshSafely, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    private void refreshSafely() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warnf(e, "could not refresh the status metrics");
        }
    }

    /** True when this replica's controllers process events: it is the leader (or the only replica). */
    boolean leading() {
        return !operator.getRegisteredControllers().isEmpty()
                && operator.getRegisteredControllers().stream()
                        .allMatch(c -> c instanceof Controller<?> controller
                                && controller.getEventProcessor().isRunning());
    }

    void refresh() {
        boolean leading = leading();
        Map<Tags, Integer> byReason = new HashMap<>();
        Map<Tags, Integer> desired = new HashMap<>();
        Map<Tags, Integer> ready = new HashMap<>();
        Map<Tags, Integer> used = new HashMap<>();
        Map<Tags, Integer> limit = new HashMap<>();
        Map<Tags, Integer> conditions = new HashMap<>();
        if (leading) {
            for (RegisteredController<?> registered : operator.getRegisteredControllers()) {
                for (HasMetadata resource : cached(registered)) {
                    Optional<Condition> readyCondition = conditions(resource).stream()
                            .filter(c -> Conditions.READY.equals(c.getType()))
                            .findFirst();
                    Tags tags = Tags.of(
                            "kind",
                            resource.getKind(),
                            "ready",
                            readyCondition.map(Condition::getStatus).orElse(Conditions.UNKNOWN),
                            "reason",
                            readyCondition
                                    .map(Condition::getReason)
                                    .filter(r -> !r.isBlank())
                                    .orElse(NOT_OBSERVED));
                    byReason.merge(tags, 1, Integer::sum);
                    if (resource instanceof AppServiceEnvironment environment) {
                        Tags of = Tags.of(
                                "environment_namespace",
                                environment.getMetadata().getNamespace(),
                                "environment",
                                environment.getMetadata().getName());
                        AppServiceEnvironmentStatus status = environment.getStatus();
                        addRow(
                                desired,
                                of,
                                status,
                                s -> s.getFrontEnds() == null
                                        ? null
                                        : s.getFrontEnds().getDesired());
                        addRow(
                                ready,
                                of,
                                status,
                                s -> s.getFrontEnds() == null
                                        ? null
                                        : s.getFrontEnds().getReady());
                        addRow(
                                used,
                                of,
                                status,
                                s -> s.getInstances() == null
                                        ? null
                                        : s.getInstances().getUsed());
                        addRow(
                                limit,
                                of,
                                status,
                                s -> s.getInstances() == null
                                        ? null
                                        : s.getInstances().getLimit());
                        for (Condition condition : conditions(environment)) {
                            conditions.put(of.and("type", condition.getType(), "status", condition.getStatus()), 1);
                        }
                    }
                }
            }
        }
        resources.publish(byReason);
        frontEndsDesired.publish(desired);
        frontEndsReady.publish(ready);
        instancesUsed.publish(used);
        instancesLimit.publish(limit);
        environmentConditions.publish(conditions);
    }

    private static List<? extends HasMetadata> cached(RegisteredController<?> registered) {
        if (!(registered instanceof Controller<?> controller)) {
            return List.of();
        }
        return controller
                .getEventSourceManager()
                .getControllerEventSource()
                .list(r -> true)
                .toList();
    }

    private static List<Condition> conditions(HasMetadata resource) {
        if (resource instanceof CustomResource<?, ?> custom
                && custom.getStatus() instanceof ObservedStatus status
                && status.getConditions() != null) {
            return status.getConditions();
        }
        return List.of();
    }

    private static void addRow(
            Map<Tags, Integer> rows,
            Tags tags,
            AppServiceEnvironmentStatus status,
            Function<AppServiceEnvironmentStatus, Integer> figure) {
        Integer value = status == null ? null : figure.apply(status);
        if (value != null) {
            rows.put(tags, value);
        }
    }

    /**
     * One gauge family whose series are registered once and then read the latest refresh's values.
     * Re-registering every series on each refresh (Micrometer's overwrite) removes it for a moment,
     * and a scrape in that moment would miss series that are there; here a series disappears only
     * when its resource or condition does.
     */
    private static final class Series {
        private final MultiGauge gauge;
        private volatile Map<Tags, Integer> values = Map.of();

        Series(MultiGauge gauge) {
            this.gauge = gauge;
        }

        void publish(Map<Tags, Integer> latest) {
            Map<Tags, Integer> during = new HashMap<>(values);
            during.putAll(latest);
            values = during;
            gauge.register(
                    latest.keySet().stream()
                            .<MultiGauge.Row<?>>map(tags -> MultiGauge.Row.of(tags, this, s -> s.value(tags)))
                            .toList(),
                    false);
            values = Map.copyOf(latest);
        }

        private double value(Tags tags) {
            Integer value = values.get(tags);
            return value == null ? Double.NaN : value;
        }
    }
}
