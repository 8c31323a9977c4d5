package dev.appservice.operator.install;

import java.nio.file.Path;

/** Where the CRDs live: generated under crds/, copied byte for byte into the chart and k8s/. */
final class CustomResourceDefinitionFiles {
    static final Path GENERATED = Path.of("crds");
    static final String UPDATE_COMMAND = "run ./mvnw test -Dtest=KustomizeManifestsTest -Dinstall.update=true";

    private CustomResourceDefinitionFiles() {}
}
