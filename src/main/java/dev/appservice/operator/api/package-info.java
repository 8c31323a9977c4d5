/**
 * The custom resource types of the {@code appservice.dev/v1alpha1} API: the contract users write.
 * Field descriptions here become the CRD schema descriptions that {@code kubectl explain} prints.
 * Defaults are declared in the schema (for the API server) and resolved again in code (for the
 * offline {@code render}), through the {@code effective...()} methods, so both agree.
 */
package dev.appservice.operator.api;
