package dev.appservice.operator.testing;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the API server's cluster IP allocation, which the mock API server does not do: a
 * Service of the operator's without a cluster IP gets the next free one of 10.96.0.0/16, as it
 * would on creation (an update that omits the cluster IP keeps it on a real API server).
 */
public final class ServiceAddresses {
    private static final AtomicInteger NEXT = new AtomicInteger(10);

    private ServiceAddresses() {}

    /** Gives every Service of the namespace that lacks one a cluster IP; returns how many were given. */
    public static int assignAll(KubernetesClient client, String namespace) {
        int given = 0;
        for (Service service : client.services().inNamespace(namespace).list().getItems()) {
            if (service.getSpec().getClusterIP() == null
                    || service.getSpec().getClusterIP().isBlank()) {
                int n = NEXT.getAndIncrement();
                service.getSpec().setClusterIP("10.96." + (n / 250) + "." + (n % 250 + 1));
                client.resource(service).update();
                given++;
            }
        }
        return given;
    }
}
