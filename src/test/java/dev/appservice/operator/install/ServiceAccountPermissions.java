package dev.appservice.operator.install;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a rendered manifest lets the operator's ServiceAccount do: every rule of every
 * (Cluster)Role bound to it, expanded into single {@link Grant}s. A wildcard anywhere is an error:
 * the operator's permissions are spelled out.
 */
final class ServiceAccountPermissions {
    private ServiceAccountPermissions() {}

    /** The permissions of the ServiceAccount the manifest's operator Deployment runs as. */
    static Set<Grant> ofOperator(Manifest manifest) {
        Deployment operator = manifest.one("Deployment", Deployment.class);
        return of(
                manifest,
                operator.getMetadata().getNamespace(),
                operator.getSpec().getTemplate().getSpec().getServiceAccountName());
    }

    static Set<Grant> of(Manifest manifest, String namespace, String serviceAccount) {
        List<ClusterRole> clusterRoles = manifest.ofKind("ClusterRole", ClusterRole.class);
        List<Role> roles = manifest.ofKind("Role", Role.class);
        Set<Grant> grants = new HashSet<>();
        for (ClusterRoleBinding binding : manifest.ofKind("ClusterRoleBinding", ClusterRoleBinding.class)) {
            if (binds(binding.getSubjects(), namespace, serviceAccount)) {
                grants.addAll(expand(Grant.CLUSTER, rules(binding.getRoleRef(), null, clusterRoles, roles)));
            }
        }
        for (RoleBinding binding : manifest.ofKind("RoleBinding", RoleBinding.class)) {
            if (binds(binding.getSubjects(), namespace, serviceAccount)) {
                String scope = binding.getMetadata().getNamespace();
                grants.addAll(expand(scope, rules(binding.getRoleRef(), scope, clusterRoles, roles)));
            }
        }
        return grants;
    }

    private static boolean binds(List<Subject> subjects, String namespace, String serviceAccount) {
        return subjects != null
                && subjects.stream()
                        .anyMatch(s -> "ServiceAccount".equals(s.getKind())
                                && serviceAccount.equals(s.getName())
                                && namespace.equals(s.getNamespace()));
    }

    private static List<PolicyRule> rules(
            RoleRef ref, String namespace, List<ClusterRole> clusterRoles, List<Role> roles) {
        if (ref.getKind().equals("ClusterRole")) {
            return clusterRoles.stream()
                    .filter(r -> r.getMetadata().getName().equals(ref.getName()))
                    .findFirst()
                    .orElseThrow(
                            () -> new AssertionError("a binding refers to the missing ClusterRole " + ref.getName()))
                    .getRules();
        }
        return roles.stream()
                .filter(r -> r.getMetadata().getName().equals(ref.getName())
                        && Objects.equals(r.getMetadata().getNamespace(), namespace))
                .findFirst()
                .orElseThrow(() ->
                        new AssertionError("a binding refers to the missing Role " + namespace + "/" + ref.getName()))
                .getRules();
    }

    private static Set<Grant> expand(String scope, List<PolicyRule> rules) {
        Set<Grant> grants = new HashSet<>();
        for (PolicyRule rule : rules) {
            if (rule.getNonResourceURLs() != null && !rule.getNonResourceURLs().isEmpty()) {
                throw new AssertionError("the operator needs no non-resource URLs: " + rule);
            }
            List<String> names =
                    rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                            ? List.of(Grant.ANY_NAME)
                            : rule.getResourceNames();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        for (String name : names) {
                            if (group.equals("*") || resource.contains("*") || verb.equals("*")) {
                                throw new AssertionError("wildcard in the operator's RBAC: " + rule);
                            }
                            grants.add(new Grant(scope, group, resource, verb, name));
                        }
                    }
                }
            }
        }
        return grants;
    }
}
