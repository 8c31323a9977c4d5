package dev.appservice.operator.containers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.testing.ProcessRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;

/**
 * The four test images of src/test/containers, built (or found, by the hash of their sources) with
 * {@code src/test/containers/build}. Without podman, buildah or Go a test using them is skipped,
 * saying what is missing; in CI ({@code CI=true}) it fails.
 */
final class TestImages {
    static final Path SOURCES = Path.of("src", "test", "containers");
    static final List<String> NAMES = List.of("root-port-80", "user-1000", "exits", "memory-hog");

    private TestImages() {}

    /** Image name by directory name. */
    static Map<String, String> build() throws Exception {
        available(List.of("podman", "--version"));
        available(List.of("buildah", "--version"));
        ProcessBuilder build = new ProcessBuilder(SOURCES.resolve("build").toString());
        if (System.getenv("GO") == null
                && Path.of("/usr/local/go/bin/go").toFile().canExecute()) {
            build.environment().put("GO", "/usr/local/go/bin/go");
        }
        ProcessRun built = ProcessRun.of(build, 600);
        if (built.exitCode() != 0 && built.stderr().contains("go is missing")) {
            missing(built.stderr().trim());
        }
        assertThat(built.exitCode()).as(built.stderr()).isZero();
        Map<String, String> images = new TreeMap<>();
        built.stdout().lines().map(l -> l.split(" ")).forEach(f -> images.put(f[0], f[1]));
        assertThat(images).containsOnlyKeys(NAMES);
        return images;
    }

    static void available(List<String> command) throws Exception {
        try {
            if (ProcessRun.of(command, 60).exitCode() == 0) {
                return;
            }
        } catch (IOException absent) {
            // below
        }
        missing(command.get(0) + " is missing");
    }

    static void missing(String why) {
        assertThat("true".equals(System.getenv("CI")))
                .as("in CI the test images are built and run by the tests: " + why)
                .isFalse();
        Assumptions.abort(why + ": the container tests need podman, buildah and Go");
    }
}
