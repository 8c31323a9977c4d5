package dev.appservice.operator.testing.cluster;

/**
 * A pod's container as the kubelet drives it when the pod is deleted ({@link PodTermination}):
 * behind an endpoint of a Service, told to stop (SIGTERM), waited for, killed (SIGKILL) if it has
 * not exited by the end of the grace period.
 */
public interface Pod {
    /** Its address in the Service's endpoints, {@code 127.0.0.1:port}. */
    String endpoint();

    /** SIGTERM. */
    void terminate();

    /** Waits for it to exit; whether it did within {@code millis}. */
    boolean awaitExit(long millis) throws InterruptedException;

    /** SIGKILL. */
    void kill();
}
