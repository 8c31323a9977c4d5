package dev.appservice.operator.api;

/** What a network security rule does with the traffic it matches. */
public enum RuleAccess {
    Allow,
    Deny
}
