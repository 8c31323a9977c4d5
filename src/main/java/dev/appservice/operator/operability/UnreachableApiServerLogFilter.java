package dev.appservice.operator.operability;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Drops Quarkus's "Failed to start application" record, with its stack trace, when the start
 * failed only because no API server answered: {@link ApiServerReachability} has already logged the
 * one line that says why and what to do. Every other failed start is logged as before.
 */
@LoggingFilter(name = UnreachableApiServerLogFilter.NAME)
public final class UnreachableApiServerLogFilter implements Filter {
    /** The name {@code quarkus.log.console.filter} refers to. */
    public static final String NAME = "unreachable-api-server";

    @Override
    public boolean isLoggable(LogRecord record) {
        for (Throwable cause = record.getThrown(); cause != null; cause = cause.getCause()) {
            if (cause instanceof ApiServerReachability.Unreachable) {
                return false;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return true;
    }
}
