package dev.appservice.operator.validation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppSpec;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one WebApp may hold, so that what the operator keeps of it is bounded (API.md,
 * "Isolation": the largest objects the API accepts, in any number a namespace's quota allows, cost
 * the operator bounded memory). Every replica caches every WebApp (each answers the webhook), so
 * the bound is per object, counted across the app and its slots together, and checked before any
 * other rule (the expensive ones, such as the front-end configuration's share, come after):
 *
 * <ul>
 *   <li>at most {@link #MAX_ACCESS_RULES} access rules in the app's list and its slots' own lists
 *       together (a slot without a list of its own holds none in the object);
 *   <li>at most {@link #MAX_ENV_ENTRIES} environment variables in the app's and its slots' lists
 *       together;
 *   <li>at most {@link #MAX_METADATA_ENTRIES} labels, annotations, finalizers and owner references
 *       together;
 *   <li>at most {@link #MAX_OBJECT_BYTES} of JSON for the spec and what a tenant writes of the
 *       metadata (the server's own fields and the status are not the tenant's).
 * </ul>
 *
 * The counts bound the small entries (a Java object per entry weighs several times its JSON), the
 * bytes bound the long strings. Together they keep the retained heap of the largest admissible
 * WebApp under {@link #RETAINED_BYTES}, which {@code MaximalWebAppCostTest} measures.
 */
public final class WebAppBudget {
    /**
     * Access rules in one WebApp, the app's and its slots' own lists together: one App Service
     * list's worth ({@link WebAppSpec#MAX_ACCESS_RULES}), however it is shared among the slots.
     */
    public static final int MAX_ACCESS_RULES = WebAppSpec.MAX_ACCESS_RULES;

    /**
     * Environment variables in one WebApp, the app's and its slots' lists together: half of one
     * list's maxItems ({@link WebAppSpec#MAX_ENV}), as a variable is the heaviest entry (a
     * {@code resourceFieldRef} with a divisor is four Java objects, three with a map of unknown
     * fields: 500 bytes of heap for 85 of JSON).
     */
    public static final int MAX_ENV_ENTRIES = WebAppSpec.MAX_ENV / 2;

    /** Labels, annotations, finalizers and owner references of one WebApp together. */
    public static final int MAX_METADATA_ENTRIES = 32;

    /**
     * The spec and what a tenant writes of the metadata (name, namespace, labels, annotations,
     * finalizers, owner references; not the server's uid, versions, timestamps or
     * {@code managedFields}) as JSON, in bytes: 48 KiB. 512
     * access rules of a typical length (75 bytes) take 38 KB of it; the longest possible (an
     * 80-character name and a 49-character IPv6 CIDR, 170 bytes) fit about 280 to a WebApp.
     * Client-side {@code kubectl apply} keeps a copy of the object in its
     * last-applied-configuration annotation, which counts: large apps are applied server-side
     * ({@code --server-side}). A string with one character beyond Latin-1 is held by Java in two
     * bytes a character, so these bytes alone may cost twice as much heap.
     */
    public static final int MAX_OBJECT_BYTES = 48 * 1024;

    /**
     * The retained heap of the largest WebApp the rules admit, as the operator deserialises it: at
     * most 192 KiB. The chart's operator has a heap of 422 MiB (55% of its 768 MiB limit); a
     * namespace quota of 500 WebApps (the chart's {@code tenantQuota}) then costs at most 500 x
     * 192 KiB = 93.75 MiB, a quarter of it, beside the 3,100-resource set of BENCHMARKS.md. The
     * largest shape measured (every count at its limit with the shortest entries, the bytes filled)
     * holds 155 KiB (README, "What one WebApp may hold"); the rest is room for shapes not yet
     * thought of. Measured by {@code MaximalWebAppCostTest} with JOL: a size, not a timing.
     */
    public static final long RETAINED_BYTES = 192 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // Fabric8's serializers (Quantity, IntOrString, unknown fields) on a mapper this class holds.
        new KubernetesSerialization(JSON, false);
    }

    private WebAppBudget() {}

    /** Errors when the app holds more than one WebApp may; none when it fits. */
    static List<Violation> check(String object, WebApp app) {
        WebAppSpec spec = app.getSpec();
        List<Violation> problems = new java.util.ArrayList<>();
        int rules = spec.effectiveAccessRestrictions().size();
        int slotRules = 0;
        int env = spec.getEnv() == null ? 0 : spec.getEnv().size();
        int slotEnv = 0;
        for (DeploymentSlot slot : spec.effectiveSlots()) {
            if (slot != null && slot.getAccessRestrictions() != null) {
                slotRules += slot.getAccessRestrictions().size();
            }
            if (slot != null && slot.getEnv() != null) {
                slotEnv += slot.getEnv().size();
            }
        }
        if (rules + slotRules > MAX_ACCESS_RULES) {
            problems.add(Violation.error(
                    object,
                    slotRules >= rules ? "spec.slots[*].accessRestrictions" : "spec.accessRestrictions",
                    "hold " + (rules + slotRules) + " access rules (the app's list " + rules + ", the slots' own lists "
                            + slotRules + "), more than one WebApp may hold: at most " + MAX_ACCESS_RULES
                            + " across the app and its slots, so that every replica of the operator can hold every"
                            + " app a namespace's quota allows; a slot without a list of its own uses the app's"));
        }
        if (env + slotEnv > MAX_ENV_ENTRIES) {
            problems.add(Violation.error(
                    object,
                    slotEnv >= env ? "spec.slots[*].env" : "spec.env",
                    "hold " + (env + slotEnv) + " environment variables (the app's " + env + ", the slots' " + slotEnv
                            + "), more than one WebApp may hold: at most " + MAX_ENV_ENTRIES
                            + " across the app and its slots; a slot gets the app's variables without repeating them"));
        }
        ObjectMeta metadata = app.getMetadata();
        int entries = metadata == null
                ? 0
                : size(metadata.getLabels())
                        + size(metadata.getAnnotations())
                        + size(metadata.getFinalizers())
                        + size(metadata.getOwnerReferences());
        if (entries > MAX_METADATA_ENTRIES) {
            problems.add(Violation.error(
                    object,
                    "metadata",
                    "has " + entries + " labels, annotations, finalizers and owner references, more than one WebApp"
                            + " may hold: at most " + MAX_METADATA_ENTRIES + " together"));
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        Map<String, Long> parts = parts(app);
        long bytes = parts.values().stream().mapToLong(Long::longValue).sum();
        if (bytes > MAX_OBJECT_BYTES) {
            Map.Entry<String, Long> largest =
                    parts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
            problems.add(Violation.error(
                    object,
                    largest.getKey(),
                    "makes the WebApp " + bytes
                            + " bytes as JSON (spec, name, labels, annotations, finalizers and owner references; "
                            + largest.getKey() + " alone " + largest.getValue()
                            + "), more than one WebApp may hold: at most "
                            + MAX_OBJECT_BYTES + " bytes"
                            + (largest.getKey().equals("metadata.annotations")
                                    ? " (client-side kubectl apply keeps a copy of the object in an annotation:"
                                            + " apply large apps with --server-side)"
                                    : "")));
        }
        return problems;
    }

    /**
     * The spec and what a tenant writes of the metadata (name, namespace, labels, annotations,
     * finalizers, owner references) as JSON, in bytes: what {@link #MAX_OBJECT_BYTES} bounds.
     */
    public static long objectBytes(WebApp app) {
        return parts(app).values().stream().mapToLong(Long::longValue).sum();
    }

    /** The bytes of each part of the object a tenant writes, largest lists apart so a refusal can name them. */
    private static Map<String, Long> parts(WebApp app) {
        Map<String, Long> parts = new LinkedHashMap<>();
        WebAppSpec spec = app.getSpec();
        long whole = bytes(spec) + defaultedBytes(spec);
        long accessRules = bytes(spec.getAccessRestrictions());
        long env = bytes(spec.getEnv());
        long slots = bytes(spec.getSlots());
        long hostNames = bytes(spec.getHostNames());
        parts.put("spec.accessRestrictions", accessRules);
        parts.put("spec.env", env);
        parts.put("spec.slots", slots);
        parts.put("spec.hostNames", hostNames);
        parts.put("spec", whole - accessRules - env - slots - hostNames);
        ObjectMeta metadata = app.getMetadata();
        if (metadata != null) {
            // What the tenant writes; the server's own fields (uid, resourceVersion, generation, timestamps,
            // managedFields) are left out, so that validate and the webhook count the same object alike.
            parts.put("metadata.labels", bytes(metadata.getLabels()));
            parts.put("metadata.annotations", bytes(metadata.getAnnotations()));
            parts.put(
                    "metadata",
                    bytes(metadata.getName())
                            + bytes(metadata.getGenerateName())
                            + bytes(metadata.getNamespace())
                            + bytes(metadata.getFinalizers())
                            + bytes(metadata.getOwnerReferences()));
        }
        return parts;
    }

    /**
     * The bytes the API server adds to a spec that leaves out a field its CRD defaults ({@code kind},
     * {@code port}, {@code startTimeLimit}): the webhook counts the object as stored, so {@code validate}
     * counts those too, and the two agree on an object near the limit.
     */
    private static long defaultedBytes(WebAppSpec spec) {
        long added = 0;
        if (spec.getKind() == null) {
            added += fieldBytes("kind", WebAppSpec.KIND_APP);
        }
        if (spec.getPort() == null) {
            added += fieldBytes("port", WebAppSpec.DEFAULT_PORT);
        }
        if (spec.getStartTimeLimit() == null) {
            added += fieldBytes("startTimeLimit", WebAppSpec.DEFAULT_START_TIME_LIMIT);
        }
        return added;
    }

    /** {@code ,"name":value} in JSON. */
    private static long fieldBytes(String name, Object value) {
        return bytes(name) + 1 + bytes(value) + 1;
    }

    private static int size(java.util.Collection<?> values) {
        return values == null ? 0 : values.size();
    }

    private static int size(Map<?, ?> values) {
        return values == null ? 0 : values.size();
    }

    /** The value as JSON, counted as it is written, never held. */
    private static long bytes(Object value) {
        if (value == null) {
            return 0;
        }
        ByteCount count = new ByteCount();
        try {
            JSON.writeValue(count, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count.bytes;
    }

    private static final class ByteCount extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
