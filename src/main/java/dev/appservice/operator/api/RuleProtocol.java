package dev.appservice.operator.api;

/** The transport protocol a network security rule matches. */
public enum RuleProtocol {
    Tcp,
    Udp,
    Any
}
