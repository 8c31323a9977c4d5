package dev.appservice.operator.testing.apiserver;

import static dev.appservice.operator.testing.apiserver.JsonFields.array;
import static dev.appservice.operator.testing.apiserver.JsonFields.child;
import static dev.appservice.operator.testing.apiserver.JsonFields.has;
import static dev.appservice.operator.testing.apiserver.JsonFields.index;
import static dev.appservice.operator.testing.apiserver.JsonFields.object;
import static dev.appservice.operator.testing.apiserver.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** core/v1 Service as pkg/apis/core/validation (ValidateService) checks it. */
public final class ServiceRules {
    static final List<String> TYPES = List.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName");

    private ServiceRules() {}

    public static void validate(JsonNode service, JsonNode previous, FieldErrors errors) {
        ObjectMetaRules.validate(service.get("metadata"), true, NameFormats::dns1035Label, errors);
        JsonNode spec = object(service, "spec");
        String path = "spec";
        String type = text(spec, "type").isEmpty() ? "ClusterIP" : text(spec, "type");
        if (!TYPES.contains(type)) {
            errors.notSupported(child(path, "type"), type, TYPES);
        }
        String clusterIP = text(spec, "clusterIP");
        boolean headless = clusterIP.equals("None");
        List<JsonNode> ports = array(spec, "ports");
        if (type.equals("ExternalName")) {
            String externalName = text(spec, "externalName");
            if (externalName.isEmpty()) {
                errors.required(child(path, "externalName"), "");
            } else {
                errors.invalidEach(
                        child(path, "externalName"),
                        externalName,
                        NameFormats.dns1123Subdomain(
                                externalName.endsWith(".")
                                        ? externalName.substring(0, externalName.length() - 1)
                                        : externalName));
            }
            if (!clusterIP.isEmpty()) {
                errors.forbidden(child(path, "clusterIP"), "may not be set for ExternalName services");
            }
        } else if (ports.isEmpty() && !headless) {
            errors.required(child(path, "ports"), "");
        }
        if (!clusterIP.isEmpty() && !headless) {
            errors.invalidEach(child(path, "clusterIP"), clusterIP, NameFormats.ipAddress(clusterIP));
        }
        if (headless && (type.equals("NodePort") || type.equals("LoadBalancer"))) {
            errors.invalid(child(path, "clusterIPs"), "None", "may not be set to 'None' for " + type + " services");
        }
        Set<String> names = new HashSet<>();
        Set<String> portProtocols = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            String at = index(child(path, "ports"), i);
            String name = text(port, "name");
            if (ports.size() > 1 && name.isEmpty()) {
                errors.required(child(at, "name"), "");
            } else if (!name.isEmpty()) {
                errors.invalidEach(child(at, "name"), name, NameFormats.dns1123Label(name));
                if (!names.add(name)) {
                    errors.duplicate(child(at, "name"), name);
                }
            }
            long number = has(port, "port") ? port.get("port").asLong() : 0;
            errors.invalidEach(child(at, "port"), number, NameFormats.portNumber(number));
            String protocol = text(port, "protocol").isEmpty() ? "TCP" : text(port, "protocol");
            if (!PodSpecRules.PROTOCOLS.contains(protocol)) {
                errors.notSupported(child(at, "protocol"), protocol, PodSpecRules.PROTOCOLS);
            }
            if (!portProtocols.add(number + "/" + protocol)) {
                errors.duplicate(at, number + "/" + protocol);
            }
            if (has(port, "targetPort")) {
                JsonNode target = port.get("targetPort");
                if (target.isIntegralNumber() && target.asLong() == 0
                        || target.isTextual() && target.asText().isEmpty()) {
                    errors.required(child(at, "targetPort"), "");
                } else {
                    PodSpecRules.port(target, child(at, "targetPort"), errors);
                }
            }
            if (has(port, "nodePort") && port.get("nodePort").asLong() != 0) {
                if (!type.equals("NodePort") && !type.equals("LoadBalancer")) {
                    errors.forbidden(child(at, "nodePort"), "may not be used when `type` is '" + type + "'");
                }
                errors.invalidEach(
                        child(at, "nodePort"),
                        port.get("nodePort").asLong(),
                        NameFormats.portNumber(port.get("nodePort").asLong()));
            }
            String appProtocol = text(port, "appProtocol");
            if (!appProtocol.isEmpty()) {
                errors.invalidEach(child(at, "appProtocol"), appProtocol, NameFormats.qualifiedName(appProtocol));
            }
        }
        ObjectMetaRules.labels(spec == null ? null : spec.get("selector"), child(path, "selector"), errors);
        boolean external = type.equals("NodePort") || type.equals("LoadBalancer");
        String externalPolicy = text(spec, "externalTrafficPolicy");
        if (!externalPolicy.isEmpty()) {
            if (!external) {
                errors.invalid(
                        child(path, "externalTrafficPolicy"),
                        externalPolicy,
                        "may only be set for externally-accessible services");
            } else if (!List.of("Cluster", "Local").contains(externalPolicy)) {
                errors.notSupported(child(path, "externalTrafficPolicy"), externalPolicy, List.of("Cluster", "Local"));
            }
        }
        String internalPolicy = text(spec, "internalTrafficPolicy");
        if (!internalPolicy.isEmpty() && !List.of("Cluster", "Local").contains(internalPolicy)) {
            errors.notSupported(child(path, "internalTrafficPolicy"), internalPolicy, List.of("Cluster", "Local"));
        }
        if (has(spec, "healthCheckNodePort")
                && spec.get("healthCheckNodePort").asLong() != 0
                && !(type.equals("LoadBalancer") && externalPolicy.equals("Local"))) {
            errors.invalid(
                    child(path, "healthCheckNodePort"),
                    spec.get("healthCheckNodePort").asLong(),
                    "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
        }
        String affinity = text(spec, "sessionAffinity");
        if (!affinity.isEmpty() && !List.of("None", "ClientIP").contains(affinity)) {
            errors.notSupported(child(path, "sessionAffinity"), affinity, List.of("None", "ClientIP"));
        }
        if (affinity.equals("ClientIP") && headless) {
            errors.invalid(child(path, "sessionAffinity"), affinity, "must be None when .spec.clusterIP is None");
        }
        List<JsonNode> sourceRanges = array(spec, "loadBalancerSourceRanges");
        if (!sourceRanges.isEmpty() && !type.equals("LoadBalancer")) {
            errors.forbidden(child(path, "loadBalancerSourceRanges"), "may only be used when `type` is 'LoadBalancer'");
        }
        for (int i = 0; i < sourceRanges.size(); i++) {
            String range = sourceRanges.get(i).asText().strip();
            errors.invalidEach(index(child(path, "loadBalancerSourceRanges"), i), range, NameFormats.cidr(range));
        }
        if (has(spec, "loadBalancerClass")) {
            if (!type.equals("LoadBalancer")) {
                errors.forbidden(
                        child(path, "loadBalancerClass"), "may only be used when service type is 'LoadBalancer'");
            } else {
                errors.invalidEach(
                        child(path, "loadBalancerClass"),
                        text(spec, "loadBalancerClass"),
                        NameFormats.qualifiedName(text(spec, "loadBalancerClass")));
            }
        }
        if (has(spec, "allocateLoadBalancerNodePorts") && !type.equals("LoadBalancer")) {
            errors.forbidden(
                    child(path, "allocateLoadBalancerNodePorts"), "may only be used when `type` is 'LoadBalancer'");
        }
        String familyPolicy = text(spec, "ipFamilyPolicy");
        if (!familyPolicy.isEmpty()
                && !List.of("SingleStack", "PreferDualStack", "RequireDualStack")
                        .contains(familyPolicy)) {
            errors.notSupported(
                    child(path, "ipFamilyPolicy"),
                    familyPolicy,
                    List.of("SingleStack", "PreferDualStack", "RequireDualStack"));
        }
        List<JsonNode> externalIPs = array(spec, "externalIPs");
        for (int i = 0; i < externalIPs.size(); i++) {
            errors.invalidEach(
                    index(child(path, "externalIPs"), i),
                    externalIPs.get(i).asText(),
                    NameFormats.ipAddress(externalIPs.get(i).asText()));
        }
        if (previous != null) {
            String oldClusterIP = text(object(previous, "spec"), "clusterIP");
            if (!oldClusterIP.isEmpty() && !clusterIP.isEmpty() && !oldClusterIP.equals(clusterIP)) {
                errors.invalid(child(path, "clusterIP"), clusterIP, "field is immutable");
            }
        }
    }
}
