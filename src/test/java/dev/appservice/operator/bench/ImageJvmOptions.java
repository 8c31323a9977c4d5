package dev.appservice.operator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM options the container image starts the operator with, read from its Dockerfile: the
 * base image's run-java.sh turns {@code JAVA_MAX_MEM_RATIO} into {@code -XX:MaxRAMPercentage},
 * takes the collector from {@code GC_CONTAINER_OPTIONS} and appends {@code JAVA_OPTS_APPEND}. The
 * benchmark measures the operator with exactly these, so its figures are the image's.
 */
public final class ImageJvmOptions {
    public static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");
    private static final Pattern ENV = Pattern.compile("(?m)^ENV (\\w+)=(\"[^\"]*\"|\\S+)");

    private ImageJvmOptions() {
    }

    public static List<String> read() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        List<String> options = new ArrayList<>();
        Matcher env = ENV.matcher(dockerfile);
        while (env.find()) {
            String value = env.group(2).replace("\"", "");
            switch (env.group(1)) {
                case "JAVA_MAX_MEM_RATIO" -> options.add("-XX:MaxRAMPercentage=" + value);
                case "GC_CONTAINER_OPTIONS", "JAVA_OPTS_APPEND" -> options.addAll(List.of(value.trim().split("\\s+")));
                default -> {
                }
            }
        }
        if (options.stream().noneMatch(o -> o.startsWith("-XX:MaxRAMPercentage")) || options.stream().noneMatch(o -> o.startsWith("-XX:+Use"))) {
            throw new IllegalStateException(DOCKERFILE + " sets no JAVA_MAX_MEM_RATIO or no GC_CONTAINER_OPTIONS: " + options);
        }
        return options;
    }
}
