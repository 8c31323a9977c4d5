package dev.appservice.operator.testing.apiserver;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ConfigMaps and Secrets: each rule with a valid and an invalid example. */
class ConfigDataRulesTest {
    static final String CONFIG_MAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: ase1-frontend-config, namespace: team-a}
            data: {nginx.conf: "events {}", shard-0.conf: "server {}"}
            binaryData: {logo.png: aGVsbG8=}
            """;
    static final String SECRET = """
            apiVersion: v1
            kind: Secret
            metadata: {name: webhook-tls, namespace: team-a}
            type: kubernetes.io/tls
            data: {tls.crt: aGVsbG8=, tls.key: aGVsbG8=}
            """;

    static Stream<Arguments> configMapCases() {
        return RuleCase.arguments(
                RuleCase.valid("the base object", "/data/nginx.conf", "'events {}'"),
                RuleCase.refused("a key with a slash", "/data/conf.d~1a.conf", "x", "data[conf.d/a.conf]"),
                RuleCase.refused("the key '..'", "/data/..", "x", "data[..]"),
                RuleCase.refused("a key starting with '..'", "/data/..data", "x", "data[..data]"),
                RuleCase.refused("a key in data and binaryData", "/data/logo.png", "x", "data[logo.png]"),
                RuleCase.refused("over 1 MiB in all", "/data/big", "'" + "x".repeat(1024 * 1024) + "'", ""),
                RuleCase.valid("just under 1 MiB in all", "/data/big", "'" + "x".repeat(1024 * 1024 - 100) + "'"),
                RuleCase.refused("a name that is no DNS subdomain", "/metadata/name", "Front_Config", "metadata.name"),
                RuleCase.refused("no namespace", "/metadata/namespace", null, "metadata.namespace"),
                RuleCase.refused("a value that is no string", "/data/nginx.conf", "{a: b}", "data[nginx.conf]"));
    }

    static Stream<Arguments> secretCases() {
        return RuleCase.arguments(
                RuleCase.valid("the base object", "/type", "kubernetes.io/tls"),
                RuleCase.refused("a TLS Secret without its key", "/data/tls.key", null, "data[tls.key]"),
                RuleCase.valid("an Opaque Secret without it", "/type", "Opaque"),
                RuleCase.refused("a key with a space", "/data/tls key", "aGVsbG8=", "data[tls key]"),
                RuleCase.refused("data that is no base64", "/data/tls.crt", "'not base64!'", "data[tls.crt]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configMapCases")
    void configMaps(String name, RuleCase example) {
        example.check(CONFIG_MAP);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secretCases")
    void secrets(String name, RuleCase example) {
        example.check(SECRET);
    }
}
