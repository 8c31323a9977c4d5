package dev.appservice.operator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM options the container image starts the operator with, read from its Dockerfile: its
 * entry point runs {@code java $JAVA_OPTS -jar ...}. The benchmark measures the operator with
 * exactly these, so its figures are the image's.
 */
public final class ImageJvmOptions {
    public static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");
    private static final Pattern ENV = Pattern.compile("(?m)^ENV (\\w+)=(\"[^\"]*\"|\\S+)");

    private ImageJvmOptions() {}

    /**
     * The environment the image gives the JVM besides its options ({@code MALLOC_ARENA_MAX}, the
     * locale): the benchmark's operator runs with it too. Not the image's class-data sharing
     * options ({@code JAVA_CDS_OPTS}): its archive exists only in the image, for the image's JVM.
     */
    public static java.util.Map<String, String> environment() throws IOException {
        java.util.Map<String, String> environment = dockerfileEnvironment();
        environment.remove("JAVA_OPTS");
        environment.remove("JAVA_APP_JAR");
        environment.remove("JAVA_CDS_OPTS");
        return environment;
    }

    /** The Dockerfile's ENV lines, in order. */
    private static java.util.Map<String, String> dockerfileEnvironment() throws IOException {
        java.util.Map<String, String> environment = new java.util.LinkedHashMap<>();
        Matcher env = ENV.matcher(Files.readString(DOCKERFILE));
        while (env.find()) {
            environment.put(env.group(1), env.group(2).replace("\"", ""));
        }
        return environment;
    }

    public static List<String> read() throws IOException {
        String javaOptions =
                dockerfileEnvironment().getOrDefault("JAVA_OPTS", "").trim();
        List<String> options = javaOptions.isEmpty() ? new ArrayList<>() : List.of(javaOptions.split("\\s+"));
        if (options.stream().noneMatch(o -> o.startsWith("-XX:MaxRAMPercentage"))
                || options.stream().noneMatch(o -> o.startsWith("-XX:+Use"))) {
            throw new IllegalStateException(
                    DOCKERFILE + " sets no -XX:MaxRAMPercentage or no collector in JAVA_OPTS: " + options);
        }
        return options;
    }
}
