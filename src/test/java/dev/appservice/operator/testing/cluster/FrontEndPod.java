package dev.appservice.operator.testing.cluster;

import dev.appservice.operator.testing.RunningFrontEnd;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A front-end pod ({@link RunningFrontEnd}: the real nginx with the generated configuration,
 * started by the front-end container's script) as a {@link Pod} behind the VIP's Service: its
 * endpoint is its HTTP port; SIGTERM goes to the script, which quits nginx gracefully; SIGKILL
 * kills nginx and the script. Remembers whether it had to be killed.
 */
public final class FrontEndPod implements Pod, AutoCloseable {
    private final String name;
    private final RunningFrontEnd frontEnd;
    private final AtomicBoolean killed = new AtomicBoolean();

    public FrontEndPod(String name, RunningFrontEnd frontEnd) {
        this.name = name;
        this.frontEnd = frontEnd;
    }

    public String name() {
        return name;
    }

    public RunningFrontEnd frontEnd() {
        return frontEnd;
    }

    @Override
    public String endpoint() {
        return "127.0.0.1:" + frontEnd.httpPort();
    }

    @Override
    public void terminate() {
        frontEnd.terminate();
    }

    @Override
    public boolean awaitExit(long millis) throws InterruptedException {
        return frontEnd.awaitExit(millis);
    }

    /** Whether it has exited (gracefully or killed). */
    public boolean exited() {
        try {
            return frontEnd.awaitExit(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void kill() {
        killed.set(true);
        frontEnd.kill();
    }

    /** Whether the grace period ran out and it was killed. */
    public boolean killed() {
        return killed.get();
    }

    @Override
    public void close() throws InterruptedException {
        frontEnd.close();
    }

    @Override
    public String toString() {
        return name + " (" + endpoint() + ")";
    }
}
