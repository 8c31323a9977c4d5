package dev.appservice.operator.informer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * The pod templates of the apps' cached Deployments, kept as deflated JSON instead of objects. No
 * reader of the caches looks into an app's pod template but the comparison with its desired state
 * ({@code DesiredStateMatch}), which expands it again; as objects it was most of the operator's
 * heap (about 20 KiB an app Deployment: containers, probes, environment, volumes, security
 * contexts), deflated it is about 1 KiB. The rest of the Deployment (metadata, replicas, selector,
 * status) stays as it came.
 *
 * <p>The template is held in the spec's additional properties under {@link #FIELD}, a name no
 * Deployment field has; a cached Deployment is never written back (children are written from their
 * desired state), so the field never reaches the API server.
 */
public final class StoredPodTemplates {
    /** Where the deflated template is kept, in the cached Deployment's spec. */
    public static final String FIELD = "appservice.dev/stored-template";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private StoredPodTemplates() {}

    /** An app's Deployment (its own or a slot's) with its template stored; other Deployments as they are. */
    static Deployment stored(Deployment deployment) {
        DeploymentSpec spec = deployment.getSpec();
        Map<String, String> labels = deployment.getMetadata().getLabels();
        if (spec == null
                || spec.getTemplate() == null
                || labels == null
                || !labels.containsKey(StandardLabels.WEBAPP)) {
            return deployment;
        }
        byte[] json = SERIALIZATION.asJson(spec.getTemplate()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteArrayOutputStream deflated = new ByteArrayOutputStream(json.length / 4);
        try (DeflaterOutputStream out = new DeflaterOutputStream(deflated)) {
            out.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        spec.setTemplate(null);
        spec.setAdditionalProperty(FIELD, deflated.toByteArray());
        return deployment;
    }

    /**
     * The object as the API server holds it: a stored template, if the tree has one, expanded into
     * {@code spec.template}.
     */
    public static JsonNode expanded(JsonNode object) {
        JsonNode spec = object.path("spec");
        JsonNode stored = spec.get(FIELD);
        if (stored == null || !(spec instanceof ObjectNode specNode)) {
            return object;
        }
        try (InflaterInputStream in = new InflaterInputStream(new java.io.ByteArrayInputStream(stored.binaryValue()))) {
            specNode.set("template", SERIALIZATION.unmarshal(in, JsonNode.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        specNode.remove(FIELD);
        return object;
    }
}
