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
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** Desired state of an Isolated App Service plan: a pool of worker instances of one size. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IsolatedPlanSpec {

    @JsonPropertyDescription("Name of the AppServiceEnvironment, in the same namespace, the plan runs in. Immutable.")
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @Size(min = 1, max = 253)
    @ValidationRule(value = "self == oldSelf", message = "spec.environmentName is immutable")
    private String environmentName;

    @JsonPropertyDescription(
            "Worker size: I1 (1 vCPU, 3.5 GiB), I2 (2 vCPU, 7 GiB) or I3 (4 vCPU, 14 GiB). Defaults to I1.")
    @Default("I1")
    private InstanceSize size;

    @JsonPropertyDescription("Number of worker instances, 1 to " + CapacityLimits.PLAN_INSTANCES
            + ". Every app of the plan runs on every instance. Defaults to 1.")
    @Default("1")
    @Min(1)
    @Max(CapacityLimits.PLAN_INSTANCES)
    @SpecReplicas
    private Integer instances;

    @JsonPropertyDescription("V1 only, required there: the ASE worker pool the plan's instances are taken from.")
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @Size(min = 1, max = 20)
    private String workerPool;

    @JsonPropertyDescription(
            "The operating system the plan's instances run: Linux (the default) or Windows. A plan runs apps of one operating system, as on App Service: a Windows plan's apps (and its capacity placeholder) run on Windows nodes (kubernetes.io/os: windows, tolerating the os=windows:NoSchedule taint); the front ends stay Linux and route to them the same way. Immutable.")
    @Default("Linux")
    @ValidationRule(value = "self == oldSelf", message = "spec.os is immutable")
    private OperatingSystem os;

    public OperatingSystem effectiveOs() {
        return os == null ? OperatingSystem.Linux : os;
    }

    public OperatingSystem getOs() {
        return os;
    }

    public void setOs(OperatingSystem os) {
        this.os = os;
    }

    public InstanceSize effectiveSize() {
        return size == null ? InstanceSize.I1 : size;
    }

    public int effectiveInstances() {
        return instances == null ? 1 : instances;
    }

    public String getEnvironmentName() {
        return environmentName;
    }

    public void setEnvironmentName(String environmentName) {
        this.environmentName = environmentName;
    }

    public InstanceSize getSize() {
        return size;
    }

    public void setSize(InstanceSize size) {
        this.size = size;
    }

    public Integer getInstances() {
        return instances;
    }

    public void setInstances(Integer instances) {
        this.instances = instances;
    }

    public String getWorkerPool() {
        return workerPool;
    }

    public void setWorkerPool(String workerPool) {
        this.workerPool = workerPool;
    }
}
