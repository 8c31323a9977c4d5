package dev.appservice.operator.api;

/**
 * The Pod Security Standards level an environment's app containers run at: {@code Restricted} (the
 * default: non-root only, every capability dropped) or {@code Baseline} (root images run, without
 * privilege escalation and without added capabilities).
 */
public enum PodSecurityLevel {
    Restricted,
    Baseline
}
