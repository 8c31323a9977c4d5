package dev.appservice.operator.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the custom resources of a set of manifest files: YAML or JSON, several documents a file,
 * directories read recursively in name order. Every problem is reported as one line naming the
 * file, the object and the field; nothing is thrown for bad input.
 */
public final class Manifests {
    public static final String API_VERSION = AppServiceEnvironment.GROUP + "/" + AppServiceEnvironment.VERSION;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** A custom resource, the file it came from and where in it ({@code file (document 2)}). */
    public record Entry(Path file, String where, HasMetadata resource) {
    }

    /** What was read: resources, errors and warnings, each line naming its file. */
    public record Result(List<Entry> entries, List<String> errors, List<String> warnings) {
        public List<AppServiceEnvironment> environments() {
            return entries.stream().map(Entry::resource).filter(AppServiceEnvironment.class::isInstance)
                    .map(AppServiceEnvironment.class::cast).toList();
        }

        public List<IsolatedPlan> plans() {
            return entries.stream().map(Entry::resource).filter(IsolatedPlan.class::isInstance)
                    .map(IsolatedPlan.class::cast).toList();
        }

        public List<WebApp> apps() {
            return entries.stream().map(Entry::resource).filter(WebApp.class::isInstance)
                    .map(WebApp.class::cast).toList();
        }
    }

    private Manifests() {
    }

    public static Result read(List<Path> paths) {
        List<Entry> entries = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                errors.add(path + ": no such file or directory");
                continue;
            }
            for (Path file : files(path, errors)) {
                readFile(file, entries, errors, warnings);
            }
        }
        return new Result(entries, errors, warnings);
    }

    private static List<Path> files(Path path, List<String> errors) {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
                    })
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            errors.add(path + ": cannot read directory: " + e.getMessage());
            return List.of();
        }
    }

    private static void readFile(Path file, List<Entry> entries, List<String> errors, List<String> warnings) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNextValue()) {
                JsonNode node = it.nextValue();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    documents.add(node);
                }
            }
        } catch (IOException | RuntimeException e) {
            errors.add(file + ": not valid YAML: " + firstLine(e.getMessage()));
            return;
        }
        for (int i = 0; i < documents.size(); i++) {
            JsonNode doc = documents.get(i);
            String where = file + (documents.size() > 1 ? " (document " + (i + 1) + ")" : "");
            if (doc.isObject() && doc.has("kind") && "List".equals(doc.get("kind").asText()) && doc.has("items")) {
                doc.get("items").forEach(item -> readObject(file, where, item, entries, errors, warnings));
            } else {
                readObject(file, where, doc, entries, errors, warnings);
            }
        }
    }

    private static void readObject(Path file, String where, JsonNode doc, List<Entry> entries, List<String> errors, List<String> warnings) {
        if (!doc.isObject()) {
            errors.add(where + ": expected a Kubernetes object (a mapping with apiVersion and kind)");
            return;
        }
        String apiVersion = doc.path("apiVersion").asText("");
        String kind = doc.path("kind").asText("");
        String name = doc.path("metadata").path("name").asText("<unnamed>");
        String namespace = doc.path("metadata").path("namespace").asText("default");
        String object = (kind.isEmpty() ? "object" : kind) + " " + namespace + "/" + name;
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            errors.add(where + ": " + object + ": apiVersion and kind are required");
            return;
        }
        if (!apiVersion.startsWith(AppServiceEnvironment.GROUP + "/")) {
            warnings.add(where + ": " + kind + " " + name + " (" + apiVersion + "): not an " + AppServiceEnvironment.GROUP + " resource, skipped");
            return;
        }
        if (!apiVersion.equals(API_VERSION)) {
            errors.add(where + ": " + object + ": apiVersion " + apiVersion + " is not served; use " + API_VERSION);
            return;
        }
        Class<? extends HasMetadata> type = switch (kind) {
            case "AppServiceEnvironment" -> AppServiceEnvironment.class;
            case "IsolatedPlan" -> IsolatedPlan.class;
            case "WebApp" -> WebApp.class;
            default -> null;
        };
        if (type == null) {
            errors.add(where + ": " + object + ": unknown kind " + kind + " in " + API_VERSION
                    + " (known: AppServiceEnvironment, IsolatedPlan, WebApp)");
            return;
        }
        try {
            HasMetadata resource = YAML.treeToValue(doc, type);
            if (resource.getMetadata().getNamespace() == null) {
                resource.getMetadata().setNamespace("default");
            }
            entries.add(new Entry(file, where, resource));
        } catch (UnrecognizedPropertyException e) {
            errors.add(where + ": " + object + ": " + path(e) + " is not a field of " + kind);
        } catch (InvalidFormatException e) {
            errors.add(where + ": " + object + ": " + path(e) + " has an invalid value '" + e.getValue() + "'"
                    + (e.getTargetType() != null && e.getTargetType().isEnum() ? " (allowed: " + enumValues(e.getTargetType()) + ")" : ""));
        } catch (MismatchedInputException e) {
            errors.add(where + ": " + object + ": " + path(e) + " has the wrong type (" + firstLine(e.getOriginalMessage()) + ")");
        } catch (IOException | RuntimeException e) {
            errors.add(where + ": " + object + ": " + firstLine(e.getMessage()));
        }
    }

    private static String path(MismatchedInputException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "(document)" : sb.toString();
    }

    private static String enumValues(Class<?> type) {
        return Stream.of(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
