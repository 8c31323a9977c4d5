package dev.appservice.operator.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code validate} and {@code render} run as a process, as users and pipelines run them, from the
 * test class path (no packaged jar needed): the same {@link Main} the jar starts.
 */
public final class OfflineCommand {
    /** Long enough for a JVM to start on a loaded 2-core machine. */
    static final long TIMEOUT_SECONDS = 300;

    public record Run(int exitCode, String stdout, String stderr, long millis) {
        public List<String> errorLines() {
            return stderr.lines().filter(l -> l.startsWith("error: ")).toList();
        }
    }

    private OfflineCommand() {}

    public static Run run(String... args) throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path argsFile = Files.createTempFile("offline-command", ".classpath");
        try {
            // A class path in an @argfile: the test class path is longer than some systems allow on a command line.
            Files.writeString(argsFile, "-cp \"" + classPath.replace("\\", "\\\\") + "\"");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "@" + argsFile,
                    Main.class.getName()));
            command.addAll(List.of(args));
            Path out = Files.createTempFile("offline-command", ".out");
            Path err = Files.createTempFile("offline-command", ".err");
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            Run run = new Run(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8),
                    millis);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return run;
        } finally {
            Files.deleteIfExists(argsFile);
        }
    }
}
