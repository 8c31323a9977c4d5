package dev.appservice.operator.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CRDs' {@code x-kubernetes-validations} rules evaluated with a real CEL engine (cel-java), as
 * the API server evaluates them on create: {@code self} is the value at the rule's place in the
 * object (after defaulting), objects as maps, integers as int, numbers as double. Transition rules
 * (those reading {@code oldSelf}) apply to updates only and are skipped here, as on create.
 * Each rule is compiled once. Of Kubernetes' CEL libraries, {@code isIP(string)} is declared.
 */
final class CelRules {
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            // Kubernetes' IP library, as far as CRDs the operator writes use it (Cilium's egressIP).
            .addFunctionDeclarations(dev.cel.common.CelFunctionDecl.newFunctionDeclaration(
                    "isIP",
                    dev.cel.common.CelOverloadDecl.newGlobalOverload(
                            "is_ip_string", SimpleType.BOOL, SimpleType.STRING)))
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .addFunctionBindings(dev.cel.runtime.CelFunctionBinding.from(
                    "is_ip_string", String.class, text -> IpAddresses.isIpv4(text) || IpAddresses.isIpv6(text)))
            .build();

    private final Map<String, Compiled> programs = new ConcurrentHashMap<>();

    private record Compiled(CelRuntime.Program program, String error) {}

    /** The rule's failure message, if the value breaks it. */
    Optional<String> check(String rule, String message, JsonNode self) {
        if (rule.contains("oldSelf") || self == null || self.isNull()) {
            return Optional.empty();
        }
        Compiled compiled = programs.computeIfAbsent(rule, CelRules::compile);
        if (compiled.error() != null) {
            return Optional.of("rule cannot be compiled: " + compiled.error());
        }
        try {
            Object result = compiled.program().eval(Map.of("self", value(self)));
            return Boolean.TRUE.equals(result)
                    ? Optional.empty()
                    : Optional.of(message == null || message.isEmpty() ? "failed rule: " + rule : message);
        } catch (CelEvaluationException | RuntimeException e) {
            return Optional.of((message == null || message.isEmpty() ? "failed rule: " + rule : message)
                    + " (rule could not be evaluated)");
        }
    }

    private static Compiled compile(String rule) {
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(rule).getAst();
            return new Compiled(RUNTIME.createProgram(ast), null);
        } catch (CelValidationException | CelEvaluationException e) {
            String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Compiled(null, text.lines().findFirst().orElse(text));
        }
    }

    /** A JSON value as CEL sees a Kubernetes object's value. */
    static Object value(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!field.getValue().isNull()) {
                    map.put(field.getKey(), value(field.getValue()));
                }
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(value(item)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asText();
    }
}
