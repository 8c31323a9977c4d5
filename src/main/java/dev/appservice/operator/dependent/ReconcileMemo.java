package dev.appservice.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.function.Supplier;

/**
 * A value computed once per reconcile and kept in its context, so the reconciler, its dependents
 * and the status read the same one (a resource's desired children, an app's placement).
 */
public final class ReconcileMemo {
    private ReconcileMemo() {}

    /** The value under {@code key}, computed by {@code compute} the first time it is asked for in this reconcile. */
    public static <T> T computeIfAbsent(Context<?> context, String key, Class<T> type, Supplier<T> compute) {
        var memo = context.managedWorkflowAndDependentResourceContext();
        return memo.get(key, type).orElseGet(() -> {
            T value = compute.get();
            memo.put(key, value);
            return value;
        });
    }

    /** The value a reconciler computed before its dependents run: asking for it earlier is a programming error. */
    public static <T> T required(Context<?> context, String key, Class<T> type) {
        return context.managedWorkflowAndDependentResourceContext()
                .get(key, type)
                .orElseThrow(() ->
                        new IllegalStateException("the reconciler computes " + key + " before its dependents run"));
    }
}
