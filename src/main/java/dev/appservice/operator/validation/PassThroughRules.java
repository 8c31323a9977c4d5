package dev.appservice.operator.validation;

import dev.appservice.operator.api.AppServiceEnvironmentSpec;
import dev.appservice.operator.api.WebAppSpec;
import dev.appservice.operator.model.Quoted;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API server's own rules for the values the operator copies unchanged into children: the VIP
 * Service's annotations, Secret names, images, and the apps' environment variable sources. A value
 * the API server would refuse is refused here first, so it is reported on the one resource that
 * holds it (at admission, by {@code validate}, or as {@code InvalidSpec}) instead of making a
 * child unwritable.
 */
final class PassThroughRules {
    /** The API server's limit on an object's annotations, keys and values together. */
    static final int MAX_ANNOTATION_BYTES = 256 * 1024;

    private static final int MAX_QUALIFIED_NAME_LENGTH = 63;
    static final int MAX_SUBDOMAIN_LENGTH = 253;
    private static final Pattern QUALIFIED_NAME = Pattern.compile("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$");
    private static final Pattern SUBDOMAIN =
            Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final Pattern CONFIG_KEY = Pattern.compile("^[-._a-zA-Z0-9]+$");
    private static final Pattern FIELD_PATH_KEY = Pattern.compile("^metadata\\.(labels|annotations)\\['(.+)'\\]$");
    private static final Set<String> FIELD_PATHS = Set.of(
            "metadata.name",
            "metadata.namespace",
            "metadata.uid",
            "metadata.labels",
            "metadata.annotations",
            "spec.nodeName",
            "spec.serviceAccountName",
            "status.hostIP",
            "status.hostIPs",
            "status.podIP",
            "status.podIPs");
    private static final Set<String> RESOURCE_FIELDS = Set.of(
            "limits.cpu",
            "limits.memory",
            "limits.ephemeral-storage",
            "requests.cpu",
            "requests.memory",
            "requests.ephemeral-storage");

    private PassThroughRules() {}

    static void environment(String object, AppServiceEnvironmentSpec spec, List<Violation> problems) {
        if (spec.getLoadBalancer() != null && spec.getLoadBalancer().getAnnotations() != null) {
            Map<String, String> annotations = spec.getLoadBalancer().getAnnotations();
            long bytes = 0;
            for (Map.Entry<String, String> annotation : annotations.entrySet()) {
                String problem = qualifiedNameProblem(annotation.getKey());
                if (problem != null) {
                    problems.add(Violation.error(
                            object, "spec.loadBalancer.annotations[" + Quoted.of(annotation.getKey()) + "]", problem));
                }
                bytes += annotation.getKey().getBytes(StandardCharsets.UTF_8).length
                        + (annotation.getValue() == null
                                ? 0
                                : annotation.getValue().getBytes(StandardCharsets.UTF_8).length);
            }
            if (bytes > MAX_ANNOTATION_BYTES) {
                problems.add(Violation.error(
                        object,
                        "spec.loadBalancer.annotations",
                        "may hold at most 256 KiB of keys and values (the API server's limit), got " + bytes
                                + " bytes"));
            }
        }
        // The schema requires a non-empty name; a blank one is not a DNS subdomain either.
        if (spec.getTls() != null && spec.getTls().getSecretName() != null) {
            secretName(object, "spec.tls.secretName", spec.getTls().getSecretName(), problems);
        }
        if (spec.getFrontEnd() != null && spec.getFrontEnd().getImage() != null) {
            image(object, "spec.frontEnd.image", spec.getFrontEnd().getImage(), problems);
        }
    }

    static void app(String object, WebAppSpec spec, List<Violation> problems) {
        // The schema requires a non-empty image; a blank one has spaces.
        if (spec.getImage() != null) {
            image(object, "spec.image", spec.getImage(), problems);
        }
        List<EnvVar> env = spec.getEnv();
        for (int i = 0; env != null && i < env.size(); i++) {
            if (env.get(i) != null && env.get(i).getValueFrom() != null) {
                valueFrom(object, "spec.env[" + i + "].valueFrom", env.get(i).getValueFrom(), problems);
            }
        }
    }

    private static void valueFrom(String object, String field, EnvVarSource source, List<Violation> problems) {
        int sources = (source.getFieldRef() != null ? 1 : 0)
                + (source.getResourceFieldRef() != null ? 1 : 0)
                + (source.getConfigMapKeyRef() != null ? 1 : 0)
                + (source.getSecretKeyRef() != null ? 1 : 0);
        if (source.getAdditionalProperties() != null
                && !source.getAdditionalProperties().isEmpty()) {
            problems.add(Violation.error(
                    object,
                    field,
                    "may use only fieldRef, resourceFieldRef, configMapKeyRef or secretKeyRef (others, such as "
                            + Quoted.of(source.getAdditionalProperties()
                                    .keySet()
                                    .iterator()
                                    .next()) + ", are not enabled on a cluster by default)"));
            return;
        }
        if (sources != 1) {
            problems.add(Violation.error(
                    object,
                    field,
                    "must have exactly one of fieldRef, resourceFieldRef, configMapKeyRef or secretKeyRef, got "
                            + sources));
            return;
        }
        if (source.getSecretKeyRef() != null) {
            keyReference(
                    object,
                    field + ".secretKeyRef",
                    source.getSecretKeyRef().getName(),
                    source.getSecretKeyRef().getKey(),
                    problems);
        }
        if (source.getConfigMapKeyRef() != null) {
            keyReference(
                    object,
                    field + ".configMapKeyRef",
                    source.getConfigMapKeyRef().getName(),
                    source.getConfigMapKeyRef().getKey(),
                    problems);
        }
        if (source.getFieldRef() != null) {
            String path = source.getFieldRef().getFieldPath();
            String apiVersion = source.getFieldRef().getApiVersion();
            if (apiVersion != null && !apiVersion.isEmpty() && !apiVersion.equals("v1")) {
                problems.add(Violation.error(
                        object, field + ".fieldRef.apiVersion", "must be v1, got " + Quoted.of(apiVersion)));
            }
            var keyed = path == null ? null : FIELD_PATH_KEY.matcher(path);
            boolean supported = path != null
                    && (FIELD_PATHS.contains(path)
                            || (keyed.matches() && qualifiedNameProblem(keyed.group(2)) == null));
            if (!supported) {
                problems.add(Violation.error(
                        object,
                        field + ".fieldRef.fieldPath",
                        "must be one of " + String.join(", ", new java.util.TreeSet<>(FIELD_PATHS))
                                + ", metadata.labels['<key>'] or metadata.annotations['<key>'], got "
                                + Quoted.of(path)));
            }
        }
        if (source.getResourceFieldRef() != null) {
            String resource = source.getResourceFieldRef().getResource();
            if (resource == null
                    || !(RESOURCE_FIELDS.contains(resource)
                            || resource.startsWith("limits.hugepages-")
                            || resource.startsWith("requests.hugepages-"))) {
                problems.add(Violation.error(
                        object,
                        field + ".resourceFieldRef.resource",
                        "must be one of " + String.join(", ", new java.util.TreeSet<>(RESOURCE_FIELDS))
                                + " or a hugepages size, got " + Quoted.of(resource)));
            }
            String container = source.getResourceFieldRef().getContainerName();
            if (container != null && !container.isEmpty()) {
                problems.add(Violation.error(
                        object,
                        field + ".resourceFieldRef.containerName",
                        "must be left out: the app's container is named by the operator, got " + Quoted.of(container)));
            }
        }
    }

    private static void keyReference(String object, String field, String name, String key, List<Violation> problems) {
        if (name == null || name.isEmpty()) {
            problems.add(Violation.error(object, field + ".name", "is required"));
        } else {
            secretName(object, field + ".name", name, problems);
        }
        if (key == null || key.isEmpty()) {
            problems.add(Violation.error(object, field + ".key", "is required"));
        } else if (key.length() > MAX_SUBDOMAIN_LENGTH
                || !CONFIG_KEY.matcher(key).matches()
                || key.equals(".")
                || key.equals("..")
                || key.startsWith("..")) {
            problems.add(Violation.error(
                    object,
                    field + ".key",
                    "must be a key of a ConfigMap or Secret (letters, digits, '-', '_' and '.', not '.', '..' or starting with '..'), got "
                            + Quoted.of(key)));
        }
    }

    /** A DNS subdomain as the API server checks object names: at most 253 characters. */
    static boolean isSubdomain(String name) {
        return name.length() <= MAX_SUBDOMAIN_LENGTH && SUBDOMAIN.matcher(name).matches();
    }

    private static void secretName(String object, String field, String name, List<Violation> problems) {
        if (!isSubdomain(name)) {
            problems.add(Violation.error(
                    object,
                    field,
                    "must be a DNS subdomain (lowercase letters, digits, '-' and '.', at most 253 characters), got "
                            + Quoted.of(name)));
        }
    }

    private static void image(String object, String field, String image, List<Violation> problems) {
        if (!image.strip().equals(image) || image.chars().anyMatch(Character::isWhitespace)) {
            problems.add(Violation.error(
                    object, field, "must be an image reference without spaces, got " + Quoted.of(image)));
        }
    }

    /** Why a key is not a Kubernetes qualified name (an optional DNS subdomain prefix and '/', then a name of 63), or null. */
    static String qualifiedNameProblem(String key) {
        if (key == null || key.isEmpty()) {
            return "must be a qualified name such as example.com/key, got an empty key";
        }
        String[] parts = key.split("/", -1);
        if (parts.length > 2) {
            return "must be a qualified name (an optional DNS subdomain prefix and '/', then a name), got "
                    + Quoted.of(key);
        }
        String name = parts[parts.length - 1];
        if (parts.length == 2
                && (parts[0].isEmpty()
                        || parts[0].length() > MAX_SUBDOMAIN_LENGTH
                        || !SUBDOMAIN.matcher(parts[0]).matches())) {
            return "must have a DNS subdomain as its prefix (before '/'), got " + Quoted.of(key);
        }
        if (name.isEmpty()
                || name.length() > MAX_QUALIFIED_NAME_LENGTH
                || !QUALIFIED_NAME.matcher(name).matches()) {
            return "must end in a name of at most 63 letters, digits, '-', '_' and '.', beginning and ending with a letter or digit, got "
                    + Quoted.of(key);
        }
        return null;
    }
}
