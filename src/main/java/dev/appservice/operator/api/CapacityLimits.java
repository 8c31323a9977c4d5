package dev.appservice.operator.api;

/**
 * The capacity limits of App Service Environments, in one place: the CRD schemas, admission,
 * the capacity allocator ({@code EnvironmentTopology}), the status and {@code render} all read
 * them from here.
 */
public final class CapacityLimits {
    /** A V1 environment holds at most 55 hosts: its front ends and every worker pool's workers. */
    public static final int V1_HOSTS = 55;
    /** A V2 environment runs at most 200 plan instances ({@code maxInstances} may lower it). */
    public static final int V2_INSTANCES = 200;
    /** A plan runs at most 100 instances. */
    public static final int PLAN_INSTANCES = 100;
    /** An environment runs at least 2 front ends (V2 adds one per {@code scaleFactor} plan instances). */
    public static final int MIN_FRONT_ENDS = 2;
    /** A V1 environment has at most 3 worker pools. */
    public static final int V1_WORKER_POOLS = 3;

    private CapacityLimits() {}
}
