package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** V1 only: a pool of worker hosts of one size that plans are placed in. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkerPool {

    @JsonPropertyDescription("Name of the worker pool, unique in the ASE.")
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @Size(min = 1, max = 20)
    private String name;

    @JsonPropertyDescription("Worker size of the pool: I1, I2 or I3. Defaults to I1.")
    @Default("I1")
    private InstanceSize size;

    @JsonPropertyDescription("Number of worker hosts the pool reserves.")
    @Required
    @Min(0)
    @Max(CapacityLimits.V1_HOSTS)
    private Integer count;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public InstanceSize getSize() {
        return size;
    }

    public void setSize(InstanceSize size) {
        this.size = size;
    }

    public Integer getCount() {
        return count;
    }

    /** The pool's worker size, I1 when not set. */
    @JsonIgnore
    public InstanceSize effectiveSize() {
        return size == null ? InstanceSize.I1 : size;
    }

    /** The pool's worker hosts, 0 when not set. */
    @JsonIgnore
    public int effectiveCount() {
        return count == null ? 0 : count;
    }

    public void setCount(Integer count) {
        this.count = count;
    }
}
