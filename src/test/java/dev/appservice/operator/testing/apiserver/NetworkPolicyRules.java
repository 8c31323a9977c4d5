package dev.appservice.operator.testing.apiserver;

import static dev.appservice.operator.testing.apiserver.JsonFields.array;
import static dev.appservice.operator.testing.apiserver.JsonFields.child;
import static dev.appservice.operator.testing.apiserver.JsonFields.has;
import static dev.appservice.operator.testing.apiserver.JsonFields.index;
import static dev.appservice.operator.testing.apiserver.JsonFields.object;
import static dev.appservice.operator.testing.apiserver.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.List;

/** networking.k8s.io/v1 NetworkPolicy as pkg/apis/networking/validation (ValidateNetworkPolicy) checks it. */
public final class NetworkPolicyRules {
    private NetworkPolicyRules() {}

    public static void validate(JsonNode policy, FieldErrors errors) {
        ObjectMetaRules.validate(policy.get("metadata"), true, NameFormats::dns1123Subdomain, errors);
        JsonNode spec = object(policy, "spec");
        ObjectMetaRules.labelSelector(object(spec, "podSelector"), "spec.podSelector", errors);
        List<JsonNode> types = array(spec, "policyTypes");
        if (types.size() > 2) {
            errors.invalid("spec.policyTypes", types.toString(), "may not specify more than two policyTypes");
        }
        for (int i = 0; i < types.size(); i++) {
            if (!List.of("Ingress", "Egress").contains(types.get(i).asText())) {
                errors.notSupported(index("spec.policyTypes", i), types.get(i).asText(), List.of("Ingress", "Egress"));
            }
        }
        for (String direction : List.of("ingress", "egress")) {
            List<JsonNode> rules = array(spec, direction);
            String peersField = direction.equals("ingress") ? "from" : "to";
            for (int i = 0; i < rules.size(); i++) {
                String at = index(child("spec", direction), i);
                List<JsonNode> ports = array(rules.get(i), "ports");
                for (int j = 0; j < ports.size(); j++) {
                    port(ports.get(j), index(child(at, "ports"), j), errors);
                }
                List<JsonNode> peers = array(rules.get(i), peersField);
                for (int j = 0; j < peers.size(); j++) {
                    peer(peers.get(j), index(child(at, peersField), j), errors);
                }
            }
        }
    }

    private static void port(JsonNode port, String path, FieldErrors errors) {
        String protocol = text(port, "protocol");
        if (!protocol.isEmpty() && !PodSpecRules.PROTOCOLS.contains(protocol)) {
            errors.notSupported(child(path, "protocol"), protocol, PodSpecRules.PROTOCOLS);
        }
        JsonNode number = port.get("port");
        boolean hasPort = number != null && !number.isNull();
        if (hasPort) {
            if (number.isIntegralNumber()) {
                errors.invalidEach(child(path, "port"), number.asLong(), NameFormats.portNumber(number.asLong()));
            } else {
                errors.invalidEach(child(path, "port"), number.asText(), NameFormats.ianaServiceName(number.asText()));
            }
        }
        if (has(port, "endPort")) {
            long end = port.get("endPort").asLong();
            if (!hasPort) {
                errors.required(child(path, "port"), "must be specified when endPort is specified");
            } else if (!number.isIntegralNumber()) {
                errors.forbidden(child(path, "endPort"), "may not be specified when port is non-numeric");
            } else if (end < number.asLong()) {
                errors.invalid(child(path, "endPort"), end, "must be greater than or equal to `port`");
            } else {
                errors.invalidEach(child(path, "endPort"), end, NameFormats.portNumber(end));
            }
        }
    }

    private static void peer(JsonNode peer, String path, FieldErrors errors) {
        int selectors = (has(peer, "podSelector") ? 1 : 0) + (has(peer, "namespaceSelector") ? 1 : 0);
        boolean ipBlock = has(peer, "ipBlock");
        if (selectors == 0 && !ipBlock) {
            errors.required(path, "must specify a peer");
        } else if (selectors > 0 && ipBlock) {
            errors.forbidden(path, "may not specify both ipBlock and another peer");
        }
        ObjectMetaRules.labelSelector(object(peer, "podSelector"), child(path, "podSelector"), errors);
        ObjectMetaRules.labelSelector(object(peer, "namespaceSelector"), child(path, "namespaceSelector"), errors);
        if (ipBlock) {
            JsonNode block = peer.get("ipBlock");
            String at = child(path, "ipBlock");
            String cidr = text(block, "cidr");
            if (cidr.isEmpty()) {
                errors.required(child(at, "cidr"), "");
                return;
            }
            List<String> problems = NameFormats.cidr(cidr);
            errors.invalidEach(child(at, "cidr"), cidr, problems);
            List<JsonNode> except = array(block, "except");
            for (int i = 0; i < except.size(); i++) {
                String inner = except.get(i).asText();
                List<String> innerProblems = NameFormats.cidr(inner);
                errors.invalidEach(index(child(at, "except"), i), inner, innerProblems);
                if (problems.isEmpty() && innerProblems.isEmpty() && !strictlyWithin(inner, cidr)) {
                    errors.invalid(index(child(at, "except"), i), inner, "must be a strict subset of `cidr`");
                }
            }
        }
    }

    /** The except block lies inside the cidr and is smaller (ValidateIPBlock). */
    static boolean strictlyWithin(String inner, String outer) {
        try {
            String[] in = inner.split("/");
            String[] out = outer.split("/");
            byte[] innerAddress = InetAddress.getByName(in[0]).getAddress();
            byte[] outerAddress = InetAddress.getByName(out[0]).getAddress();
            if (innerAddress.length != outerAddress.length) {
                return false;
            }
            int innerBits = Integer.parseInt(in[1]);
            int outerBits = Integer.parseInt(out[1]);
            if (innerBits <= outerBits) {
                return false;
            }
            int width = innerAddress.length * 8;
            BigInteger mask = BigInteger.ONE
                    .shiftLeft(width)
                    .subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(width - outerBits).subtract(BigInteger.ONE));
            return new BigInteger(1, innerAddress).and(mask).equals(new BigInteger(1, outerAddress).and(mask));
        } catch (Exception e) {
            return false;
        }
    }
}
