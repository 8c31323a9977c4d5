package dev.appservice.operator.model;

import dev.appservice.operator.api.WebAppSpec;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code spec.startTimeLimit} (App Service's {@code WEBSITES_CONTAINER_START_TIME_LIMIT}): how long
 * a starting instance may take to accept connections on its port before it is restarted. It
 * becomes the app container's startup probe: a TCP check of the port every
 * {@value #STARTUP_PERIOD_SECONDS} s, failing the start only after {@link #failureThreshold}
 * consecutive failures. The kubelet runs the first check when the container starts and holds
 * liveness and readiness until one succeeds, so a start that takes up to the limit is never
 * killed ({@link #toleratedSeconds}), and one that takes longer is restarted at most a period and
 * a probe timeout after it.
 */
public final class StartTimeLimit {
    public static final Duration DEFAULT = Duration.ofSeconds(230);
    public static final Duration MIN = Duration.ofSeconds(10);
    public static final Duration MAX = Duration.ofSeconds(1800);
    /** How often a starting instance's port is checked: also how soon after it opens the instance is started. */
    public static final int STARTUP_PERIOD_SECONDS = 2;

    private StartTimeLimit() {}

    /** The app's limit: the spec's, the default when it is absent or (past admission) malformed or out of range. */
    public static Duration of(WebAppSpec spec) {
        Optional<Duration> given = spec.getStartTimeLimit() == null
                ? Optional.empty()
                : FrontEndTraffic.duration(spec.getStartTimeLimit());
        return given.filter(StartTimeLimit::inRange).orElse(DEFAULT);
    }

    public static boolean inRange(Duration limit) {
        return limit.compareTo(MIN) >= 0 && limit.compareTo(MAX) <= 0;
    }

    /**
     * Consecutive failed checks before a start is given up: checks run at 0, p, 2p, ... and the
     * container is restarted at the threshold-th failure, at {@code (threshold - 1) x p}, which
     * must not come before the limit.
     */
    public static int failureThreshold(Duration limit) {
        long seconds = (limit.toMillis() + 999) / 1000;
        return (int) ((seconds + STARTUP_PERIOD_SECONDS - 1) / STARTUP_PERIOD_SECONDS) + 1;
    }

    /** How long a start may take without a restart, for a startup probe of this period and threshold. */
    public static long toleratedSeconds(int periodSeconds, int failureThreshold) {
        return (long) (failureThreshold - 1) * periodSeconds;
    }
}
