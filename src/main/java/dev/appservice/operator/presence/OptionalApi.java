package dev.appservice.operator.presence;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Optional;

/**
 * An API the operator uses only when the cluster serves it (cert-manager's Certificate, an egress
 * gateway provider's kind), asked through API discovery ({@code /apis/<group>/<version>}, which
 * every authenticated client may read: no RBAC rule is needed). Asked when needed, so installing
 * the API later needs no restart of the operator, and never watched: an informer on a kind the
 * cluster does not serve would keep the operator from starting.
 */
public record OptionalApi(String apiVersion, String kind) {

    public String group() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** True or false when the API server answered, empty when it could not be asked. */
    public Optional<Boolean> installed(KubernetesClient client) {
        try {
            return Optional.of(client.supports(apiVersion, kind));
        } catch (KubernetesClientException e) {
            return e.getCode() == HttpURLConnection.HTTP_NOT_FOUND ? Optional.of(false) : Optional.empty();
        }
    }
}
