package dev.appservice.operator.testing.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;

/**
 * What a Kubernetes 1.34 API server checks of an object written to it: the structure and types of
 * its OpenAPI schema (built-in kinds through {@link ModelStructure}, custom resources through
 * their CRD's schema, all but the spec: see {@link CustomResourceSchemas#validateExceptSpec}), then
 * the server's own field rules for the kind. Kinds it has no rules for pass unchecked.
 */
public final class KubernetesApiValidation {
    private static final Map<String, Class<?>> MODELS = Map.of(
            "apps/v1/Deployment", Deployment.class,
            "v1/Service", Service.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Event", Event.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "coordination.k8s.io/v1/Lease", Lease.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);

    private final CustomResourceSchemas customResources;

    public KubernetesApiValidation(CustomResourceSchemas customResources) {
        this.customResources = customResources;
    }

    /** Whether writes of this kind are checked. */
    public boolean checks(String apiVersion, String kind) {
        return MODELS.containsKey(apiVersion + "/" + kind) || customResources.knows(apiVersion, kind);
    }

    /**
     * The errors the API server would answer a write of {@code object} with; {@code previous} is
     * the stored object an update replaces (null on create), for the immutable fields.
     */
    public List<FieldError> validate(JsonNode object, JsonNode previous) {
        String apiVersion = JsonFields.text(object, "apiVersion");
        String kind = JsonFields.text(object, "kind");
        FieldErrors errors = new FieldErrors();
        Class<?> model = MODELS.get(apiVersion + "/" + kind);
        if (model != null) {
            ModelStructure.validate(object, model, errors);
            if (!errors.isEmpty()) {
                return errors.list();
            }
        }
        switch (apiVersion + "/" + kind) {
            case "apps/v1/Deployment" -> DeploymentRules.validate(object, previous, errors);
            case "v1/Service" -> ServiceRules.validate(object, previous, errors);
            case "v1/ConfigMap" -> ConfigDataRules.validateConfigMap(object, previous, errors);
            case "v1/Secret" -> ConfigDataRules.validateSecret(object, previous, errors);
            case "v1/Event" -> CoordinationRules.validateEvent(object, errors);
            case "networking.k8s.io/v1/NetworkPolicy" -> NetworkPolicyRules.validate(object, errors);
            case "coordination.k8s.io/v1/Lease" -> CoordinationRules.validateLease(object, errors);
            case "policy/v1/PodDisruptionBudget" -> DisruptionBudgetRules.validate(object, errors);
            default -> {
                if (customResources.knows(apiVersion, kind)) {
                    ObjectMetaRules.validate(
                            object.get("metadata"),
                            customResources.namespaced(apiVersion, kind),
                            NameFormats::dns1123Subdomain,
                            errors);
                    if (customResources.writtenWhole(apiVersion, kind)) {
                        customResources.validate(object, apiVersion, kind, errors);
                    } else {
                        customResources.validateExceptSpec(object, apiVersion, kind, errors);
                    }
                }
            }
        }
        return errors.list();
    }

    /** The 422 Status the API server answers with: reason Invalid, one cause per field. */
    public static Status invalid(String apiVersion, String kind, String name, List<FieldError> errors) {
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        List<StatusCause> causes = errors.stream()
                .map(e -> new StatusCause(
                        e.field(), e.type().summary + (e.detail().isEmpty() ? "" : ": " + e.detail()), e.type().reason))
                .toList();
        String summary = errors.size() == 1
                ? errors.get(0).message()
                : "["
                        + String.join(
                                ", ", errors.stream().map(FieldError::message).toList()) + "]";
        return new StatusBuilder()
                .withStatus("Failure")
                .withCode(422)
                .withReason("Invalid")
                .withMessage(kind + " \"" + name + "\" is invalid: " + summary)
                .withNewDetails()
                .withGroup(group)
                .withKind(kind)
                .withName(name)
                .withCauses(causes)
                .endDetails()
                .build();
    }
}
