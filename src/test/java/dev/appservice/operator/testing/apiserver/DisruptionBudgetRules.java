package dev.appservice.operator.testing.apiserver;

import static dev.appservice.operator.testing.apiserver.JsonFields.object;
import static dev.appservice.operator.testing.apiserver.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** policy/v1 PodDisruptionBudget as pkg/apis/policy/validation (ValidatePodDisruptionBudget) checks it. */
public final class DisruptionBudgetRules {
    static final List<String> EVICTION_POLICIES = List.of("IfHealthyBudget", "AlwaysAllow");

    private DisruptionBudgetRules() {}

    public static void validate(JsonNode budget, FieldErrors errors) {
        ObjectMetaRules.validate(budget.get("metadata"), true, NameFormats::dns1123Subdomain, errors);
        JsonNode spec = object(budget, "spec");
        boolean minAvailable =
                spec.has("minAvailable") && !spec.get("minAvailable").isNull();
        boolean maxUnavailable =
                spec.has("maxUnavailable") && !spec.get("maxUnavailable").isNull();
        if (minAvailable && maxUnavailable) {
            errors.invalid("spec", "", "minAvailable and maxUnavailable cannot be both set");
        }
        for (String field : List.of("minAvailable", "maxUnavailable")) {
            JsonNode value = spec.get(field);
            if (value == null || value.isNull()) {
                continue;
            }
            if (value.isIntegralNumber() && value.asLong() < 0) {
                errors.invalid("spec." + field, value.asLong(), "must be greater than or equal to 0");
            } else if (value.isTextual() && !value.asText().matches("^[0-9]+%$")) {
                errors.invalid("spec." + field, value.asText(), "must be an integer or a percentage");
            }
        }
        ObjectMetaRules.labelSelector(object(spec, "selector"), "spec.selector", errors);
        String policy = text(spec, "unhealthyPodEvictionPolicy");
        if (!policy.isEmpty() && !EVICTION_POLICIES.contains(policy)) {
            errors.notSupported("spec.unhealthyPodEvictionPolicy", policy, EVICTION_POLICIES);
        }
    }
}
