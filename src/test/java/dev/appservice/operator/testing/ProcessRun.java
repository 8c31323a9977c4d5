package dev.appservice.operator.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A command run to its end: its exit code and what it wrote, each stream read from a file (no pipe to fill). */
public record ProcessRun(int exitCode, String stdout, String stderr) {

    /** Both streams, stdout first. */
    public String output() {
        return stdout + stderr;
    }

    public static ProcessRun of(List<String> command, int timeoutSeconds) throws Exception {
        return of(new ProcessBuilder(command), timeoutSeconds);
    }

    /** Runs the command; fails the test with its stderr if it has not ended within the timeout. */
    public static ProcessRun of(ProcessBuilder builder, int timeoutSeconds) throws Exception {
        List<String> command = builder.command();
        Path out = Files.createTempFile("process-run", ".out");
        Path err = Files.createTempFile("process-run", ".err");
        try {
            Process process = builder.redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(
                        command + " did not end within " + timeoutSeconds + " s: " + Files.readString(err));
            }
            return new ProcessRun(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
