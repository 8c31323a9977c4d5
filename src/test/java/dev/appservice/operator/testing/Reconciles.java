package dev.appservice.operator.testing;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The operator's reconciles, from the SDK's own meters ({@code reconciliations.success.total} per
 * controller; {@code reconciliations.queue} and {@code reconciliations.active}, the reconciles
 * submitted and running; {@code events.received}). A test that must show that nothing happened
 * waits for the reconciles its change caused, then reads the request log, instead of sleeping and
 * hoping the operator was done.
 */
public final class Reconciles {
    private static final String SUCCEEDED = "reconciliations.success.total";
    private static final String QUEUED = "reconciliations.queue";
    private static final String ACTIVE = "reconciliations.active";
    private static final String EVENTS = "events.received";
    private static final String CONTROLLER = "controller.name";

    private Reconciles() {}

    /** Reconciles of the controller that have succeeded so far. */
    public static double succeeded(String controller) {
        MeterRegistry registry = registry();
        Counter counter = registry.find(SUCCEEDED).tag(CONTROLLER, controller).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Waits until the controller has finished at least one more reconcile than {@code before}. */
    public static void awaitAnotherAfter(String controller, double before, Duration timeout) {
        await().atMost(timeout).until(() -> succeeded(controller) > before);
    }

    /**
     * Waits until every reconcile submitted so far, and every one the events they caused submitted
     * in turn, has finished: no controller has a reconcile queued or running, and no event arrived
     * between two looks at that. Call it after the change's own effect has been seen (the object
     * written, the status reported), so that its events have reached the operator.
     */
    public static void awaitIdle(Duration timeout) {
        AtomicReference<Double> eventsAtLastIdle = new AtomicReference<>(-1.0);
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (busy() > 0) {
                eventsAtLastIdle.set(-1.0);
                return false;
            }
            double events = events();
            return events == eventsAtLastIdle.getAndSet(events);
        });
    }

    private static double busy() {
        MeterRegistry registry = registry();
        double busy = 0;
        for (Gauge gauge : registry.find(QUEUED).gauges()) {
            busy += gauge.value();
        }
        for (Gauge gauge : registry.find(ACTIVE).gauges()) {
            busy += gauge.value();
        }
        return busy;
    }

    private static double events() {
        return registry().find(EVENTS).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private static MeterRegistry registry() {
        return Arc.container().instance(MeterRegistry.class).get();
    }
}
