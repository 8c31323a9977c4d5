package dev.appservice.operator.model;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Why an app's (or slot's) instances do not serve, read from their pods' states in the platform's
 * own words: the registry's message when the image cannot be pulled, the exit code and last lines
 * of a container that exits (its termination message, which {@code FallbackToLogsOnError} fills
 * from its log), the scheduler's message, and so on. The worst state among the instances wins
 * ({@link Reason} is in that order); instances being deleted are not looked at.
 */
public final class InstanceFailures {
    /** Why instances do not serve, worst first. */
    public enum Reason {
        ImageRunsAsRoot,
        ImageUserNotNumeric,
        ContainerConfigError,
        ImagePullFailed,
        OutOfMemory,
        StartTimeLimitExceeded,
        ContainerExited,
        Unschedulable,
        HealthCheckFailing
    }

    /** A reason and the platform's words for it. */
    public record Failure(Reason reason, String message) {}

    /** The kubelet's waiting reasons for an image it cannot pull. */
    static final Set<String> PULL_FAILURES =
            Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable");

    static final String CONFIG_ERROR = "CreateContainerConfigError";
    static final String OOM_KILLED = "OOMKilled";
    static final String UNSCHEDULABLE = "Unschedulable";
    static final String POD_SCHEDULED = "PodScheduled";
    /** The kubelet's words when an image runs as root under runAsNonRoot, or a spec.runAsUser of 0 does. */
    static final List<String> RUNS_AS_ROOT = List.of("image will run as root", "runAsUser breaks non-root policy");
    /** The kubelet's words when an image's USER is a name it cannot check. */
    static final String NON_NUMERIC_USER = "non-numeric user";
    /** Exit codes of a container the kubelet stopped (SIGTERM, then SIGKILL), as after a failed startup probe. */
    static final Set<Integer> STOPPED_BY_KUBELET = Set.of(137, 143);
    /** The last lines of a termination message kept in a status message. */
    static final int MESSAGE_LINES = 5;
    /** The longest termination message kept in a status message. */
    static final int MESSAGE_CHARACTERS = 1024;

    private InstanceFailures() {}

    /** The worst failure among the pods, if any pod is in a failing state. */
    public static Optional<Failure> of(List<Pod> pods) {
        return pods.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .map(InstanceFailures::of)
                .flatMap(Optional::stream)
                .min(Comparator.comparing(Failure::reason));
    }

    /** The failure of one pod, if it is in a failing state. */
    public static Optional<Failure> of(Pod pod) {
        String instance = "instance " + pod.getMetadata().getName() + ": ";
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        Optional<Failure> worst = Optional.empty();
        for (PodCondition condition : list(pod.getStatus().getConditions())) {
            if (POD_SCHEDULED.equals(condition.getType())
                    && "False".equals(condition.getStatus())
                    && UNSCHEDULABLE.equals(condition.getReason())) {
                worst = worse(
                        worst,
                        new Failure(Reason.Unschedulable, instance + "cannot be scheduled: " + condition.getMessage()));
            }
        }
        for (ContainerStatus container : list(pod.getStatus().getContainerStatuses())) {
            worst = worse(worst, of(instance, container));
        }
        return worst;
    }

    private static Optional<Failure> of(String instance, ContainerStatus container) {
        ContainerState state = container.getState();
        ContainerStateWaiting waiting = state == null ? null : state.getWaiting();
        if (waiting != null && waiting.getReason() != null) {
            String message = waiting.getMessage() == null ? "" : waiting.getMessage();
            if (CONFIG_ERROR.equals(waiting.getReason())) {
                if (RUNS_AS_ROOT.stream().anyMatch(message::contains)) {
                    return Optional.of(new Failure(
                            Reason.ImageRunsAsRoot,
                            instance + "image " + container.getImage() + " runs as root, which the environment's"
                                    + " Restricted Pod Security level does not allow (" + message + "): build the"
                                    + " image with a non-root USER, set spec.runAsUser to a non-zero uid, or set the"
                                    + " environment's spec.podSecurity to Baseline"));
                }
                if (message.contains(NON_NUMERIC_USER)) {
                    return Optional.of(new Failure(
                            Reason.ImageUserNotNumeric,
                            instance + "image " + container.getImage() + " names its USER, which cannot be checked"
                                    + " to be non-root (" + message + "): set spec.runAsUser to its uid, or build the"
                                    + " image with a numeric USER"));
                }
                return Optional.of(new Failure(Reason.ContainerConfigError, instance + message));
            }
            if (PULL_FAILURES.contains(waiting.getReason())) {
                return Optional.of(new Failure(
                        Reason.ImagePullFailed,
                        instance + "image " + container.getImage() + " cannot be pulled (" + waiting.getReason() + "): "
                                + message));
            }
        }
        ContainerStateTerminated terminated = state != null && state.getTerminated() != null
                ? state.getTerminated()
                : container.getLastState() == null
                        ? null
                        : container.getLastState().getTerminated();
        boolean running = state != null && state.getRunning() != null;
        if (terminated != null && !(running && Boolean.TRUE.equals(container.getReady()))) {
            if (OOM_KILLED.equals(terminated.getReason())) {
                return Optional.of(new Failure(
                        Reason.OutOfMemory,
                        instance + "the container ran out of memory (exceeded its memory limit) and was killed"
                                + restarts(container)));
            }
            int exitCode = terminated.getExitCode() == null ? 0 : terminated.getExitCode();
            if (!Boolean.TRUE.equals(container.getStarted()) && STOPPED_BY_KUBELET.contains(exitCode)) {
                return Optional.of(new Failure(
                        Reason.StartTimeLimitExceeded,
                        instance + "the container did not accept connections on its port within spec.startTimeLimit"
                                + " and was restarted" + restarts(container)));
            }
            if (exitCode != 0 || !running) {
                return Optional.of(new Failure(
                        Reason.ContainerExited,
                        instance + "the container exited with code " + exitCode + restarts(container)
                                + lastLines(terminated.getMessage())));
            }
        }
        if (running && Boolean.TRUE.equals(container.getStarted()) && !Boolean.TRUE.equals(container.getReady())) {
            return Optional.of(new Failure(
                    Reason.HealthCheckFailing,
                    instance + "the container runs but fails its health check (spec.healthCheckPath, else its port)"));
        }
        return Optional.empty();
    }

    /** The last {@link #MESSAGE_LINES} lines of a termination message, at most {@link #MESSAGE_CHARACTERS}. */
    static String lastLines(String message) {
        if (message == null || message.isBlank()) {
            return "";
        }
        List<String> lines = message.strip().lines().toList();
        String last = String.join("\n", lines.subList(Math.max(0, lines.size() - MESSAGE_LINES), lines.size()));
        if (last.length() > MESSAGE_CHARACTERS) {
            last = last.substring(last.length() - MESSAGE_CHARACTERS);
        }
        return "; its last lines: " + last;
    }

    private static String restarts(ContainerStatus container) {
        int restarts = container.getRestartCount() == null ? 0 : container.getRestartCount();
        return restarts == 0 ? "" : " (restarted " + restarts + (restarts == 1 ? " time)" : " times)");
    }

    private static Optional<Failure> worse(Optional<Failure> current, Optional<Failure> other) {
        return other.isEmpty() ? current : worse(current, other.get());
    }

    private static Optional<Failure> worse(Optional<Failure> current, Failure other) {
        return current.isPresent() && current.get().reason().compareTo(other.reason()) <= 0
                ? current
                : Optional.of(other);
    }

    private static <T> List<T> list(List<T> items) {
        return items == null ? List.of() : items;
    }
}
