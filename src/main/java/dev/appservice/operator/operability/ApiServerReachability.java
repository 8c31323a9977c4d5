package dev.appservice.operator.operability;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Before the controllers start, one request to the API server ({@code GET /version}, which every
 * client may make): when no API server answers at all (no cluster, a wrong address, no network),
 * the operator stops at once with one line saying so and how it finds a cluster, rather than after
 * its informers' timeouts and a page of stack traces. Any HTTP answer, even an error, means a
 * server is there; what it refuses is reported by the controllers as before.
 * <p>
 * This one request is made once, without the client's retries: with them (Fabric8's default, 10
 * retries of a failed connection, 100 ms doubling to 3.2 s) a refused connection or an unknown host
 * took 20 s to report. Only this check gives up at once (and Kubernetes restarts the pod); every
 * other request, and the informers' watches, keep the client's retries once the operator runs.
 */
@ApplicationScoped
public class ApiServerReachability {
    private static final Logger LOG = Logger.getLogger(ApiServerReachability.class);

    /** Before the operator SDK starts the controllers (its start-up observer has the default priority). */
    void check(@Observes @Priority(1000) StartupEvent event, KubernetesClient client) {
        try {
            RequestConfig once = new RequestConfigBuilder(
                            client.getConfiguration().getRequestConfig())
                    .withRequestRetryBackoffLimit(0)
                    .build();
            // A client sharing the HTTP client's connections and configuration, not closed here:
            // closing it would close what the operator's client uses.
            client.newClient(once).adapt(KubernetesClient.class).getKubernetesVersion();
        } catch (KubernetesClientException e) {
            if (e.getCode() > 0) {
                return;
            }
            throw unreachable(client, e);
        } catch (RuntimeException e) {
            throw unreachable(client, e);
        }
    }

    private static Unreachable unreachable(KubernetesClient client, RuntimeException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = "cannot reach the Kubernetes API server at " + client.getMasterUrl() + " ("
                + cause.getClass().getSimpleName()
                + ": " + cause.getMessage()
                + "). The operator runs against a cluster: in a pod through its ServiceAccount, elsewhere"
                + " through KUBECONFIG or ~/.kube/config. The commands render and validate need no cluster.";
        LOG.error(message);
        return new Unreachable(message);
    }

    /** Stops the start-up; its message is already logged, so it carries no stack trace. */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message) {
            super(message, null, false, false);
        }
    }
}
