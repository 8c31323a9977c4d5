package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** V1: one worker pool's workers: total, used by plans, free (held by the pool's placeholder). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkerPoolStatus {

    @JsonPropertyDescription("Name of the worker pool.")
    private String name;

    @JsonPropertyDescription("Worker size of the pool.")
    private InstanceSize size;

    @JsonPropertyDescription("Workers the pool reserves (spec count).")
    private Integer workers;

    @JsonPropertyDescription("Workers running plan instances.")
    private Integer used;

    @JsonPropertyDescription("Workers free for plans to grow into.")
    private Integer free;

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

    public Integer getWorkers() {
        return workers;
    }

    public void setWorkers(Integer workers) {
        this.workers = workers;
    }

    public Integer getUsed() {
        return used;
    }

    public void setUsed(Integer used) {
        this.used = used;
    }

    public Integer getFree() {
        return free;
    }

    public void setFree(Integer free) {
        this.free = free;
    }
}
