package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/** Desired state of an App Service Environment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.version) || self.version != 'V1' || (has(self.frontEnd) && has(self.frontEnd.count))",
        message = "spec.frontEnd.count is required for a V1 environment")
@ValidationRule(
        value = "!has(self.version) || self.version != 'V1' || (has(self.workerPools) && size(self.workerPools) > 0)",
        message = "spec.workerPools needs at least one pool for a V1 environment")
@ValidationRule(
        value = "(has(self.version) && self.version == 'V1') || !has(self.workerPools) || size(self.workerPools) == 0",
        message = "spec.workerPools is for V1 environments only")
@ValidationRule(
        value = "(has(self.version) && self.version == 'V1') || !has(self.frontEnd) || !has(self.frontEnd.count)",
        message =
                "spec.frontEnd.count is for V1 environments only: V2 sizes its front ends from spec.frontEnd.scaleFactor")
public class AppServiceEnvironmentSpec {

    /** Default front-end and placeholder image: nginx built to run as a non-root user (uid 101). */
    public static final String DEFAULT_FRONT_END_IMAGE = "docker.io/nginxinc/nginx-unprivileged:1.27.5-alpine";

    public static final int DEFAULT_SCALE_FACTOR = 15;

    @JsonPropertyDescription(
            "The Pod Security level app containers run at: Restricted (the default: each app runs as its image's non-root user or spec.runAsUser; a root image is reported as ImageRunsAsRoot) or Baseline (root images run too, without privilege escalation or added capabilities; the namespace's Pod Security admission must allow baseline).")
    @Default("Restricted")
    private PodSecurityLevel podSecurity;

    @JsonPropertyDescription("ASE generation: V1 (front ends and worker pools managed by hand, at most "
            + CapacityLimits.V1_HOSTS + " hosts) or V2 (front ends scale with the plans, at most "
            + CapacityLimits.V2_INSTANCES + " instances). Defaults to V2. Immutable.")
    @Default("V2")
    @ValidationRule(value = "self == oldSelf", message = "spec.version is immutable")
    private EnvironmentVersion version;

    @JsonPropertyDescription("The virtual network and subnet the ASE lives in.")
    @Required
    private VirtualNetwork virtualNetwork;

    @JsonPropertyDescription("How the VIP is exposed: External (public VIP) or Internal (ILB).")
    private LoadBalancerSettings loadBalancer;

    @JsonPropertyDescription(
            "Domain of the ASE's apps. Defaults to <ase>.p.appservice.local for External and <ase>.appserviceenvironment.net for Internal.")
    @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    @Size(max = 200)
    private String dnsSuffix;

    @JsonPropertyDescription("The front ends: size, scaling (V2) or count (V1), and proxy image.")
    private FrontEndSettings frontEnd;

    @JsonPropertyDescription("V1 only: worker pools (name, size, count), at most " + CapacityLimits.V1_WORKER_POOLS
            + ". Must be empty for V2.")
    @Size(max = CapacityLimits.V1_WORKER_POOLS)
    private List<WorkerPool> workerPools;

    @JsonPropertyDescription("V2: cap on the plan instances in the ASE, at most " + CapacityLimits.V2_INSTANCES
            + ". Defaults to " + CapacityLimits.V2_INSTANCES + ".")
    @Min(1)
    @Max(CapacityLimits.V2_INSTANCES)
    private Integer maxInstances;

    @JsonPropertyDescription(
            "Availability zones (node label topology.kubernetes.io/zone). One zone pins every pod to it; several spread pods evenly across them.")
    @Size(max = 16)
    private List<String> zones;

    @JsonPropertyDescription("HTTPS termination at the front ends. Without it the front ends serve HTTP only.")
    private TlsSettings tls;

    @JsonPropertyDescription("Inbound and outbound network security rules, compiled into NetworkPolicies.")
    private NetworkSecurityGroup networkSecurityGroup;

    @JsonPropertyDescription(
            "How the apps reach the Internet: without it, from their nodes' addresses; with egressGateway, from fixed outbound addresses held by the CNI's egress gateway.")
    private OutboundSettings outbound;

    public OutboundSettings getOutbound() {
        return outbound;
    }

    public void setOutbound(OutboundSettings outbound) {
        this.outbound = outbound;
    }

    /** The egress gateway, if the environment has one. */
    public java.util.Optional<EgressGateway> egressGateway() {
        return java.util.Optional.ofNullable(outbound).map(OutboundSettings::getEgressGateway);
    }

    public PodSecurityLevel effectivePodSecurity() {
        return podSecurity == null ? PodSecurityLevel.Restricted : podSecurity;
    }

    public PodSecurityLevel getPodSecurity() {
        return podSecurity;
    }

    public void setPodSecurity(PodSecurityLevel podSecurity) {
        this.podSecurity = podSecurity;
    }

    public EnvironmentVersion effectiveVersion() {
        return version == null ? EnvironmentVersion.V2 : version;
    }

    public LoadBalancerType effectiveLoadBalancerType() {
        return loadBalancer == null || loadBalancer.getType() == null
                ? LoadBalancerType.External
                : loadBalancer.getType();
    }

    public ServiceType effectiveServiceType() {
        if (loadBalancer != null && loadBalancer.getServiceType() != null) {
            return loadBalancer.getServiceType();
        }
        return effectiveLoadBalancerType() == LoadBalancerType.External
                ? ServiceType.LoadBalancer
                : ServiceType.ClusterIP;
    }

    public String effectiveDnsSuffix(String environmentName) {
        if (dnsSuffix != null && !dnsSuffix.isBlank()) {
            return dnsSuffix;
        }
        return effectiveLoadBalancerType() == LoadBalancerType.Internal
                ? environmentName + ".appserviceenvironment.net"
                : environmentName + ".p.appservice.local";
    }

    public InstanceSize effectiveFrontEndSize() {
        return frontEnd == null || frontEnd.getSize() == null ? InstanceSize.I1 : frontEnd.getSize();
    }

    public int effectiveScaleFactor() {
        return frontEnd == null || frontEnd.getScaleFactor() == null ? DEFAULT_SCALE_FACTOR : frontEnd.getScaleFactor();
    }

    public String effectiveFrontEndImage() {
        return frontEnd == null
                        || frontEnd.getImage() == null
                        || frontEnd.getImage().isBlank()
                ? DEFAULT_FRONT_END_IMAGE
                : frontEnd.getImage();
    }

    public int effectiveMaxInstances() {
        return maxInstances == null ? CapacityLimits.V2_INSTANCES : maxInstances;
    }

    public List<String> effectiveZones() {
        return zones == null
                ? List.of()
                : zones.stream().filter(Objects::nonNull).distinct().sorted().toList();
    }

    public List<WorkerPool> effectiveWorkerPools() {
        return workerPools == null ? List.of() : workerPools;
    }

    public String tlsSecretName() {
        return tls == null || tls.getSecretName() == null || tls.getSecretName().isBlank() ? null : tls.getSecretName();
    }

    public EnvironmentVersion getVersion() {
        return version;
    }

    public void setVersion(EnvironmentVersion version) {
        this.version = version;
    }

    public VirtualNetwork getVirtualNetwork() {
        return virtualNetwork;
    }

    public void setVirtualNetwork(VirtualNetwork virtualNetwork) {
        this.virtualNetwork = virtualNetwork;
    }

    public LoadBalancerSettings getLoadBalancer() {
        return loadBalancer;
    }

    public void setLoadBalancer(LoadBalancerSettings loadBalancer) {
        this.loadBalancer = loadBalancer;
    }

    public String getDnsSuffix() {
        return dnsSuffix;
    }

    public void setDnsSuffix(String dnsSuffix) {
        this.dnsSuffix = dnsSuffix;
    }

    public FrontEndSettings getFrontEnd() {
        return frontEnd;
    }

    public void setFrontEnd(FrontEndSettings frontEnd) {
        this.frontEnd = frontEnd;
    }

    public List<WorkerPool> getWorkerPools() {
        return workerPools;
    }

    public void setWorkerPools(List<WorkerPool> workerPools) {
        this.workerPools = workerPools;
    }

    public Integer getMaxInstances() {
        return maxInstances;
    }

    public void setMaxInstances(Integer maxInstances) {
        this.maxInstances = maxInstances;
    }

    public List<String> getZones() {
        return zones;
    }

    public void setZones(List<String> zones) {
        this.zones = zones;
    }

    public TlsSettings getTls() {
        return tls;
    }

    public void setTls(TlsSettings tls) {
        this.tls = tls;
    }

    public NetworkSecurityGroup getNetworkSecurityGroup() {
        return networkSecurityGroup;
    }

    public void setNetworkSecurityGroup(NetworkSecurityGroup networkSecurityGroup) {
        this.networkSecurityGroup = networkSecurityGroup;
    }
}
