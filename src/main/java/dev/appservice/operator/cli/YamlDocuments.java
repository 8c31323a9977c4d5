package dev.appservice.operator.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.model.jackson.UnmatchedFieldTypeModule;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Kubernetes objects as one multi-document YAML stream, as {@code kubectl apply -f -} reads it:
 * each document starts with {@code ---}, multi-line strings (the nginx configuration) are literal
 * blocks, and strings that YAML would read as numbers or booleans stay quoted. Objects are written
 * straight from the model (no intermediate maps).
 */
final class YamlDocuments {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                    .disable(YAMLGenerator.Feature.SPLIT_LINES)
                    .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                    .build())
            .registerModule(new UnmatchedFieldTypeModule())
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private YamlDocuments() {}

    /** Writes the objects in order; they are serialised on every core, each its own document. */
    static void write(List<? extends HasMetadata> objects, OutputStream out) throws IOException {
        List<byte[]> documents =
                objects.parallelStream().map(YamlDocuments::document).toList();
        for (byte[] document : documents) {
            out.write(document);
        }
        out.flush();
    }

    private static byte[] document(HasMetadata object) {
        try {
            return YAML.writeValueAsBytes(object);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write " + object.getKind() + " "
                            + object.getMetadata().getName() + " as YAML",
                    e);
        }
    }
}
