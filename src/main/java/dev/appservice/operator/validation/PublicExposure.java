package dev.appservice.operator.validation;

import dev.appservice.operator.api.AppServiceEnvironmentSpec;
import dev.appservice.operator.api.LoadBalancerType;
import dev.appservice.operator.api.ServiceType;
import java.util.Map;
import java.util.Optional;

/**
 * An Internal environment (an ILB ASE) is meant to be reachable only from its virtual network. With
 * {@code loadBalancer.serviceType: LoadBalancer} its VIP Service gets a load balancer from the
 * cloud provider, which is public unless the provider's internal-load-balancer annotation says
 * otherwise: admission warns (allowed, but said).
 */
public final class PublicExposure {
    /**
     * The annotations by which the common providers make a LoadBalancer Service internal, with the
     * value that does (null: any value but "false").
     */
    static final Map<String, String> INTERNAL_LOAD_BALANCER_ANNOTATIONS = Map.of(
            "service.beta.kubernetes.io/azure-load-balancer-internal", "true",
            "networking.gke.io/load-balancer-type", "Internal",
            "cloud.google.com/load-balancer-type", "Internal",
            "service.beta.kubernetes.io/aws-load-balancer-internal", "true",
            "service.beta.kubernetes.io/aws-load-balancer-scheme", "internal",
            "service.beta.kubernetes.io/openstack-internal-load-balancer", "true",
            "service.beta.kubernetes.io/oci-load-balancer-internal", "true",
            "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type", "private",
            "service.beta.kubernetes.io/do-loadbalancer-internal", "true");

    private PublicExposure() {}

    /** The warning for an Internal environment behind a LoadBalancer Service without an internal-LB annotation, if that is the case. */
    public static Optional<Violation> warning(String object, AppServiceEnvironmentSpec spec) {
        if (spec.effectiveLoadBalancerType() != LoadBalancerType.Internal
                || spec.effectiveServiceType() != ServiceType.LoadBalancer) {
            return Optional.empty();
        }
        Map<String, String> annotations =
                spec.getLoadBalancer() == null || spec.getLoadBalancer().getAnnotations() == null
                        ? Map.of()
                        : spec.getLoadBalancer().getAnnotations();
        boolean internal = INTERNAL_LOAD_BALANCER_ANNOTATIONS.entrySet().stream()
                .anyMatch(a -> a.getValue().equalsIgnoreCase(annotations.getOrDefault(a.getKey(), "")));
        if (internal) {
            return Optional.empty();
        }
        return Optional.of(
                Violation.warning(
                        object,
                        "spec.loadBalancer.serviceType",
                        "LoadBalancer on an Internal environment gets a public load balancer from most cloud providers: add the provider's "
                                + "internal-load-balancer annotation to spec.loadBalancer.annotations (on AKS "
                                + "service.beta.kubernetes.io/azure-load-balancer-internal: \"true\"), or use ClusterIP or NodePort"));
    }
}
