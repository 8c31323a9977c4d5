package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Observed state of an App Service Environment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AppServiceEnvironmentStatus extends ObservedStatus {

    @JsonPropertyDescription("Front ends desired and ready.")
    private FrontEndStatus frontEnds;

    @JsonPropertyDescription("Plan instances used against the limit (V1: hosts used against 55).")
    private InstanceUsage instances;

    @JsonPropertyDescription("Number of IsolatedPlans placed in this ASE.")
    private Integer plans;

    @JsonPropertyDescription("Number of WebApps the ASE's front ends serve.")
    private Integer apps;

    @JsonPropertyDescription(
            "The VIP: the load balancer's address from the VIP Service's status (External), or its cluster IP (Internal).")
    private String vipAddress;

    @JsonPropertyDescription("The internal (ILB) address: the cluster IP of the internal Service.")
    private String internalAddress;

    @JsonPropertyDescription("The domain of the ASE's apps; an app is served at <app>.<defaultDomain>.")
    private String defaultDomain;

    @JsonPropertyDescription("vCPUs and memory the ASE reserves for its front ends and workers.")
    private ReservedCapacity reservedCapacity;

    @JsonPropertyDescription("V1: each worker pool's workers, total, used by plans and free.")
    private List<WorkerPoolStatus> workerPools;

    @JsonPropertyDescription(
            "Where the apps' calls to the Internet come from: mode, the gateway's addresses or the nodes' possible addresses.")
    private OutboundStatus outbound;

    public OutboundStatus getOutbound() {
        return outbound;
    }

    public void setOutbound(OutboundStatus outbound) {
        this.outbound = outbound;
    }

    public FrontEndStatus getFrontEnds() {
        return frontEnds;
    }

    public void setFrontEnds(FrontEndStatus frontEnds) {
        this.frontEnds = frontEnds;
    }

    public InstanceUsage getInstances() {
        return instances;
    }

    public void setInstances(InstanceUsage instances) {
        this.instances = instances;
    }

    public Integer getPlans() {
        return plans;
    }

    public void setPlans(Integer plans) {
        this.plans = plans;
    }

    public String getVipAddress() {
        return vipAddress;
    }

    public void setVipAddress(String vipAddress) {
        this.vipAddress = vipAddress;
    }

    public String getInternalAddress() {
        return internalAddress;
    }

    public void setInternalAddress(String internalAddress) {
        this.internalAddress = internalAddress;
    }

    public String getDefaultDomain() {
        return defaultDomain;
    }

    public void setDefaultDomain(String defaultDomain) {
        this.defaultDomain = defaultDomain;
    }

    public ReservedCapacity getReservedCapacity() {
        return reservedCapacity;
    }

    public void setReservedCapacity(ReservedCapacity reservedCapacity) {
        this.reservedCapacity = reservedCapacity;
    }

    public List<WorkerPoolStatus> getWorkerPools() {
        return workerPools;
    }

    public void setWorkerPools(List<WorkerPoolStatus> workerPools) {
        this.workerPools = workerPools;
    }

    public Integer getApps() {
        return apps;
    }

    public void setApps(Integer apps) {
        this.apps = apps;
    }
}
