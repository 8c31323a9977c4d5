package dev.appservice.operator.testing.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What a cluster does when a pod is deleted (a rollout, a scale-in, a drain), in its order: the
 * endpoint leaves the Service (kube-proxy learns it after {@code propagation}) while the kubelet
 * runs the container's {@code preStop}; then SIGTERM; then SIGKILL if the container has not exited
 * by the end of the grace period. The {@code preStop} and grace period are read from the rendered
 * Deployment, so the model runs what the operator writes.
 *
 * @param propagation how long kube-proxy takes to drop the endpoint
 * @param preStop     the container's {@code lifecycle.preStop.sleep}
 * @param grace       the pod's {@code terminationGracePeriodSeconds}, counted from the deletion
 */
public record PodTermination(Duration propagation, Duration preStop, Duration grace) {

    /** The pod's sequence as the Deployment renders it, with kube-proxy taking {@code propagation}. */
    public static PodTermination of(Deployment deployment, Duration propagation) {
        var pod = deployment.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        long preStopSeconds = container.getLifecycle().getPreStop().getSleep().getSeconds();
        return new PodTermination(
                propagation,
                Duration.ofSeconds(preStopSeconds),
                Duration.ofSeconds(pod.getTerminationGracePeriodSeconds()));
    }

    /** Deletes the pod of {@code instance}, behind {@code service}; completes when it is gone. */
    public CompletableFuture<Void> delete(ServiceProxy service, AppInstance instance) {
        return CompletableFuture.runAsync(() -> {
            long deleted = System.nanoTime();
            CompletableFuture<Void> endpointRemoved = CompletableFuture.runAsync(() -> {
                sleep(propagation);
                service.remove(instance.endpoint());
            });
            sleep(preStop);
            instance.terminate();
            long leftMillis = grace.toMillis() - (System.nanoTime() - deleted) / 1_000_000;
            try {
                if (!instance.awaitExit(Math.max(0, leftMillis))) {
                    instance.kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                instance.kill();
            }
            endpointRemoved.join();
        });
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
