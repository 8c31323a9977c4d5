package dev.appservice.operator.plan;

import dev.appservice.operator.admission.SpecValidation;
import dev.appservice.operator.api.AppServiceEnvironment;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Whether a version of an environment passes its own rules, remembered per version ({@code uid}
 * and {@code resourceVersion}). Every reconcile of every plan asks it of the plan's environment,
 * and the answer takes 20 ms for an NSG of 4,000 rules a direction (BENCHMARKS.md); a version's
 * answer never changes.
 */
final class EnvironmentValidity {
    /** Versions remembered before starting over: far more than the environments one operator runs. */
    private static final int VERSIONS = 4096;

    private final ConcurrentMap<String, Boolean> byVersion = new ConcurrentHashMap<>();

    boolean acceptable(AppServiceEnvironment environment) {
        String uid = environment.getMetadata().getUid();
        String version = environment.getMetadata().getResourceVersion();
        if (uid == null || version == null) {
            return SpecValidation.acceptable(environment);
        }
        if (byVersion.size() > VERSIONS) {
            byVersion.clear();
        }
        return byVersion.computeIfAbsent(uid + "/" + version, key -> SpecValidation.acceptable(environment));
    }
}
