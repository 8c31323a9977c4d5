package dev.appservice.operator.testing.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a cluster does when a pod is deleted (a rollout, a scale-in, a drain), in its order: the
 * endpoint leaves the Service (kube-proxy learns it after {@code propagation}) while the kubelet
 * runs the container's {@code preStop}; then SIGTERM; then SIGKILL if the container has not exited
 * by the end of the grace period. The {@code preStop} and grace period are read from the rendered
 * Deployment, so the model runs what the operator writes: a {@code preStop.sleep} (app pods) or
 * an {@code exec} of {@code sleep} (front-end pods). {@link #scaledDown(long)} runs the same
 * sequence in a fraction of the time, for sequences too long for a test.
 *
 * @param propagation how long kube-proxy takes to drop the endpoint
 * @param preStop     the container's {@code preStop} pause
 * @param grace       the pod's {@code terminationGracePeriodSeconds}, counted from the deletion
 */
public record PodTermination(Duration propagation, Duration preStop, Duration grace) {

    /** The pod's sequence as the Deployment renders it, with kube-proxy taking {@code propagation}. */
    public static PodTermination of(Deployment deployment, Duration propagation) {
        var pod = deployment.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        return new PodTermination(
                propagation,
                Duration.ofSeconds(preStopSeconds(container.getLifecycle().getPreStop())),
                Duration.ofSeconds(pod.getTerminationGracePeriodSeconds()));
    }

    /** The pause of a {@code preStop}: its {@code sleep}, or an {@code exec} of {@code sleep <seconds>}. */
    static long preStopSeconds(LifecycleHandler preStop) {
        if (preStop.getSleep() != null) {
            return preStop.getSleep().getSeconds();
        }
        List<String> command =
                preStop.getExec() == null ? List.of() : preStop.getExec().getCommand();
        if (command.size() == 2 && command.get(0).endsWith("sleep")) {
            return Long.parseLong(command.get(1));
        }
        throw new IllegalArgumentException("a preStop that is not a pause: " + preStop);
    }

    /**
     * The same sequence with {@code preStop} and grace period divided by {@code factor} (the
     * propagation is the caller's, already in the model's time): their order and ratio kept.
     */
    public PodTermination scaledDown(long factor) {
        return new PodTermination(propagation, preStop.dividedBy(factor), grace.dividedBy(factor));
    }

    /** Deletes {@code instance}'s pod, behind {@code service}; completes when it is gone. */
    public CompletableFuture<Void> delete(ServiceProxy service, Pod instance) {
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
