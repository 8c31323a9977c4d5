package dev.appservice.operator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appservice.operator.model.Quoted;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * YAML read by kubectl's rules (sigs.k8s.io/yaml, go-yaml) into JSON trees, one per document: a
 * key twice in one mapping is an error naming the key and both lines; aliases are expanded where
 * they are used and merge keys ({@code <<}) merged, explicit keys winning; plain scalars typed as
 * YAML 1.1 types them (so {@code "12"} stays a string and {@code 1.9} a number). Limits keep a
 * hostile file cheap: a document past the API server's request limit is refused while it is
 * read (a 50 MB string is not read to its end), as are alias bombs and deep nesting.
 */
final class StrictYaml {
    /** The API server refuses a request body over 3 MiB; a document longer than that cannot be applied. */
    static final int DOCUMENT_CODE_POINT_LIMIT = 3 * 1024 * 1024;
    /**
     * Characters in a row without a space or line break. SnakeYAML scans such a run at a cost
     * that grows with the square of its length (about half a second for 1 MiB on these machines),
     * so a longer one is refused as soon as it is seen; kubectl would read up to the 3 MiB limit.
     * No field of these resources comes near it (their schemas cap strings at 1,024 characters).
     */
    static final int UNBROKEN_RUN_LIMIT = 1024 * 1024;
    /** Aliases to collections per document (go-yaml refuses "excessive aliasing" much like this). */
    static final int ALIASES_PER_DOCUMENT_LIMIT = 100;
    /** Values of one document once its aliases are expanded: a billion laughs stops here. */
    static final int EXPANDED_VALUES_LIMIT = 1_000_000;
    /** Nesting of collections (the API server's JSON decoder limits depth as well). */
    static final int NESTING_DEPTH_LIMIT = 100;

    /** A document read, or why it could not be. */
    record Document(JsonNode node, int line) {}

    /** The documents of a file, or the one error that stopped reading it. */
    record Read(List<Document> documents, Optional<String> error) {}

    private StrictYaml() {}

    static Read read(Path file) {
        List<Document> documents = new ArrayList<>();
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(DOCUMENT_CODE_POINT_LIMIT);
        options.setMaxAliasesForCollections(ALIASES_PER_DOCUMENT_LIMIT);
        options.setNestingDepthLimit(NESTING_DEPTH_LIMIT);
        options.setAllowRecursiveKeys(false);
        options.setProcessComments(false);
        try (Reader reader = new DocumentLimit(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
            for (Node node : new Yaml(options).composeAll(reader)) {
                if (node == null) {
                    continue;
                }
                JsonNode json = new Conversion().convert(node, 0);
                if (!json.isNull()) {
                    documents.add(new Document(json, line(node.getStartMark())));
                }
            }
            return new Read(documents, Optional.empty());
        } catch (RefusedYaml e) {
            return new Read(documents, Optional.of(e.getMessage()));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            return new Read(
                    documents,
                    Optional.of((mark == null ? "" : "line " + line(mark) + ": ") + "not valid YAML: "
                            + describe(e.getProblem() != null ? e.getProblem() : e.getContext())));
        } catch (YAMLException e) {
            return new Read(documents, Optional.of("not valid YAML: " + describe(e.getMessage())));
        } catch (IOException | java.io.UncheckedIOException e) {
            return new Read(documents, Optional.of("cannot read: " + describe(e.getMessage())));
        }
    }

    private static String describe(String message) {
        if (message == null) {
            return "unreadable";
        }
        if (message.contains("exceeds the limit")) {
            return "a document is longer than " + DOCUMENT_CODE_POINT_LIMIT
                    + " characters (the API server's 3 MiB request limit)";
        }
        String first = message.lines().findFirst().orElse(message);
        return Quoted.of(first).replaceAll("^'|'$", "");
    }

    private static int line(Mark mark) {
        return mark == null ? 0 : mark.getLine() + 1;
    }

    /**
     * Stops reading a document once it passes {@link #DOCUMENT_CODE_POINT_LIMIT}, counted from the
     * last {@code ---} at the start of a line: the parser never sees the rest of a 50 MB string
     * (SnakeYAML's own limit is checked only after it has scanned a whole scalar, at a cost that
     * grows with the square of the scalar's length).
     */
    private static final class DocumentLimit extends java.io.FilterReader {
        private long inDocument;
        private boolean lineStart = true;
        private int dashes;
        private int line = 1;
        private int run;

        DocumentLimit(Reader in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            char[] one = new char[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            for (int i = offset; i < offset + Math.max(read, 0); i++) {
                char c = buffer[i];
                if (!Character.isLowSurrogate(c) && ++inDocument > DOCUMENT_CODE_POINT_LIMIT) {
                    throw new RefusedYaml("line " + line + ": a document is longer than " + DOCUMENT_CODE_POINT_LIMIT
                            + " characters (the API server's 3 MiB request limit); reading stopped there");
                }
                if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
                    run = 0;
                } else if (++run > UNBROKEN_RUN_LIMIT) {
                    throw new RefusedYaml("line " + line + ": more than " + UNBROKEN_RUN_LIMIT
                            + " characters without a space or line break; reading stopped there");
                }
                if (c == '\n') {
                    line++;
                    lineStart = true;
                    dashes = 0;
                } else if (lineStart && c == '-') {
                    if (++dashes == 3) {
                        inDocument = 0;
                        lineStart = false;
                    }
                } else {
                    lineStart = false;
                }
            }
            return read;
        }
    }

    private static final class RefusedYaml extends RuntimeException {
        RefusedYaml(String message) {
            super(message, null, false, false);
        }
    }

    /** One document's conversion, counting the values aliases expand to. */
    private static final class Conversion {
        private final IdentityHashMap<Node, Boolean> open = new IdentityHashMap<>();
        private int values;

        JsonNode convert(Node node, int depth) {
            if (++values > EXPANDED_VALUES_LIMIT) {
                throw new RefusedYaml("line " + line(node.getStartMark()) + ": the document expands to more than "
                        + EXPANDED_VALUES_LIMIT + " values through its aliases");
            }
            if (depth > NESTING_DEPTH_LIMIT) {
                throw new RefusedYaml("line " + line(node.getStartMark()) + ": nested deeper than "
                        + NESTING_DEPTH_LIMIT + " levels");
            }
            if (open.put(node, Boolean.TRUE) != null) {
                throw new RefusedYaml(
                        "line " + line(node.getStartMark()) + ": an alias refers to a collection that contains it");
            }
            try {
                if (node instanceof ScalarNode scalar) {
                    return scalar(scalar);
                }
                if (node instanceof SequenceNode sequence) {
                    ArrayNode array = JsonNodeFactory.instance.arrayNode();
                    for (Node item : sequence.getValue()) {
                        array.add(convert(item, depth + 1));
                    }
                    return array;
                }
                return mapping((MappingNode) node, depth);
            } finally {
                open.remove(node);
            }
        }

        private JsonNode mapping(MappingNode mapping, int depth) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            Map<String, Integer> lines = new HashMap<>();
            List<ObjectNode> merged = new ArrayList<>();
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                if (keyNode.getTag().equals(Tag.MERGE)) {
                    Node value = tuple.getValueNode();
                    List<Node> sources = value instanceof SequenceNode s ? s.getValue() : List.of(value);
                    for (Node source : sources) {
                        JsonNode converted = convert(source, depth + 1);
                        if (!converted.isObject()) {
                            throw new RefusedYaml(
                                    "line " + line(source.getStartMark()) + ": a merge key (<<) needs a mapping");
                        }
                        merged.add((ObjectNode) converted);
                    }
                    continue;
                }
                if (!(keyNode instanceof ScalarNode keyScalar)) {
                    throw new RefusedYaml("line " + line(keyNode.getStartMark()) + ": a mapping key must be a scalar");
                }
                String key = keyScalar.getValue();
                Integer first = lines.putIfAbsent(key, line(keyNode.getStartMark()));
                if (first != null) {
                    throw new RefusedYaml("line " + line(keyNode.getStartMark()) + ": key " + Quoted.of(key)
                            + " already set on line " + first + " (kubectl refuses duplicate keys)");
                }
                object.set(key, convert(tuple.getValueNode(), depth + 1));
            }
            // Merged mappings fill in what the mapping does not set itself; an earlier source wins over a later one.
            for (ObjectNode source : merged) {
                source.fields().forEachRemaining(field -> {
                    if (!object.has(field.getKey())) {
                        object.set(field.getKey(), field.getValue());
                    }
                });
            }
            return object;
        }

        private static JsonNode scalar(ScalarNode scalar) {
            String text = scalar.getValue();
            Tag tag = scalar.getTag();
            if (tag.equals(Tag.NULL)) {
                return JsonNodeFactory.instance.nullNode();
            }
            if (tag.equals(Tag.BOOL)) {
                return JsonNodeFactory.instance.booleanNode(
                        switch (text.toLowerCase()) {
                            case "true", "yes", "on", "y" -> true;
                            default -> false;
                        });
            }
            if (tag.equals(Tag.INT)) {
                Optional<BigInteger> value = integer(text);
                if (value.isPresent()) {
                    BigInteger v = value.get();
                    // The narrowest number node, as Jackson's own YAML parser gives (an IntOrString binds from an int
                    // only).
                    if (v.bitLength() < Integer.SIZE) {
                        return JsonNodeFactory.instance.numberNode(v.intValue());
                    }
                    return v.bitLength() < Long.SIZE
                            ? JsonNodeFactory.instance.numberNode(v.longValue())
                            : JsonNodeFactory.instance.numberNode(v);
                }
                return JsonNodeFactory.instance.textNode(text);
            }
            if (tag.equals(Tag.FLOAT)) {
                try {
                    return JsonNodeFactory.instance.numberNode(new BigDecimal(text.replace("_", "")));
                } catch (NumberFormatException e) {
                    return JsonNodeFactory.instance.textNode(text);
                }
            }
            return JsonNodeFactory.instance.textNode(text);
        }

        private static Optional<BigInteger> integer(String text) {
            String t = text.replace("_", "");
            boolean negative = t.startsWith("-");
            if (negative || t.startsWith("+")) {
                t = t.substring(1);
            }
            try {
                BigInteger value;
                if (t.startsWith("0x")) {
                    value = new BigInteger(t.substring(2), 16);
                } else if (t.startsWith("0b")) {
                    value = new BigInteger(t.substring(2), 2);
                } else if (t.startsWith("0o")) {
                    value = new BigInteger(t.substring(2), 8);
                } else if (t.length() > 1 && t.startsWith("0")) {
                    value = new BigInteger(t.substring(1), 8);
                } else {
                    value = new BigInteger(t);
                }
                return Optional.of(negative ? value.negate() : value);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }
}
