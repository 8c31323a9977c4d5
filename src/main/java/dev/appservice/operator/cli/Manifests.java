package dev.appservice.operator.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.Quoted;
import dev.appservice.operator.schema.CustomResourceSchemaValidation;
import dev.appservice.operator.validation.MetadataRules;
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

    /** Text shown as it is in messages: printable, without quotes or spaces, not too long. */
    private static final java.util.regex.Pattern PLAIN =
            java.util.regex.Pattern.compile("[A-Za-z0-9._/<>:+@=-]{1,100}");

    private static final CustomResourceSchemaValidation SCHEMAS = CustomResourceSchemaValidation.fromClasspath();

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** A custom resource, the file it came from and where in it ({@code file (document 2)}). */
    public record Entry(Path file, String where, HasMetadata resource) {}

    /** What was read: resources, errors and warnings, each line naming its file. */
    public record Result(List<Entry> entries, List<String> errors, List<String> warnings) {
        public List<AppServiceEnvironment> environments() {
            return entries.stream()
                    .map(Entry::resource)
                    .filter(AppServiceEnvironment.class::isInstance)
                    .map(AppServiceEnvironment.class::cast)
                    .toList();
        }

        public List<IsolatedPlan> plans() {
            return entries.stream()
                    .map(Entry::resource)
                    .filter(IsolatedPlan.class::isInstance)
                    .map(IsolatedPlan.class::cast)
                    .toList();
        }

        public List<WebApp> apps() {
            return entries.stream()
                    .map(Entry::resource)
                    .filter(WebApp.class::isInstance)
                    .map(WebApp.class::cast)
                    .toList();
        }
    }

    private Manifests() {}

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
        return new Result(withoutDuplicates(entries, errors), errors, warnings);
    }

    /**
     * One object per kind, namespace and name: a second one (kubectl apply would overwrite the
     * first with it) is refused, naming where the first is, and neither rendered twice nor checked
     * against itself.
     */
    private static List<Entry> withoutDuplicates(List<Entry> entries, List<String> errors) {
        java.util.Map<String, Entry> first = new java.util.HashMap<>();
        List<Entry> kept = new ArrayList<>();
        for (Entry entry : entries) {
            HasMetadata resource = entry.resource();
            String key = resource.getKind() + "/" + resource.getMetadata().getNamespace() + "/"
                    + resource.getMetadata().getName();
            Entry earlier = first.putIfAbsent(key, entry);
            if (earlier == null) {
                kept.add(entry);
            } else {
                errors.add(entry.where() + ": " + resource.getKind() + " "
                        + resource.getMetadata().getNamespace() + "/"
                        + resource.getMetadata().getName()
                        + ": metadata.name: Duplicate value: the same object is already defined in " + earlier.where()
                        + " (one object per kind, namespace and name)");
            }
        }
        return kept;
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
        String shownFile = shown(file.toString());
        StrictYaml.Read read = StrictYaml.read(file);
        read.error().ifPresent(error -> errors.add(shownFile + ": " + error));
        if (read.error().isPresent()) {
            return;
        }
        List<StrictYaml.Document> documents = read.documents();
        for (int i = 0; i < documents.size(); i++) {
            JsonNode doc = documents.get(i).node();
            String where = shownFile + (documents.size() > 1 ? " (document " + (i + 1) + ")" : "");
            if (doc.isObject()
                    && doc.has("kind")
                    && "List".equals(doc.get("kind").asText())
                    && doc.has("items")) {
                int item = 0;
                for (JsonNode element : doc.get("items")) {
                    readObject(file, where + " (items[" + item++ + "])", element, entries, errors, warnings);
                }
            } else {
                readObject(file, where, doc, entries, errors, warnings);
            }
        }
    }

    private static void readObject(
            Path file, String where, JsonNode doc, List<Entry> entries, List<String> errors, List<String> warnings) {
        if (!doc.isObject()) {
            errors.add(where + ": expected a Kubernetes object (a mapping with apiVersion and kind)");
            return;
        }
        String apiVersion =
                doc.path("apiVersion").isTextual() ? doc.path("apiVersion").asText() : "";
        String kind = doc.path("kind").isTextual() ? doc.path("kind").asText() : "";
        String name = doc.path("metadata").path("name").isTextual()
                ? doc.path("metadata").path("name").asText()
                : "<unnamed>";
        String namespace = doc.path("metadata").path("namespace").isTextual()
                        && !doc.path("metadata").path("namespace").asText().isEmpty()
                ? doc.path("metadata").path("namespace").asText()
                : "default";
        String object = (kind.isEmpty() ? "object" : shown(kind)) + " " + shown(namespace) + "/" + shown(name);
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            errors.add(where + ": " + object + ": apiVersion and kind are required (strings)");
            return;
        }
        if (!apiVersion.startsWith(AppServiceEnvironment.GROUP + "/")) {
            warnings.add(where + ": " + shown(kind) + " " + shown(name) + " (" + shown(apiVersion) + "): not an "
                    + AppServiceEnvironment.GROUP + " resource, skipped");
            return;
        }
        if (!apiVersion.equals(API_VERSION)) {
            errors.add(
                    where + ": " + object + ": apiVersion " + shown(apiVersion) + " is not served; use " + API_VERSION);
            return;
        }
        Class<? extends HasMetadata> type = switch (kind) {
            case "AppServiceEnvironment" -> AppServiceEnvironment.class;
            case "IsolatedPlan" -> IsolatedPlan.class;
            case "WebApp" -> WebApp.class;
            default -> null;
        };
        if (type == null) {
            errors.add(where + ": " + object + ": unknown kind " + shown(kind) + " in " + API_VERSION
                    + " (known: AppServiceEnvironment, IsolatedPlan, WebApp)");
            return;
        }
        // As the API server: metadata rules, then the CRD's defaults, structural schema and CEL rules.
        List<String> refused = new ArrayList<>();
        MetadataRules.check(object, doc.get("metadata")).forEach(v -> refused.add(where + ": " + v.describe()));
        SCHEMAS.applyDefaults((ObjectNode) doc, apiVersion, kind);
        SCHEMAS.validate(doc, apiVersion, kind).forEach(p -> refused.add(where + ": " + object + ": " + p.message()));
        if (!refused.isEmpty()) {
            errors.addAll(refused);
            return;
        }
        try {
            HasMetadata resource = YAML.treeToValue(doc, type);
            if (resource.getMetadata().getNamespace() == null
                    || resource.getMetadata().getNamespace().isEmpty()) {
                resource.getMetadata().setNamespace("default");
            }
            entries.add(new Entry(file, where, resource));
        } catch (UnrecognizedPropertyException e) {
            errors.add(where + ": " + object + ": " + path(e) + " is not a field of " + kind);
        } catch (InvalidFormatException e) {
            errors.add(where + ": " + object + ": " + path(e) + " has an invalid value "
                    + Quoted.of(String.valueOf(e.getValue()))
                    + (e.getTargetType() != null && e.getTargetType().isEnum()
                            ? " (allowed: " + enumValues(e.getTargetType()) + ")"
                            : ""));
        } catch (MismatchedInputException e) {
            errors.add(where + ": " + object + ": " + path(e) + " has the wrong type");
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            errors.add(where + ": " + object + ": " + path(e) + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        } catch (IOException | RuntimeException e) {
            errors.add(
                    where + ": " + object + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** A user's text in a message: as it is when plainly printable, quoted and escaped when not. */
    static String shown(String text) {
        return PLAIN.matcher(text).matches() ? text : Quoted.of(text);
    }

    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
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
}
