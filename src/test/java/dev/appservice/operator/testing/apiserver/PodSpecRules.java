package dev.appservice.operator.testing.apiserver;

import static dev.appservice.operator.testing.apiserver.JsonFields.array;
import static dev.appservice.operator.testing.apiserver.JsonFields.child;
import static dev.appservice.operator.testing.apiserver.JsonFields.entries;
import static dev.appservice.operator.testing.apiserver.JsonFields.has;
import static dev.appservice.operator.testing.apiserver.JsonFields.index;
import static dev.appservice.operator.testing.apiserver.JsonFields.key;
import static dev.appservice.operator.testing.apiserver.JsonFields.object;
import static dev.appservice.operator.testing.apiserver.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A pod template's spec as pkg/apis/core/validation (ValidatePodTemplateSpec, Kubernetes 1.34)
 * checks the fields an operator writes: containers, ports, env and its sources, resources,
 * probes, volumes and their mounts, security contexts, scheduling fields.
 */
public final class PodSpecRules {
    static final List<String> VOLUME_SOURCES = List.of(
            "hostPath",
            "emptyDir",
            "gcePersistentDisk",
            "awsElasticBlockStore",
            "gitRepo",
            "secret",
            "nfs",
            "iscsi",
            "glusterfs",
            "persistentVolumeClaim",
            "rbd",
            "flexVolume",
            "cinder",
            "cephfs",
            "flocker",
            "downwardAPI",
            "fc",
            "azureFile",
            "configMap",
            "vsphereVolume",
            "quobyte",
            "azureDisk",
            "photonPersistentDisk",
            "projected",
            "portworxVolume",
            "scaleIO",
            "storageos",
            "csi",
            "ephemeral",
            "image");
    static final List<String> PROJECTED_SOURCES = List.of(
            "secret", "downwardAPI", "configMap", "serviceAccountToken", "clusterTrustBundle", "podCertificate");
    static final List<String> ENV_SOURCES = List.of("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef");
    static final List<String> FIELD_PATHS = List.of(
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
    static final List<String> RESOURCE_FIELDS = List.of(
            "limits.cpu",
            "limits.memory",
            "limits.ephemeral-storage",
            "requests.cpu",
            "requests.memory",
            "requests.ephemeral-storage");
    static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");
    static final List<String> HANDLERS = List.of("exec", "httpGet", "tcpSocket", "grpc");

    private PodSpecRules() {}

    /** spec of a pod template whose controller needs restartPolicy Always (Deployments). */
    public static void validate(JsonNode spec, String path, FieldErrors errors) {
        if (spec == null) {
            errors.required(path, "");
            return;
        }
        Set<String> volumes = volumes(spec, child(path, "volumes"), errors);
        List<JsonNode> containers = array(spec, "containers");
        if (containers.isEmpty()) {
            errors.required(child(path, "containers"), "");
        }
        Set<String> names = new HashSet<>();
        List<JsonNode> initContainers = array(spec, "initContainers");
        for (int i = 0; i < initContainers.size(); i++) {
            container(initContainers.get(i), index(child(path, "initContainers"), i), volumes, names, true, errors);
        }
        for (int i = 0; i < containers.size(); i++) {
            container(containers.get(i), index(child(path, "containers"), i), volumes, names, false, errors);
        }
        String restartPolicy = text(spec, "restartPolicy");
        if (!restartPolicy.isEmpty() && !restartPolicy.equals("Always")) {
            errors.notSupported(child(path, "restartPolicy"), restartPolicy, List.of("Always"));
        }
        String dnsPolicy = text(spec, "dnsPolicy");
        if (!dnsPolicy.isEmpty()
                && !List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
                        .contains(dnsPolicy)) {
            errors.notSupported(
                    child(path, "dnsPolicy"),
                    dnsPolicy,
                    List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"));
        }
        nonNegative(spec, "terminationGracePeriodSeconds", path, errors);
        if (has(spec, "activeDeadlineSeconds")
                && spec.get("activeDeadlineSeconds").asLong() < 1) {
            errors.invalid(
                    child(path, "activeDeadlineSeconds"),
                    spec.get("activeDeadlineSeconds").asLong(),
                    "must be between 1 and 2147483647, inclusive");
        }
        for (String field : List.of("serviceAccountName", "schedulerName", "priorityClassName")) {
            if (!text(spec, field).isEmpty()) {
                errors.invalidEach(
                        child(path, field), text(spec, field), NameFormats.dns1123Subdomain(text(spec, field)));
            }
        }
        if (!text(spec, "hostname").isEmpty()) {
            errors.invalidEach(
                    child(path, "hostname"), text(spec, "hostname"), NameFormats.dns1123Label(text(spec, "hostname")));
        }
        ObjectMetaRules.labels(spec.get("nodeSelector"), child(path, "nodeSelector"), errors);
        podSecurityContext(object(spec, "securityContext"), child(path, "securityContext"), errors);
        operatingSystem(spec, path, errors);
        tolerations(spec, child(path, "tolerations"), errors);
        topologySpread(spec, child(path, "topologySpreadConstraints"), errors);
        List<JsonNode> pullSecrets = array(spec, "imagePullSecrets");
        for (int i = 0; i < pullSecrets.size(); i++) {
            String name = text(pullSecrets.get(i), "name");
            if (name.isEmpty()) {
                errors.required(child(index(child(path, "imagePullSecrets"), i), "name"), "");
            }
        }
    }

    private static void container(
            JsonNode container, String path, Set<String> volumes, Set<String> names, boolean init, FieldErrors errors) {
        String name = text(container, "name");
        if (name.isEmpty()) {
            errors.required(child(path, "name"), "");
        } else {
            errors.invalidEach(child(path, "name"), name, NameFormats.dns1123Label(name));
            if (!names.add(name)) {
                errors.duplicate(child(path, "name"), name);
            }
        }
        String image = text(container, "image");
        if (image.isEmpty()) {
            errors.required(child(path, "image"), "");
        } else if (!image.strip().equals(image)) {
            errors.invalid(child(path, "image"), image, "must not have leading or trailing whitespace");
        }
        String pullPolicy = text(container, "imagePullPolicy");
        if (!pullPolicy.isEmpty() && !List.of("Always", "IfNotPresent", "Never").contains(pullPolicy)) {
            errors.notSupported(child(path, "imagePullPolicy"), pullPolicy, List.of("Always", "IfNotPresent", "Never"));
        }
        ports(container, child(path, "ports"), errors);
        env(container, child(path, "env"), errors);
        envFrom(container, child(path, "envFrom"), errors);
        resources(object(container, "resources"), child(path, "resources"), errors);
        volumeMounts(container, child(path, "volumeMounts"), volumes, errors);
        String terminationPolicy = text(container, "terminationMessagePolicy");
        if (!terminationPolicy.isEmpty()
                && !List.of("File", "FallbackToLogsOnError").contains(terminationPolicy)) {
            errors.notSupported(
                    child(path, "terminationMessagePolicy"),
                    terminationPolicy,
                    List.of("File", "FallbackToLogsOnError"));
        }
        if (init && !"Always".equals(text(container, "restartPolicy"))) {
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                if (has(container, probe)) {
                    errors.forbidden(
                            child(path, probe), "may not be set for init containers without restartPolicy=Always");
                }
            }
        } else {
            probe(object(container, "livenessProbe"), child(path, "livenessProbe"), true, errors);
            probe(object(container, "readinessProbe"), child(path, "readinessProbe"), false, errors);
            probe(object(container, "startupProbe"), child(path, "startupProbe"), true, errors);
        }
        JsonNode lifecycle = object(container, "lifecycle");
        for (String hook : List.of("postStart", "preStop")) {
            JsonNode handler = object(lifecycle, hook);
            if (handler != null) {
                handler(
                        handler,
                        child(child(path, "lifecycle"), hook),
                        List.of("exec", "httpGet", "tcpSocket", "sleep"),
                        errors);
            }
        }
        securityContext(object(container, "securityContext"), child(path, "securityContext"), errors);
    }

    private static void ports(JsonNode container, String path, FieldErrors errors) {
        List<JsonNode> ports = array(container, "ports");
        Set<String> names = new HashSet<>();
        Set<String> numbers = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            String at = index(path, i);
            String name = text(port, "name");
            if (!name.isEmpty()) {
                errors.invalidEach(child(at, "name"), name, NameFormats.ianaServiceName(name));
                if (!names.add(name)) {
                    errors.duplicate(child(at, "name"), name);
                }
            }
            if (!has(port, "containerPort") || port.get("containerPort").asLong() == 0) {
                errors.required(child(at, "containerPort"), "");
            } else {
                errors.invalidEach(
                        child(at, "containerPort"),
                        port.get("containerPort").asLong(),
                        NameFormats.portNumber(port.get("containerPort").asLong()));
            }
            if (has(port, "hostPort") && port.get("hostPort").asLong() != 0) {
                errors.invalidEach(
                        child(at, "hostPort"),
                        port.get("hostPort").asLong(),
                        NameFormats.portNumber(port.get("hostPort").asLong()));
            }
            String protocol = text(port, "protocol").isEmpty() ? "TCP" : text(port, "protocol");
            if (!PROTOCOLS.contains(protocol)) {
                errors.notSupported(child(at, "protocol"), protocol, PROTOCOLS);
            }
            if (!text(port, "hostIP").isEmpty()) {
                errors.invalidEach(
                        child(at, "hostIP"), text(port, "hostIP"), NameFormats.ipAddress(text(port, "hostIP")));
            }
            String number = text(port, "containerPort") + "/" + protocol + "/" + text(port, "hostIP") + "/"
                    + text(port, "hostPort");
            if (!numbers.add(number)) {
                errors.duplicate(at, number);
            }
        }
    }

    static void env(JsonNode container, String path, FieldErrors errors) {
        List<JsonNode> env = array(container, "env");
        for (int i = 0; i < env.size(); i++) {
            JsonNode variable = env.get(i);
            String at = index(path, i);
            String name = text(variable, "name");
            if (name.isEmpty()) {
                errors.required(child(at, "name"), "");
            } else {
                errors.invalidEach(child(at, "name"), name, NameFormats.environmentVariableName(name));
            }
            if (has(variable, "valueFrom")) {
                envSource(
                        variable.get("valueFrom"),
                        child(at, "valueFrom"),
                        !text(variable, "value").isEmpty(),
                        errors);
            }
        }
    }

    private static void envSource(JsonNode source, String path, boolean hasValue, FieldErrors errors) {
        int sources = 0;
        for (String kind : ENV_SOURCES) {
            if (has(source, kind)) {
                sources++;
            }
        }
        if (has(source, "fileKeyRef")) {
            errors.forbidden(
                    child(path, "fileKeyRef"), "requires the EnvFiles feature gate (alpha in 1.34, off by default)");
            sources++;
        }
        if (sources == 0) {
            errors.invalid(
                    path,
                    "",
                    "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
            return;
        }
        if (sources > 1) {
            errors.invalid(path, "", "may not have more than one field specified at a time");
            return;
        }
        if (hasValue) {
            errors.invalid(path, "", "may not be specified when `value` is not empty");
        }
        JsonNode fieldRef = object(source, "fieldRef");
        if (fieldRef != null) {
            fieldRef(fieldRef, child(path, "fieldRef"), errors);
        }
        JsonNode resourceRef = object(source, "resourceFieldRef");
        if (resourceRef != null) {
            String resource = text(resourceRef, "resource");
            String at = child(path, "resourceFieldRef");
            if (resource.isEmpty()) {
                errors.required(child(at, "resource"), "");
            } else if (!RESOURCE_FIELDS.contains(resource)
                    && !resource.startsWith("limits.hugepages-")
                    && !resource.startsWith("requests.hugepages-")) {
                errors.notSupported(child(at, "resource"), resource, RESOURCE_FIELDS);
            }
            if (has(resourceRef, "divisor")) {
                Optional<BigDecimal> divisor =
                        Quantities.parse(resourceRef.get("divisor").asText());
                if (divisor.isEmpty() || divisor.get().signum() <= 0) {
                    errors.invalid(
                            child(at, "divisor"), resourceRef.get("divisor").asText(), "must be a positive quantity");
                }
            }
        }
        for (String ref : List.of("configMapKeyRef", "secretKeyRef")) {
            JsonNode keyRef = object(source, ref);
            if (keyRef == null) {
                continue;
            }
            String at = child(path, ref);
            String key = text(keyRef, "key");
            if (key.isEmpty()) {
                errors.required(child(at, "key"), "");
            } else {
                errors.invalidEach(child(at, "key"), key, NameFormats.configMapKey(key));
            }
            String name = text(keyRef, "name");
            if (name.isEmpty()) {
                errors.required(child(at, "name"), "");
            } else {
                errors.invalidEach(child(at, "name"), name, NameFormats.dns1123Subdomain(name));
            }
        }
    }

    private static void fieldRef(JsonNode fieldRef, String path, FieldErrors errors) {
        String fieldPath = text(fieldRef, "fieldPath");
        String apiVersion = text(fieldRef, "apiVersion");
        if (!apiVersion.isEmpty() && !apiVersion.equals("v1")) {
            errors.notSupported(child(path, "apiVersion"), apiVersion, List.of("v1"));
        }
        if (fieldPath.isEmpty()) {
            errors.required(child(path, "fieldPath"), "");
            return;
        }
        if (fieldPath.matches("metadata\\.(labels|annotations)\\['[^']*'\\]")) {
            String subscript = fieldPath.substring(fieldPath.indexOf("['") + 2, fieldPath.length() - 2);
            errors.invalidEach(
                    child(path, "fieldPath"),
                    fieldPath,
                    NameFormats.qualifiedName(subscript.toLowerCase(java.util.Locale.ROOT)));
            return;
        }
        if (!FIELD_PATHS.contains(fieldPath)) {
            errors.notSupported(child(path, "fieldPath"), fieldPath, FIELD_PATHS);
        }
    }

    private static void envFrom(JsonNode container, String path, FieldErrors errors) {
        List<JsonNode> sources = array(container, "envFrom");
        for (int i = 0; i < sources.size(); i++) {
            JsonNode source = sources.get(i);
            String at = index(path, i);
            if (!text(source, "prefix").isEmpty()) {
                errors.invalidEach(
                        child(at, "prefix"),
                        text(source, "prefix"),
                        NameFormats.environmentVariableName(text(source, "prefix")));
            }
            int count = (has(source, "configMapRef") ? 1 : 0) + (has(source, "secretRef") ? 1 : 0);
            if (count != 1) {
                errors.invalid(
                        at,
                        "",
                        count == 0
                                ? "must specify one of: `configMapRef` or `secretRef`"
                                : "may not have more than one field specified at a time");
            }
            for (String ref : List.of("configMapRef", "secretRef")) {
                JsonNode target = object(source, ref);
                if (target != null) {
                    String name = text(target, "name");
                    if (name.isEmpty()) {
                        errors.required(child(child(at, ref), "name"), "");
                    } else {
                        errors.invalidEach(child(child(at, ref), "name"), name, NameFormats.dns1123Subdomain(name));
                    }
                }
            }
        }
    }

    static void resources(JsonNode resources, String path, FieldErrors errors) {
        if (resources == null) {
            return;
        }
        Map<String, BigDecimal> limits = quantities(object(resources, "limits"), child(path, "limits"), errors);
        Map<String, BigDecimal> requests = quantities(object(resources, "requests"), child(path, "requests"), errors);
        for (Map.Entry<String, BigDecimal> request : requests.entrySet()) {
            BigDecimal limit = limits.get(request.getKey());
            if (limit != null && request.getValue().compareTo(limit) > 0) {
                errors.invalid(
                        key(child(path, "requests"), request.getKey()),
                        request.getValue().toPlainString(),
                        "must be less than or equal to " + request.getKey() + " limit of " + limit.toPlainString());
            }
        }
    }

    private static Map<String, BigDecimal> quantities(JsonNode list, String path, FieldErrors errors) {
        Map<String, BigDecimal> values = new HashMap<>();
        if (list == null) {
            return values;
        }
        list.fields().forEachRemaining(e -> {
            String at = key(path, e.getKey());
            errors.invalidEach(at, e.getKey(), NameFormats.qualifiedName(e.getKey()));
            if (!e.getKey().contains("/")
                    && !List.of("cpu", "memory", "ephemeral-storage", "storage").contains(e.getKey())
                    && !e.getKey().startsWith("hugepages-")) {
                errors.invalid(at, e.getKey(), "must be a standard resource type or fully qualified");
            }
            Optional<BigDecimal> value = Quantities.parse(e.getValue().asText());
            if (value.isEmpty()) {
                errors.invalid(
                        at,
                        e.getValue().asText(),
                        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
            } else if (value.get().signum() < 0) {
                errors.invalid(at, e.getValue().asText(), "must be greater than or equal to 0");
            } else {
                values.put(e.getKey(), value.get());
            }
        });
        return values;
    }

    static void probe(JsonNode probe, String path, boolean successMustBeOne, FieldErrors errors) {
        if (probe == null) {
            return;
        }
        handler(probe, path, HANDLERS, errors);
        for (String field : List.of(
                "initialDelaySeconds",
                "timeoutSeconds",
                "periodSeconds",
                "successThreshold",
                "failureThreshold",
                "terminationGracePeriodSeconds")) {
            nonNegative(probe, field, path, errors);
        }
        if (successMustBeOne
                && has(probe, "successThreshold")
                && probe.get("successThreshold").asLong() != 1) {
            errors.invalid(
                    child(path, "successThreshold"),
                    probe.get("successThreshold").asLong(),
                    "must be 1");
        }
        if (has(probe, "terminationGracePeriodSeconds")
                && probe.get("terminationGracePeriodSeconds").asLong() <= 0) {
            errors.invalid(
                    child(path, "terminationGracePeriodSeconds"),
                    probe.get("terminationGracePeriodSeconds").asLong(),
                    "must be greater than 0");
        }
    }

    private static void handler(JsonNode holder, String path, List<String> kinds, FieldErrors errors) {
        List<String> present = kinds.stream().filter(kind -> has(holder, kind)).toList();
        if (present.isEmpty()) {
            errors.required(path, "must specify a handler type");
            return;
        }
        if (present.size() > 1) {
            errors.forbidden(child(path, present.get(1)), "may not specify more than 1 handler type");
        }
        JsonNode http = object(holder, "httpGet");
        if (http != null) {
            port(http.get("port"), child(child(path, "httpGet"), "port"), errors);
            String scheme = text(http, "scheme");
            if (!scheme.isEmpty() && !List.of("HTTP", "HTTPS").contains(scheme)) {
                errors.notSupported(child(child(path, "httpGet"), "scheme"), scheme, List.of("HTTP", "HTTPS"));
            }
            List<JsonNode> headers = array(http, "httpHeaders");
            for (int i = 0; i < headers.size(); i++) {
                if (!text(headers.get(i), "name").matches("[-A-Za-z0-9]+")) {
                    errors.invalid(
                            child(index(child(child(path, "httpGet"), "httpHeaders"), i), "name"),
                            text(headers.get(i), "name"),
                            "a valid HTTP header must consist of alphanumeric characters or '-'");
                }
            }
        }
        JsonNode tcp = object(holder, "tcpSocket");
        if (tcp != null) {
            port(tcp.get("port"), child(child(path, "tcpSocket"), "port"), errors);
        }
        JsonNode grpc = object(holder, "grpc");
        if (grpc != null && has(grpc, "port")) {
            errors.invalidEach(
                    child(child(path, "grpc"), "port"),
                    grpc.get("port").asLong(),
                    NameFormats.portNumber(grpc.get("port").asLong()));
        }
        JsonNode exec = object(holder, "exec");
        if (exec != null && array(exec, "command").isEmpty()) {
            errors.required(child(child(path, "exec"), "command"), "");
        }
    }

    /** An int-or-string port: a number 1-65535 or an IANA service name. */
    static void port(JsonNode port, String path, FieldErrors errors) {
        if (port == null || port.isNull()) {
            errors.required(path, "");
        } else if (port.isIntegralNumber()) {
            errors.invalidEach(path, port.asLong(), NameFormats.portNumber(port.asLong()));
        } else {
            errors.invalidEach(path, port.asText(), NameFormats.ianaServiceName(port.asText()));
        }
    }

    private static Set<String> volumes(JsonNode spec, String path, FieldErrors errors) {
        Set<String> names = new HashSet<>();
        List<JsonNode> volumes = array(spec, "volumes");
        for (int i = 0; i < volumes.size(); i++) {
            JsonNode volume = volumes.get(i);
            String at = index(path, i);
            String name = text(volume, "name");
            if (name.isEmpty()) {
                errors.required(child(at, "name"), "");
            } else {
                errors.invalidEach(child(at, "name"), name, NameFormats.dns1123Label(name));
                if (!names.add(name)) {
                    errors.duplicate(child(at, "name"), name);
                }
            }
            List<String> sources = VOLUME_SOURCES.stream()
                    .filter(source -> has(volume, source))
                    .toList();
            if (sources.isEmpty()) {
                errors.required(at, "must specify a volume type");
            } else if (sources.size() > 1) {
                errors.forbidden(child(at, sources.get(1)), "may not specify more than 1 volume type");
            }
            for (String source : List.of("configMap", "secret")) {
                JsonNode ref = object(volume, source);
                if (ref == null) {
                    continue;
                }
                String refName = text(ref, source.equals("secret") ? "secretName" : "name");
                String nameField = child(child(at, source), source.equals("secret") ? "secretName" : "name");
                if (refName.isEmpty()) {
                    errors.required(nameField, "");
                } else {
                    errors.invalidEach(nameField, refName, NameFormats.dns1123Subdomain(refName));
                }
                keyToPaths(ref, child(at, source), errors);
                mode(ref, "defaultMode", child(at, source), errors);
            }
            JsonNode emptyDir = object(volume, "emptyDir");
            if (emptyDir != null) {
                String medium = text(emptyDir, "medium");
                if (!medium.isEmpty()
                        && !List.of("Memory", "HugePages").contains(medium)
                        && !medium.startsWith("HugePages-")) {
                    errors.notSupported(
                            child(child(at, "emptyDir"), "medium"), medium, List.of("", "Memory", "HugePages"));
                }
                if (has(emptyDir, "sizeLimit")) {
                    Optional<BigDecimal> size =
                            Quantities.parse(emptyDir.get("sizeLimit").asText());
                    if (size.isEmpty() || size.get().signum() < 0) {
                        errors.invalid(
                                child(child(at, "emptyDir"), "sizeLimit"),
                                emptyDir.get("sizeLimit").asText(),
                                "must be a non-negative quantity");
                    }
                }
            }
            JsonNode projected = object(volume, "projected");
            if (projected != null) {
                projected(projected, child(at, "projected"), errors);
            }
        }
        return names;
    }

    private static void projected(JsonNode projected, String path, FieldErrors errors) {
        mode(projected, "defaultMode", path, errors);
        List<JsonNode> sources = array(projected, "sources");
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < sources.size(); i++) {
            JsonNode source = sources.get(i);
            String at = index(child(path, "sources"), i);
            List<String> kinds =
                    PROJECTED_SOURCES.stream().filter(kind -> has(source, kind)).toList();
            if (kinds.size() != 1) {
                errors.forbidden(at, "may not specify more than 1 volume type per source");
            }
            for (String kind : List.of("configMap", "secret")) {
                JsonNode ref = object(source, kind);
                if (ref != null) {
                    if (text(ref, "name").isEmpty()) {
                        errors.required(child(child(at, kind), "name"), "");
                    }
                    keyToPaths(ref, child(at, kind), errors);
                    for (JsonNode item : array(ref, "items")) {
                        if (!paths.add(text(item, "path"))) {
                            errors.invalid(child(at, kind), text(item, "path"), "conflicting duplicate paths");
                        }
                    }
                }
            }
            JsonNode token = object(source, "serviceAccountToken");
            if (token != null) {
                String tokenAt = child(at, "serviceAccountToken");
                if (has(token, "expirationSeconds")) {
                    long seconds = token.get("expirationSeconds").asLong();
                    if (seconds < 600 || seconds > 4294967296L) {
                        errors.invalid(
                                child(tokenAt, "expirationSeconds"),
                                seconds,
                                seconds < 600
                                        ? "may not specify a duration less than 10 minutes"
                                        : "may not specify a duration larger than 2^32 seconds");
                    }
                }
                if (text(token, "path").isEmpty()) {
                    errors.required(child(tokenAt, "path"), "");
                } else {
                    relativePath(text(token, "path"), child(tokenAt, "path"), errors);
                    if (!paths.add(text(token, "path"))) {
                        errors.invalid(tokenAt, text(token, "path"), "conflicting duplicate paths");
                    }
                }
            }
            JsonNode downward = object(source, "downwardAPI");
            if (downward != null) {
                List<JsonNode> items = array(downward, "items");
                for (int j = 0; j < items.size(); j++) {
                    JsonNode item = items.get(j);
                    String itemAt = index(child(child(at, "downwardAPI"), "items"), j);
                    relativePath(text(item, "path"), child(itemAt, "path"), errors);
                    int refs = (has(item, "fieldRef") ? 1 : 0) + (has(item, "resourceFieldRef") ? 1 : 0);
                    if (refs != 1) {
                        errors.invalid(
                                itemAt,
                                "",
                                "fieldRef and resourceFieldRef can not be specified simultaneously, and one is required");
                    }
                    if (has(item, "fieldRef")) {
                        fieldRef(item.get("fieldRef"), child(itemAt, "fieldRef"), errors);
                    }
                    if (has(item, "resourceFieldRef")
                            && text(item.get("resourceFieldRef"), "containerName")
                                    .isEmpty()) {
                        errors.required(child(child(itemAt, "resourceFieldRef"), "containerName"), "");
                    }
                }
            }
        }
    }

    private static void keyToPaths(JsonNode ref, String path, FieldErrors errors) {
        List<JsonNode> items = array(ref, "items");
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String at = index(child(path, "items"), i);
            if (text(item, "key").isEmpty()) {
                errors.required(child(at, "key"), "");
            }
            if (text(item, "path").isEmpty()) {
                errors.required(child(at, "path"), "");
            } else {
                relativePath(text(item, "path"), child(at, "path"), errors);
            }
            mode(item, "mode", at, errors);
        }
    }

    private static void relativePath(String value, String path, FieldErrors errors) {
        if (value.startsWith("/")) {
            errors.invalid(path, value, "must be a relative path");
        }
        for (String element : value.split("/")) {
            if (element.equals("..")) {
                errors.invalid(path, value, "must not contain '..'");
                break;
            }
        }
        if (value.startsWith("..")) {
            errors.invalid(path, value, "must not start with '..'");
        }
    }

    private static void mode(JsonNode holder, String field, String path, FieldErrors errors) {
        if (has(holder, field)) {
            long mode = holder.get(field).asLong();
            if (mode < 0 || mode > 0777) {
                errors.invalid(child(path, field), mode, "must be a number between 0 and 0777 (octal), both inclusive");
            }
        }
    }

    private static void volumeMounts(JsonNode container, String path, Set<String> volumes, FieldErrors errors) {
        List<JsonNode> mounts = array(container, "volumeMounts");
        Set<String> mountPaths = new HashSet<>();
        for (int i = 0; i < mounts.size(); i++) {
            JsonNode mount = mounts.get(i);
            String at = index(path, i);
            String name = text(mount, "name");
            if (name.isEmpty()) {
                errors.required(child(at, "name"), "");
            } else if (!volumes.contains(name)) {
                errors.add(FieldError.Type.NOT_FOUND, child(at, "name"), "\"" + name + "\"");
            }
            String mountPath = text(mount, "mountPath");
            if (mountPath.isEmpty()) {
                errors.required(child(at, "mountPath"), "");
            } else if (!mountPaths.add(mountPath)) {
                errors.invalid(child(at, "mountPath"), mountPath, "must be unique");
            }
            if (!text(mount, "subPath").isEmpty()) {
                relativePath(text(mount, "subPath"), child(at, "subPath"), errors);
            }
            String propagation = text(mount, "mountPropagation");
            if (!propagation.isEmpty()
                    && !List.of("None", "HostToContainer", "Bidirectional").contains(propagation)) {
                errors.notSupported(
                        child(at, "mountPropagation"),
                        propagation,
                        List.of("None", "HostToContainer", "Bidirectional"));
            }
        }
    }

    /** Pod fields the API server refuses on a Windows pod (validateWindows), its security contexts' and its containers'. */
    static final List<String> LINUX_ONLY_POD_SECURITY = List.of(
            "appArmorProfile",
            "seLinuxOptions",
            "runAsUser",
            "runAsGroup",
            "seccompProfile",
            "fsGroup",
            "fsGroupChangePolicy",
            "sysctls",
            "supplementalGroupsPolicy");

    static final List<String> LINUX_ONLY_CONTAINER_SECURITY = List.of(
            "appArmorProfile",
            "seLinuxOptions",
            "seccompProfile",
            "capabilities",
            "readOnlyRootFilesystem",
            "privileged",
            "allowPrivilegeEscalation",
            "procMount",
            "runAsUser",
            "runAsGroup");

    static final String WINDOWS = "windows";
    static final String LINUX = "linux";

    /**
     * {@code spec.os.name} (linux or windows) and what it forbids, as ValidatePodSpec's
     * validateOS, validateLinux and validateWindows (Kubernetes 1.34): a Windows pod sets none of
     * the Linux-only security fields, "cannot be set for a windows pod"; a Linux pod sets no
     * {@code windowsOptions}, "windows options cannot be set for a linux pod".
     */
    private static void operatingSystem(JsonNode spec, String path, FieldErrors errors) {
        JsonNode os = object(spec, "os");
        if (os == null) {
            return;
        }
        String name = text(os, "name");
        String osPath = child(path, "os");
        if (name.isEmpty()) {
            errors.required(child(osPath, "name"), "");
            return;
        }
        if (!List.of(LINUX, WINDOWS).contains(name)) {
            errors.notSupported(child(osPath, "name"), name, List.of(LINUX, WINDOWS));
            return;
        }
        JsonNode podContext = object(spec, "securityContext");
        String podContextPath = child(path, "securityContext");
        List<String[]> containers = new java.util.ArrayList<>();
        for (String kind : List.of("initContainers", "containers")) {
            List<JsonNode> list = array(spec, kind);
            for (int i = 0; i < list.size(); i++) {
                containers.add(new String[] {kind, Integer.toString(i)});
            }
        }
        if (name.equals(WINDOWS)) {
            for (String field : List.of("hostPID", "hostIPC", "hostUsers", "shareProcessNamespace")) {
                if (has(spec, field) && spec.get(field).asBoolean()) {
                    errors.forbidden(child(path, field), "cannot be set for a windows pod");
                }
            }
            for (String field : LINUX_ONLY_POD_SECURITY) {
                if (podContext != null && present(podContext, field)) {
                    errors.forbidden(child(podContextPath, field), "cannot be set for a windows pod");
                }
            }
            for (String[] at : containers) {
                JsonNode context = object(array(spec, at[0]).get(Integer.parseInt(at[1])), "securityContext");
                String contextPath = child(index(child(path, at[0]), Integer.parseInt(at[1])), "securityContext");
                for (String field : LINUX_ONLY_CONTAINER_SECURITY) {
                    if (context != null && present(context, field)) {
                        errors.forbidden(child(contextPath, field), "cannot be set for a windows pod");
                    }
                }
            }
        } else {
            if (podContext != null && present(podContext, "windowsOptions")) {
                errors.forbidden(
                        child(podContextPath, "windowsOptions"), "windows options cannot be set for a linux pod");
            }
            for (String[] at : containers) {
                JsonNode context = object(array(spec, at[0]).get(Integer.parseInt(at[1])), "securityContext");
                if (context != null && present(context, "windowsOptions")) {
                    errors.forbidden(
                            child(
                                    child(index(child(path, at[0]), Integer.parseInt(at[1])), "securityContext"),
                                    "windowsOptions"),
                            "windows options cannot be set for a linux pod");
                }
            }
        }
    }

    /** Set and not null; an empty list (sysctls) counts as unset, as the API server's len() check. */
    private static boolean present(JsonNode holder, String field) {
        JsonNode value = holder.get(field);
        return value != null && !value.isNull() && !(value.isArray() && value.isEmpty());
    }

    private static void podSecurityContext(JsonNode context, String path, FieldErrors errors) {
        if (context == null) {
            return;
        }
        for (String field : List.of("runAsUser", "runAsGroup", "fsGroup")) {
            idRange(context, field, path, errors);
        }
        List<JsonNode> groups = array(context, "supplementalGroups");
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).asLong() < 0 || groups.get(i).asLong() > 2147483647L) {
                errors.invalid(
                        index(child(path, "supplementalGroups"), i),
                        groups.get(i).asLong(),
                        "must be between 0 and 2147483647, inclusive");
            }
        }
        String fsGroupPolicy = text(context, "fsGroupChangePolicy");
        if (!fsGroupPolicy.isEmpty() && !List.of("OnRootMismatch", "Always").contains(fsGroupPolicy)) {
            errors.notSupported(child(path, "fsGroupChangePolicy"), fsGroupPolicy, List.of("OnRootMismatch", "Always"));
        }
        seccomp(object(context, "seccompProfile"), child(path, "seccompProfile"), errors);
        List<JsonNode> sysctls = array(context, "sysctls");
        for (int i = 0; i < sysctls.size(); i++) {
            if (text(sysctls.get(i), "name").isEmpty()) {
                errors.required(child(index(child(path, "sysctls"), i), "name"), "");
            }
        }
    }

    private static void securityContext(JsonNode context, String path, FieldErrors errors) {
        if (context == null) {
            return;
        }
        for (String field : List.of("runAsUser", "runAsGroup")) {
            idRange(context, field, path, errors);
        }
        seccomp(object(context, "seccompProfile"), child(path, "seccompProfile"), errors);
        boolean privileged =
                has(context, "privileged") && context.get("privileged").asBoolean();
        boolean sysAdmin = array(object(context, "capabilities"), "add").stream()
                .anyMatch(c -> c.asText().equals("SYS_ADMIN") || c.asText().equals("CAP_SYS_ADMIN"));
        if (has(context, "allowPrivilegeEscalation")
                && !context.get("allowPrivilegeEscalation").asBoolean()
                && (privileged || sysAdmin)) {
            errors.invalid(
                    path,
                    "",
                    "cannot set `allowPrivilegeEscalation` to false and `privileged` to true or add CAP_SYS_ADMIN");
        }
        String procMount = text(context, "procMount");
        if (!procMount.isEmpty() && !List.of("Default", "Unmasked").contains(procMount)) {
            errors.notSupported(child(path, "procMount"), procMount, List.of("Default", "Unmasked"));
        }
    }

    private static void seccomp(JsonNode profile, String path, FieldErrors errors) {
        if (profile == null) {
            return;
        }
        String type = text(profile, "type");
        List<String> types = List.of("RuntimeDefault", "Unconfined", "Localhost");
        if (type.isEmpty()) {
            errors.required(child(path, "type"), "");
        } else if (!types.contains(type)) {
            errors.notSupported(child(path, "type"), type, types);
        }
        boolean localhost = type.equals("Localhost");
        if (localhost && text(profile, "localhostProfile").isEmpty()) {
            errors.required(child(path, "localhostProfile"), "must be set when seccomp type is Localhost");
        } else if (!localhost && has(profile, "localhostProfile")) {
            errors.invalid(
                    child(path, "localhostProfile"),
                    text(profile, "localhostProfile"),
                    "can only be set when seccomp type is Localhost");
        }
    }

    private static void idRange(JsonNode holder, String field, String path, FieldErrors errors) {
        if (has(holder, field)) {
            long id = holder.get(field).asLong();
            if (id < 0 || id > 2147483647L) {
                errors.invalid(child(path, field), id, "must be between 0 and 2147483647, inclusive");
            }
        }
    }

    private static void tolerations(JsonNode spec, String path, FieldErrors errors) {
        List<JsonNode> tolerations = array(spec, "tolerations");
        for (int i = 0; i < tolerations.size(); i++) {
            JsonNode toleration = tolerations.get(i);
            String at = index(path, i);
            String key = text(toleration, "key");
            if (!key.isEmpty()) {
                errors.invalidEach(child(at, "key"), key, NameFormats.qualifiedName(key));
            }
            String operator = text(toleration, "operator");
            if (key.isEmpty() && !operator.equals("Exists")) {
                errors.invalid(
                        child(at, "operator"),
                        operator,
                        "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
            }
            if (operator.equals("Exists") && !text(toleration, "value").isEmpty()) {
                errors.invalid(at, text(toleration, "value"), "value must be empty when `operator` is 'Exists'");
            } else if (!operator.isEmpty() && !List.of("Equal", "Exists").contains(operator)) {
                errors.notSupported(child(at, "operator"), operator, List.of("Equal", "Exists"));
            }
            String effect = text(toleration, "effect");
            if (!effect.isEmpty()
                    && !List.of("NoSchedule", "PreferNoSchedule", "NoExecute").contains(effect)) {
                errors.notSupported(
                        child(at, "effect"), effect, List.of("NoSchedule", "PreferNoSchedule", "NoExecute"));
            }
        }
    }

    private static void topologySpread(JsonNode spec, String path, FieldErrors errors) {
        List<JsonNode> constraints = array(spec, "topologySpreadConstraints");
        Set<String> pairs = new HashSet<>();
        for (int i = 0; i < constraints.size(); i++) {
            JsonNode constraint = constraints.get(i);
            String at = index(path, i);
            if (!has(constraint, "maxSkew") || constraint.get("maxSkew").asLong() <= 0) {
                errors.invalid(child(at, "maxSkew"), text(constraint, "maxSkew"), "must be greater than zero");
            }
            String topologyKey = text(constraint, "topologyKey");
            if (topologyKey.isEmpty()) {
                errors.required(child(at, "topologyKey"), "can not be empty");
            } else {
                errors.invalidEach(child(at, "topologyKey"), topologyKey, NameFormats.qualifiedName(topologyKey));
            }
            String when = text(constraint, "whenUnsatisfiable");
            if (!List.of("DoNotSchedule", "ScheduleAnyway").contains(when)) {
                errors.notSupported(child(at, "whenUnsatisfiable"), when, List.of("DoNotSchedule", "ScheduleAnyway"));
            }
            if (!pairs.add(topologyKey + "/" + when)) {
                errors.duplicate(at, topologyKey + ", " + when);
            }
            if (has(constraint, "minDomains")
                    && (!when.equals("DoNotSchedule")
                            || constraint.get("minDomains").asLong() <= 0)) {
                errors.invalid(
                        child(at, "minDomains"),
                        constraint.get("minDomains").asLong(),
                        "must be greater than 0, with whenUnsatisfiable DoNotSchedule");
            }
            ObjectMetaRules.labelSelector(object(constraint, "labelSelector"), child(at, "labelSelector"), errors);
        }
    }

    static void nonNegative(JsonNode holder, String field, String path, FieldErrors errors) {
        if (has(holder, field) && holder.get(field).asLong() < 0) {
            errors.invalid(child(path, field), holder.get(field).asLong(), "must be greater than or equal to 0");
        }
    }

    static List<Map.Entry<String, JsonNode>> fields(JsonNode node, String field) {
        return entries(node, field);
    }
}
