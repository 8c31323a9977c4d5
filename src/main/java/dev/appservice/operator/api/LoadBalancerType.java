package dev.appservice.operator.api;

/** Whether the ASE's VIP faces the internet (External) or only the virtual network (Internal). */
public enum LoadBalancerType {
    External,
    Internal
}
