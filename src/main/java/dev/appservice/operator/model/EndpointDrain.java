package dev.appservice.operator.model;

/**
 * How an app instance leaves the front ends' traffic without a failed request, and the arithmetic
 * that bounds it. The front ends proxy to the app's Service (its cluster IP), and kube-proxy picks
 * an instance once per connection, so a pooled upstream connection stays with its instance after
 * the instance has left the Service's endpoints. Three things bound that:
 * <ul>
 *   <li>the front ends recycle pooled connections quickly: one carries new requests for at most
 *       {@value #UPSTREAM_CONNECTION_SECONDS} s (nginx's upstream {@code keepalive_time}), and an
 *       idle one is closed after {@value #UPSTREAM_IDLE_SECONDS} s ({@code keepalive_timeout});</li>
 *   <li>readiness on {@code healthCheckPath} every {@value #READINESS_PERIOD_SECONDS} s, out after
 *       {@value #READINESS_FAILURE_THRESHOLD} failures;</li>
 *   <li>a stopping instance keeps serving for {@link #appPreStopSeconds()} (its {@code preStop}),
 *       long enough for its endpoint to be removed and for every pooled connection to it to be
 *       recycled, before it is told to stop (SIGTERM).</li>
 * </ul>
 * {@link #lastNewRequestSeconds()} is the contract's bound for a failing instance
 * ({@value #HEALTH_EXCLUSION_SECONDS} s), checked by the tests.
 */
public final class EndpointDrain {
    /** The contract: an instance failing its health check gets no new requests within this. */
    public static final int HEALTH_EXCLUSION_SECONDS = 15;

    public static final int READINESS_PERIOD_SECONDS = 2;
    public static final int READINESS_FAILURE_THRESHOLD = 2;
    /** Every app probe's timeout. */
    public static final int PROBE_TIMEOUT_SECONDS = 2;
    /** Allowed for the EndpointSlice controller and kube-proxy to drop an endpoint (about a second on a healthy cluster). */
    public static final int ENDPOINT_PROPAGATION_SECONDS = 2;
    /** nginx's upstream {@code keepalive_time}: no new request on a connection older than this. */
    public static final int UPSTREAM_CONNECTION_SECONDS = 3;
    /** nginx's upstream {@code keepalive_timeout}: an idle pooled connection is closed after this. */
    public static final int UPSTREAM_IDLE_SECONDS = 2;
    /** Slack in a stopping instance's {@code preStop} beyond the arithmetic, for a loaded node. */
    public static final int PRE_STOP_MARGIN_SECONDS = 3;
    /** What an app gets after SIGTERM to finish its requests and exit: Kubernetes' default grace period. */
    public static final int APP_SHUTDOWN_SECONDS = 30;

    private EndpointDrain() {}

    /** The longest a failing instance stays ready: a probe period per failure, the last one timing out. */
    public static int readinessDetectionSeconds() {
        return READINESS_PERIOD_SECONDS * READINESS_FAILURE_THRESHOLD + PROBE_TIMEOUT_SECONDS;
    }

    /**
     * The longest a pooled connection opened before its instance left the endpoints can still be
     * handed a new request: it is kept after a request only while younger than
     * {@value #UPSTREAM_CONNECTION_SECONDS} s, then idles at most {@value #UPSTREAM_IDLE_SECONDS} s.
     */
    public static int pooledConnectionSeconds() {
        return UPSTREAM_CONNECTION_SECONDS + UPSTREAM_IDLE_SECONDS;
    }

    /** After an instance starts failing its health check, the last moment it can be sent a new request. */
    public static int lastNewRequestSeconds() {
        return readinessDetectionSeconds() + ENDPOINT_PROPAGATION_SECONDS + pooledConnectionSeconds();
    }

    /** A stopping instance's {@code preStop}: its endpoint removed and every pooled connection to it recycled. */
    public static int appPreStopSeconds() {
        return ENDPOINT_PROPAGATION_SECONDS + pooledConnectionSeconds() + PRE_STOP_MARGIN_SECONDS;
    }

    /** An app pod's {@code terminationGracePeriodSeconds}: the {@code preStop}, then the app's own shutdown. */
    public static int appTerminationGraceSeconds() {
        return appPreStopSeconds() + APP_SHUTDOWN_SECONDS;
    }
}
