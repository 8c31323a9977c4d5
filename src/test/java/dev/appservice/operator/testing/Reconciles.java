package dev.appservice.operator.testing;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;
import java.time.Duration;

/**
 * The operator's finished reconciles, per controller, from the SDK's own counter
 * ({@code reconciliations.success.total}). A test that must show that nothing happened waits for
 * the reconcile its change caused, then reads the request log, instead of sleeping and hoping the
 * operator was done.
 */
public final class Reconciles {
    private static final String SUCCEEDED = "reconciliations.success.total";
    private static final String CONTROLLER = "controller.name";

    private Reconciles() {}

    /** Reconciles of the controller that have succeeded so far. */
    public static double succeeded(String controller) {
        MeterRegistry registry = Arc.container().instance(MeterRegistry.class).get();
        Counter counter = registry.find(SUCCEEDED).tag(CONTROLLER, controller).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Waits until the controller has finished at least one more reconcile than {@code before}. */
    public static void awaitAnotherAfter(String controller, double before, Duration timeout) {
        await().atMost(timeout).until(() -> succeeded(controller) > before);
    }
}
