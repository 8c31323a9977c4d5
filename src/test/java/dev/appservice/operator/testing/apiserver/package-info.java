/**
 * A validating layer in front of the Fabric8 mock API server: what the operator writes in the
 * tests is checked as a Kubernetes 1.34 API server checks it, and refused (422, reason Invalid,
 * one cause per field) when a cluster would refuse it.
 *
 * <p>Sources of truth:
 * <ul>
 * <li>Structure and types of built-in kinds: the Kubernetes OpenAPI schemas as Fabric8's model
 * (kubernetes-model 7.x, generated from the Kubernetes OpenAPI document) carries them, read by
 * introspection ({@link dev.appservice.operator.testing.apiserver.ModelStructure}). No artifact on
 * the registries this project reaches ships the raw Kubernetes OpenAPI JSON (the kubernetes-model
 * and client-java jars hold classes only; the npm kubernetes-models package holds precompiled
 * validators).</li>
 * <li>Structure and types of the custom resources: the CRDs in {@code crds/}, their OpenAPI v3
 * schemas applied as structural schema validation
 * ({@link dev.appservice.operator.testing.apiserver.CustomResourceSchemas}).</li>
 * <li>The API server's own field rules, by kind, after k8s.io/apimachinery/pkg/api/validation,
 * pkg/apis/core/validation, pkg/apis/apps/validation and pkg/apis/networking/validation:
 * {@link dev.appservice.operator.testing.apiserver.ObjectMetaRules},
 * {@link dev.appservice.operator.testing.apiserver.PodSpecRules},
 * {@link dev.appservice.operator.testing.apiserver.DeploymentRules},
 * {@link dev.appservice.operator.testing.apiserver.ServiceRules},
 * {@link dev.appservice.operator.testing.apiserver.ConfigDataRules},
 * {@link dev.appservice.operator.testing.apiserver.NetworkPolicyRules},
 * {@link dev.appservice.operator.testing.apiserver.CoordinationRules}, on the string formats of
 * {@link dev.appservice.operator.testing.apiserver.NameFormats} and
 * {@link dev.appservice.operator.testing.apiserver.Quantities}.</li>
 * </ul>
 *
 * <p>In use: {@code MockKubernetes} (every {@code @QuarkusTest}) and any plain test through
 * {@link dev.appservice.operator.testing.apiserver.ValidatingMixedDispatcher#forProject}.
 * {@code MockKubernetes.refusedWritesIn(namespace)} lists what was refused.
 */
package dev.appservice.operator.testing.apiserver;
