package dev.appservice.operator.api;

/** Kubernetes Service types the VIP may use. ExternalName is not a VIP and is not offered. */
public enum ServiceType {
    ClusterIP,
    NodePort,
    LoadBalancer
}
