package dev.appservice.operator.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appservice.operator.schema.CustomResourceSchemaValidation;
import dev.appservice.operator.validation.MetadataRules;
import dev.appservice.operator.validation.SpecValidation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;

/**
 * What the API server checks of a custom resource before any webhook sees it (and on every write
 * it stores), and what {@code validate} and {@code render} check before they bind one
 * ({@code cli/Manifests}): the metadata rules, then the CRD's defaults, structural schema and CEL
 * rules. The admission rules ({@code SpecValidation}, {@code AdmissionRules}) only check what the
 * schema cannot say, so a test that hands an object straight to them, or to the webhook, asks this
 * first: an object refused here never reaches them.
 */
public final class BeforeAdmission {
    private static final CustomResourceSchemaValidation SCHEMAS = CustomResourceSchemaValidation.fromClasspath();
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private BeforeAdmission() {}

    /**
     * The refusals, one line each as {@code validate} words them ({@code spec.port: Invalid value:
     * ...}, after the object's name); empty when the object gets as far as admission.
     */
    public static List<String> refusals(HasMetadata object) {
        ObjectNode json = JSON.convertValue(object, ObjectNode.class);
        List<String> refused = new ArrayList<>();
        MetadataRules.check(SpecValidation.describe(object), json.get("metadata"))
                .forEach(v -> refused.add(v.describe()));
        SCHEMAS.applyDefaults(json, object.getApiVersion(), object.getKind());
        SCHEMAS.validate(json, object.getApiVersion(), object.getKind())
                .forEach(p -> refused.add(SpecValidation.describe(object) + ": " + p.message()));
        return refused;
    }

    /** True when the API server (or {@code validate}) lets the object through to admission. */
    public static boolean passes(HasMetadata object) {
        return refusals(object).isEmpty();
    }
}
