package dev.appservice.operator.config;

import java.util.List;
import java.util.Map;

/**
 * What the NSG compiler needs to know about the cluster, from the operator's configuration.
 *
 * @param operatorNamespace      the namespace of the operator: the {@code AppServiceManagement} tag
 * @param azureLoadBalancerCidrs addresses of the {@code AzureLoadBalancer} tag (none by default)
 * @param podCidrs               the cluster's pod CIDRs, excepted from every address-based peer,
 *                               because CNIs match pod IPs against ipBlocks and pods are matched by
 *                               selectors here, never by address
 * @param dnsNamespace           namespace of the cluster DNS, kept reachable under outbound rules
 * @param dnsPodLabels           labels of the cluster DNS pods
 */
public record NetworkSettings(
        String operatorNamespace,
        List<String> azureLoadBalancerCidrs,
        List<String> podCidrs,
        String dnsNamespace,
        Map<String, String> dnsPodLabels) {

    public static final String DEFAULT_OPERATOR_NAMESPACE = "ase-operator";

    public static NetworkSettings defaults() {
        return new NetworkSettings(
                DEFAULT_OPERATOR_NAMESPACE,
                List.of(),
                List.of("10.244.0.0/16", "fd00:10:244::/56"),
                "kube-system",
                Map.of("k8s-app", "kube-dns"));
    }
}
