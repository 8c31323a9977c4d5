package dev.appservice.operator.desired;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.AppDeployments;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A function app's keys: one Secret the app owns, {@code <app>-function-keys}, with one entry per
 * deployment ({@code production.host.json}, and {@code <slot>.host.json} for each slot: App
 * Service's slots have host keys of their own), each the Functions host's {@code host.json} of
 * its file system secrets repository: a master key and the host-level function key
 * {@code default}, random ({@link SecureRandom}, {@link #KEY_BYTES} bytes, URL-safe base64).
 *
 * <p>The desired state is the Secret's existence, owner and labels ({@link #secret}): its data is
 * generated in the cluster, once, and read back from the existing object ever after
 * ({@link #data}), so reconciles and operator restarts never change a key; {@code render} prints
 * it without data. The keys are never logged nor written to a status or an event.
 */
public final class FunctionKeys {
    /** Marks a keys Secret: the operator's informer of them selects on it. */
    public static final String LABEL = "appservice.dev/function-keys";

    public static final String SELECTOR = StandardLabels.MANAGED_SELECTOR + "," + LABEL;
    /** Says where the data is, on the Secret itself (and in what {@code render} prints). */
    public static final String DATA_ANNOTATION = "appservice.dev/data";

    public static final String DATA_NOTE =
            "generated in the cluster by ase-operator, once per deployment (master and default host keys); never printed";
    /** 256 bits per key. */
    public static final int KEY_BYTES = 32;

    public static final String MASTER_KEY_NAME = "master";
    public static final String DEFAULT_FUNCTION_KEY_NAME = "default";

    private static final String ENTRY_SUFFIX = ".host.json";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    private FunctionKeys() {}

    public static String secretName(String app) {
        return ResourceNames.child(app, "function-keys");
    }

    /** The entry of one deployment ({@link AppDeployments#PRODUCTION} or a slot's name). */
    public static String entry(String deployment) {
        return deployment + ENTRY_SUFFIX;
    }

    /** The app's deployments that have keys: production and each slot. */
    public static List<String> deployments(WebApp app) {
        List<String> deployments = new ArrayList<>();
        deployments.add(AppDeployments.PRODUCTION);
        for (DeploymentSlot slot : app.getSpec().effectiveSlots()) {
            deployments.add(slot.getName());
        }
        return deployments;
    }

    /** The Secret as it must exist: named, labelled, without data (see the class comment). */
    public static Secret secret(WebApp app, Map<String, String> appLabels) {
        Map<String, String> labels = new LinkedHashMap<>(appLabels);
        labels.put(LABEL, "true");
        Map<String, String> annotations = new TreeMap<>();
        annotations.put(DATA_ANNOTATION, DATA_NOTE);
        return new SecretBuilder()
                .withNewMetadata()
                .withName(secretName(app.getMetadata().getName()))
                .withNamespace(app.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .endMetadata()
                .withType("Opaque")
                .build();
    }

    /**
     * The Secret's data: each deployment's entry as it {@code existing}ly is, else new keys; the
     * entries of slots that are gone are left out.
     */
    public static Map<String, String> data(WebApp app, Map<String, String> existing) {
        Map<String, String> data = new TreeMap<>();
        for (String deployment : deployments(app)) {
            String entry = entry(deployment);
            String kept = existing == null ? null : existing.get(entry);
            data.put(entry, kept != null ? kept : encoded(hostSecrets(newKey(), newKey())));
        }
        return data;
    }

    /**
     * The Functions host's {@code host.json} of its file system secrets repository, unencrypted:
     * {@code {"masterKey": {"name": "master", "value": ..., "encrypted": false}, "functionKeys":
     * [{"name": "default", "value": ..., "encrypted": false}]}}.
     */
    public static String hostSecrets(String masterKey, String functionKey) {
        ObjectNode host = JSON.createObjectNode();
        host.set("masterKey", key(MASTER_KEY_NAME, masterKey));
        ArrayNode functionKeys = host.putArray("functionKeys");
        functionKeys.add(key(DEFAULT_FUNCTION_KEY_NAME, functionKey));
        host.putArray("systemKeys");
        return host.toString();
    }

    static String newKey() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static ObjectNode key(String name, String value) {
        ObjectNode key = JSON.createObjectNode();
        key.put("name", name);
        key.put("value", value);
        key.put("encrypted", false);
        return key;
    }

    private static String encoded(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
