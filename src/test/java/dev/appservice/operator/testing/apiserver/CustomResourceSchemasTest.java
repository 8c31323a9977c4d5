package dev.appservice.operator.testing.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The project's custom resources against their CRDs' schemas: each rule with a valid and an invalid example. */
class CustomResourceSchemasTest {
    static final String WEB_APP = """
            apiVersion: appservice.dev/v1alpha1
            kind: WebApp
            metadata: {name: shop, namespace: team-a}
            spec:
              planName: web
              image: registry.example/shop:1.0
              port: 8080
              env: [{name: FOO, value: bar}]
              hostNames: [www.contoso.com]
            status:
              observedGeneration: 1
              instances: 2
              urls: [http://shop.ase1.p.appservice.local/]
              conditions: [{type: Ready, status: "True", reason: Serving, message: serving, lastTransitionTime: "2026-01-01T00:00:00Z"}]
            """;

    static Stream<Arguments> cases() {
        return RuleCase.arguments(
                RuleCase.valid("the base object", "/spec/port", "8080"),
                RuleCase.refused("a port over the schema's maximum", "/spec/port", "70000", "spec.port"),
                RuleCase.refused("a port of the wrong type", "/spec/port", "'8080'", "spec.port"),
                RuleCase.refused("a required field missing", "/spec/image", null, "spec.image"),
                RuleCase.refused(
                        "an image over its maxLength", "/spec/image", "'" + "a".repeat(513) + "'", "spec.image"),
                RuleCase.refused("a planName not matching its pattern", "/spec/planName", "Web", "spec.planName"),
                RuleCase.refused("a field the schema does not declare", "/spec/replicas", "2", "spec.replicas"),
                RuleCase.refused(
                        "a status field the schema does not declare", "/status/phase", "Running", "status.phase"),
                RuleCase.refused("a status count of the wrong type", "/status/instances", "'2'", "status.instances"),
                RuleCase.refused("status urls that are no list", "/status/urls", "http://a/", "status.urls"),
                RuleCase.refused(
                        "a condition that is no object", "/status/conditions/0", "Ready", "status.conditions[0]"),
                RuleCase.refused("a name that is no DNS subdomain", "/metadata/name", "Shop", "metadata.name"),
                RuleCase.valid("a function app", "/spec/functions", "{runtime: node, storage: {name: st, key: conn}}"),
                RuleCase.refused(
                        "an unknown functions runtime",
                        "/spec/functions",
                        "{runtime: cobol, storage: {name: st, key: conn}}",
                        "spec.functions.runtime"),
                RuleCase.refused(
                        "functions without storage", "/spec/functions", "{runtime: node}", "spec.functions.storage"),
                RuleCase.refused(
                        "a storage reference without its key",
                        "/spec/functions",
                        "{runtime: node, storage: {name: st}}",
                        "spec.functions.storage.key"),
                RuleCase.valid("the functionapp kind", "/spec/kind", "functionapp"),
                RuleCase.refused("an unknown kind", "/spec/kind", "logicapp", "spec.kind"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theApiServerAgrees(String name, RuleCase example) {
        var object = example.applyTo(WEB_APP);
        FieldErrors found = new FieldErrors();
        ObjectMetaRules.validate(object.get("metadata"), true, NameFormats::dns1123Subdomain, found);
        CustomResourceSchemas.fromProject().validate(object, "appservice.dev/v1alpha1", "WebApp", found);
        var errors = found.list();
        if (example.refusedField() == null) {
            assertThat(errors).isEmpty();
        } else {
            assertThat(RuleCase.refusedFields(errors)).contains(example.refusedField());
        }
    }

    @Test
    void theLayerChecksWhatTheOperatorWritesNotTheSpecATestStores() {
        var validation = new KubernetesApiValidation(CustomResourceSchemas.fromProject());
        var invalidSpec =
                RuleCase.refused("port", "/spec/port", "70000", "spec.port").applyTo(WEB_APP);
        var invalidStatus = RuleCase.refused("instances", "/status/instances", "'2'", "status.instances")
                .applyTo(WEB_APP);
        assertThat(validation.validate(invalidSpec, null)).isEmpty();
        assertThat(RuleCase.refusedFields(validation.validate(invalidStatus, null)))
                .containsExactly("status.instances");
    }
}
