package dev.appservice.operator.presence;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * Whether cert-manager's {@code Certificate} kind ({@value #API_VERSION}) is served by the cluster,
 * an {@link OptionalApi} asked through API discovery ({@code /apis/cert-manager.io/v1}, which every authenticated client
 * may read: no RBAC rule is needed). Asked when an app names an issuer, at admission and when the
 * app is reconciled, so installing cert-manager later needs no restart of the operator.
 */
public final class CertManagerPresence {
    public static final String GROUP = "cert-manager.io";
    public static final String API_VERSION = GROUP + "/v1";
    public static final String KIND = "Certificate";
    /** What an app that names an issuer is told when cert-manager is not there. */
    public static final String NOT_INSTALLED =
            "names a cert-manager issuer, but cert-manager is not installed in the cluster (the API " + API_VERSION
                    + " " + KIND
                    + " is not served): install cert-manager, or remove spec.tls.issuerRef and provide the Secret yourself";

    private CertManagerPresence() {}

    public static final OptionalApi API = new OptionalApi(API_VERSION, KIND);

    /** True or false when the API server answered, empty when it could not be asked. */
    public static Optional<Boolean> installed(KubernetesClient client) {
        return API.installed(client);
    }
}
