package dev.appservice.operator.validation;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;

/**
 * Deleting a parent that still has dependents is refused, as App Service refuses to delete a plan
 * that still has apps: an IsolatedPlan with WebApps, an AppServiceEnvironment with IsolatedPlans.
 * The annotation {@value #ALLOW_DELETE_WITH_DEPENDENTS}{@code : "true"} on the parent lets a
 * deliberate teardown through. Pure functions of the object and a {@link ClusterView}; the webhook
 * reviews DELETE with them.
 */
public final class DeletionRules {
    private DeletionRules() {}

    /** On the parent, {@code "true"}: delete it even though it has dependents. */
    public static final String ALLOW_DELETE_WITH_DEPENDENTS = "appservice.dev/allow-delete-with-dependents";

    /** How many dependents a refusal names; the rest are counted. */
    public static final int DEPENDENTS_NAMED = 10;

    /** Problems with deleting the object as it is now (its last stored version). */
    public static List<Violation> check(Object object, ClusterView view) {
        if (!(object instanceof HasMetadata resource) || allowed(resource)) {
            return List.of();
        }
        String namespace = resource.getMetadata().getNamespace();
        String name = resource.getMetadata().getName();
        List<? extends HasMetadata> dependents;
        String kinds;
        if (resource instanceof IsolatedPlan) {
            dependents = view.appsOfPlan(namespace, name).stream()
                    .filter(a -> a.getMetadata().getDeletionTimestamp() == null)
                    .sorted(java.util.Comparator.comparing(a -> a.getMetadata().getName()))
                    .toList();
            kinds = "WebApp";
        } else if (resource instanceof AppServiceEnvironment) {
            dependents = view.plansOf((AppServiceEnvironment) resource).stream()
                    .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                    .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName()))
                    .toList();
            kinds = "IsolatedPlan";
        } else {
            return List.of();
        }
        if (dependents.isEmpty()) {
            return List.of();
        }
        List<String> named = dependents.stream()
                .limit(DEPENDENTS_NAMED)
                .map(d -> d.getMetadata().getName())
                .toList();
        int more = dependents.size() - named.size();
        return List.of(Violation.error(
                SpecValidation.describe(resource),
                "",
                "cannot be deleted while " + dependents.size() + " " + kinds + (dependents.size() == 1 ? "" : "s")
                        + " depend" + (dependents.size() == 1 ? "s" : "") + " on it ("
                        + String.join(", ", named) + (more > 0 ? " and " + more + " more" : "")
                        + "): delete or move them first, or annotate it " + ALLOW_DELETE_WITH_DEPENDENTS
                        + "=\"true\" to tear it down with them"
                        + (resource instanceof IsolatedPlan
                                ? " (the apps' instances keep running until the apps themselves are deleted)"
                                : "")));
    }

    private static boolean allowed(HasMetadata resource) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        return annotations != null && "true".equals(annotations.get(ALLOW_DELETE_WITH_DEPENDENTS));
    }
}
