package dev.appservice.operator.api;

/**
 * The egress-gateway implementations the operator writes objects for: each is a CNI's own API,
 * installed with the CNI (see README, "Outbound traffic").
 */
public enum EgressGatewayProvider {
    /** Cilium's CiliumEgressGatewayPolicy (cilium.io/v2). */
    Cilium,
    /** Antrea's Egress (crd.antrea.io/v1beta1). */
    Antrea,
    /** OVN-Kubernetes' EgressIP (k8s.ovn.org/v1). */
    OVNKubernetes
}
