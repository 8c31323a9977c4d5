package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import java.util.Map;

/** How the ASE's VIP is exposed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LoadBalancerSettings {

    @JsonPropertyDescription(
            "External: an internet-facing public VIP. Internal: an internal load balancer (ILB) address only. Defaults to External.")
    @Default("External")
    private LoadBalancerType type;

    @JsonPropertyDescription(
            "Kubernetes Service type of the VIP Service. Defaults to LoadBalancer for External and ClusterIP for Internal.")
    private ServiceType serviceType;

    @JsonPropertyDescription(
            "Extra annotations for the VIP Service, e.g. a cloud provider's internal-load-balancer annotation.")
    private Map<String, String> annotations;

    public LoadBalancerType getType() {
        return type;
    }

    public void setType(LoadBalancerType type) {
        this.type = type;
    }

    public ServiceType getServiceType() {
        return serviceType;
    }

    public void setServiceType(ServiceType serviceType) {
        this.serviceType = serviceType;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }
}
