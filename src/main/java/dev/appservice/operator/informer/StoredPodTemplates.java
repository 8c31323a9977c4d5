package dev.appservice.operator.informer;

import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
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
     * The Deployment as the API server holds it: a stored template expanded into a copy of its spec
     * (the cached object is left as it is). Read with this class's own serialization, then compared
     * as objects, so the comparison sees exactly what it sees in an unstored Deployment.
     */
    public static Deployment expanded(Deployment deployment) {
        DeploymentSpec spec = deployment.getSpec();
        Object stored = spec == null ? null : spec.getAdditionalProperties().get(FIELD);
        if (!(stored instanceof byte[] deflated)) {
            return deployment;
        }
        PodTemplateSpec template;
        try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(deflated))) {
            template = SERIALIZATION.unmarshal(in, PodTemplateSpec.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DeploymentSpec full = new DeploymentSpec(
                spec.getMinReadySeconds(),
                spec.getPaused(),
                spec.getProgressDeadlineSeconds(),
                spec.getReplicas(),
                spec.getRevisionHistoryLimit(),
                spec.getSelector(),
                spec.getStrategy(),
                template);
        return new Deployment(
                deployment.getApiVersion(),
                deployment.getKind(),
                deployment.getMetadata(),
                full,
                deployment.getStatus());
    }
}
