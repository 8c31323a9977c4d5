package dev.appservice.operator.testing.apiserver;

import static dev.appservice.operator.testing.apiserver.JsonFields.child;
import static dev.appservice.operator.testing.apiserver.JsonFields.has;
import static dev.appservice.operator.testing.apiserver.JsonFields.object;
import static dev.appservice.operator.testing.apiserver.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** apps/v1 Deployment as pkg/apis/apps/validation (ValidateDeployment) checks it. */
public final class DeploymentRules {
    private DeploymentRules() {}

    public static void validate(JsonNode deployment, JsonNode previous, FieldErrors errors) {
        ObjectMetaRules.validate(deployment.get("metadata"), true, NameFormats::dns1123Subdomain, errors);
        JsonNode spec = object(deployment, "spec");
        String path = "spec";
        PodSpecRules.nonNegative(spec, "replicas", path, errors);
        PodSpecRules.nonNegative(spec, "minReadySeconds", path, errors);
        PodSpecRules.nonNegative(spec, "revisionHistoryLimit", path, errors);
        JsonNode selector = object(spec, "selector");
        JsonNode template = object(spec, "template");
        JsonNode templateLabels = template == null ? null : object(object(template, "metadata"), "labels");
        if (selector == null) {
            errors.required(child(path, "selector"), "");
        } else {
            ObjectMetaRules.labelSelector(selector, child(path, "selector"), errors);
            if (!has(selector, "matchLabels")
                    && JsonFields.array(selector, "matchExpressions").isEmpty()) {
                errors.invalid(child(path, "selector"), "", "empty selector is invalid for deployment");
            }
        }
        if (template == null) {
            errors.required(child(path, "template"), "");
        } else {
            ObjectMetaRules.labels(templateLabels, "spec.template.metadata.labels", errors);
            ObjectMetaRules.annotations(
                    object(template, "metadata") == null
                            ? null
                            : template.get("metadata").get("annotations"),
                    "spec.template.metadata.annotations",
                    errors);
            if (selector != null && !ObjectMetaRules.selects(selector, templateLabels)) {
                errors.invalid(
                        "spec.template.metadata.labels",
                        String.valueOf(templateLabels),
                        "`selector` does not match template `labels`");
            }
            PodSpecRules.validate(object(template, "spec"), "spec.template.spec", errors);
        }
        strategy(object(spec, "strategy"), child(path, "strategy"), errors);
        if (has(spec, "progressDeadlineSeconds")) {
            long deadline = spec.get("progressDeadlineSeconds").asLong();
            if (deadline < 0) {
                errors.invalid(child(path, "progressDeadlineSeconds"), deadline, "must be greater than or equal to 0");
            } else if (deadline
                    <= (has(spec, "minReadySeconds")
                            ? spec.get("minReadySeconds").asLong()
                            : 0)) {
                errors.invalid(
                        child(path, "progressDeadlineSeconds"), deadline, "must be greater than minReadySeconds");
            }
        }
        if (previous != null
                && has(object(previous, "spec"), "selector")
                && selector != null
                && !previous.get("spec").get("selector").equals(selector)) {
            errors.invalid(child(path, "selector"), selector.toString(), "field is immutable");
        }
    }

    private static void strategy(JsonNode strategy, String path, FieldErrors errors) {
        if (strategy == null) {
            return;
        }
        String type = text(strategy, "type");
        JsonNode rolling = object(strategy, "rollingUpdate");
        if (!type.isEmpty() && !List.of("Recreate", "RollingUpdate").contains(type)) {
            errors.notSupported(child(path, "type"), type, List.of("Recreate", "RollingUpdate"));
        }
        if (type.equals("Recreate")) {
            if (rolling != null) {
                errors.forbidden(
                        child(path, "rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'");
            }
            return;
        }
        if (rolling == null) {
            return;
        }
        boolean unavailableZero = intOrPercent(
                rolling.get("maxUnavailable"), child(child(path, "rollingUpdate"), "maxUnavailable"), errors);
        boolean surgeZero =
                intOrPercent(rolling.get("maxSurge"), child(child(path, "rollingUpdate"), "maxSurge"), errors);
        if (unavailableZero && surgeZero) {
            errors.invalid(
                    child(child(path, "rollingUpdate"), "maxUnavailable"), 0, "may not be 0 when `maxSurge` is 0");
        }
        JsonNode unavailable = rolling.get("maxUnavailable");
        if (unavailable != null
                && unavailable.isTextual()
                && NameFormats.isPercent(unavailable.asText())
                && Integer.parseInt(unavailable.asText().replace("%", "")) > 100) {
            errors.invalid(
                    child(child(path, "rollingUpdate"), "maxUnavailable"),
                    unavailable.asText(),
                    "must not be greater than 100%");
        }
    }

    /** An int-or-percent: a non-negative integer or "N%"; true when it is zero. Absent fields default (25%), not zero. */
    private static boolean intOrPercent(JsonNode value, String path, FieldErrors errors) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (value.isIntegralNumber()) {
            if (value.asLong() < 0) {
                errors.invalid(path, value.asLong(), "must be greater than or equal to 0");
            }
            return value.asLong() == 0;
        }
        if (!NameFormats.isPercent(value.asText())) {
            errors.invalid(
                    path,
                    value.asText(),
                    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
            return false;
        }
        return Integer.parseInt(value.asText().replace("%", "")) == 0;
    }
}
