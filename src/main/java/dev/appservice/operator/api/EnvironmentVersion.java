package dev.appservice.operator.api;

/** The ASE generation: V1 (hand-managed front ends and worker pools) or V2 (automatic scaling). */
public enum EnvironmentVersion {
    V1,
    V2
}
