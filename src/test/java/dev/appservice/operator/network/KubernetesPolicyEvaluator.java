package dev.appservice.operator.network;

import dev.appservice.operator.network.AzureNsgEvaluator.Address;
import dev.appservice.operator.network.AzureNsgEvaluator.Peer;
import dev.appservice.operator.network.AzureNsgEvaluator.Pod;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reference evaluator: decides a flow the way Kubernetes does with NetworkPolicies (the API's
 * documented semantics, as a CNI implements them). A pod selected by no policy of a direction is
 * open in that direction; otherwise a flow passes when some rule of some selecting policy admits
 * both its peer and its port. ipBlocks match addresses only (pods are matched by selectors here,
 * and the compiler excepts the pod CIDRs so a CNI matching pod IPs sees the same).
 */
final class KubernetesPolicyEvaluator {
    private KubernetesPolicyEvaluator() {}

    static boolean ingressAllowed(List<NetworkPolicy> policies, Pod target, Peer source, String protocol, int port) {
        List<NetworkPolicy> selecting = policies.stream()
                .filter(p -> p.getMetadata().getNamespace().equals(target.namespace()))
                .filter(p -> p.getSpec().getPolicyTypes().contains("Ingress"))
                .filter(p -> selects(p.getSpec().getPodSelector(), target.podLabels()))
                .toList();
        if (selecting.isEmpty()) {
            return true;
        }
        return selecting.stream()
                .flatMap(p -> p.getSpec().getIngress().stream())
                .anyMatch(rule -> peersMatch(rule.getFrom(), target.namespace(), source)
                        && portsMatch(rule.getPorts(), protocol, port));
    }

    static boolean egressAllowed(
            List<NetworkPolicy> policies, Pod source, Peer destination, String protocol, int port) {
        List<NetworkPolicy> selecting = policies.stream()
                .filter(p -> p.getMetadata().getNamespace().equals(source.namespace()))
                .filter(p -> p.getSpec().getPolicyTypes().contains("Egress"))
                .filter(p -> selects(p.getSpec().getPodSelector(), source.podLabels()))
                .toList();
        if (selecting.isEmpty()) {
            return true;
        }
        return selecting.stream()
                .flatMap(p -> p.getSpec().getEgress().stream())
                .anyMatch(rule -> peersMatch(rule.getTo(), source.namespace(), destination)
                        && portsMatch(rule.getPorts(), protocol, port));
    }

    private static boolean peersMatch(List<NetworkPolicyPeer> peers, String policyNamespace, Peer peer) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        return peers.stream().anyMatch(p -> peerMatches(p, policyNamespace, peer));
    }

    private static boolean peerMatches(NetworkPolicyPeer p, String policyNamespace, Peer peer) {
        if (p.getIpBlock() != null) {
            if (!(peer instanceof Address address)) {
                return false;
            }
            return IpMath.contains(p.getIpBlock().getCidr(), address.ip())
                    && (p.getIpBlock().getExcept() == null
                            || p.getIpBlock().getExcept().stream().noneMatch(e -> IpMath.contains(e, address.ip())));
        }
        if (!(peer instanceof Pod pod)) {
            return false;
        }
        if (p.getNamespaceSelector() != null) {
            Map<String, String> nsLabels = new HashMap<>(pod.namespaceLabels());
            nsLabels.put("kubernetes.io/metadata.name", pod.namespace());
            if (!selects(p.getNamespaceSelector(), nsLabels)) {
                return false;
            }
        } else if (!pod.namespace().equals(policyNamespace)) {
            return false;
        }
        return p.getPodSelector() == null || selects(p.getPodSelector(), pod.podLabels());
    }

    private static boolean portsMatch(List<NetworkPolicyPort> ports, String protocol, int port) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPort p : ports) {
            String proto = p.getProtocol() == null ? "TCP" : p.getProtocol();
            if (!proto.equals(protocol)) {
                continue;
            }
            if (p.getPort() == null) {
                return true;
            }
            int from = p.getPort().getIntVal();
            int to = p.getEndPort() == null ? from : p.getEndPort();
            if (port >= from && port <= to) {
                return true;
            }
        }
        return false;
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchLabels() != null) {
            for (var e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String value = labels.get(r.getKey());
                boolean ok = switch (r.getOperator()) {
                    case "In" -> value != null && r.getValues().contains(value);
                    case "NotIn" -> value == null || !r.getValues().contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> throw new AssertionError("unknown operator " + r.getOperator());
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
