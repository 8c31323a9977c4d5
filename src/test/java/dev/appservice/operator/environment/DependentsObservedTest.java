package dev.appservice.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.EnvironmentVersion;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WorkerPool;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.desired.EnvironmentChildren;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The environment is ready when every child of {@code EnvironmentChildren.all()} is observed, and
 * what is observed is what the workflow's dependents see ({@link DependentsObserved}). So the
 * workflow must write every kind of child the desired value holds, and nothing else: a kind added
 * to the value without a dependent in the {@code @Workflow} would leave every environment
 * {@code ChildrenMissing}, and this test names it first.
 */
class DependentsObservedTest {

    /** Every kind of child an environment can have: a V1 environment with a pool, its front ends, Services and policies. */
    private static EnvironmentChildren everyKindOfChild() {
        AppServiceEnvironment ase = Fixtures.environment("ns", "ase");
        ase.getSpec().setVersion(EnvironmentVersion.V1);
        WorkerPool small = new WorkerPool();
        small.setName("small");
        small.setCount(6);
        ase.getSpec().setWorkerPools(List.of(small));
        IsolatedPlan web = Fixtures.plan("ns", "web", "ase", InstanceSize.I1, 4);
        web.getSpec().setWorkerPool("small");
        return EnvironmentChildren.offline(new EnvironmentTopology(ase, List.of(web)), OperatorSettings.defaults());
    }

    @Test
    void theWorkflowsDependentsWriteEveryKindOfChildTheDesiredValueHolds() {
        Set<Class<? extends HasMetadata>> written =
                Set.copyOf(DependentsObserved.kindsOf(AppServiceEnvironmentReconciler.class));
        Set<Class<? extends HasMetadata>> desired = everyKindOfChild().all().stream()
                .map(HasMetadata::getClass)
                // The egress gateway (the provider's object, cluster-scoped) is reconciled and observed by hand.
                .filter(kind -> kind != GenericKubernetesResource.class)
                .collect(Collectors.toSet());

        assertThat(desired)
                .as("kinds in EnvironmentChildren.all() with no dependent in the @Workflow (the environment would stay"
                        + " ChildrenMissing)")
                .isSubsetOf(written);
        assertThat(written)
                .as("dependents in the @Workflow writing a kind EnvironmentChildren.all() does not hold")
                .isSubsetOf(desired);
    }

    @Test
    void eachDependentWritesTheKindItsTypeArgumentNames() {
        assertThat(DependentsObserved.resourceType(FrontEndConfigDependent.class))
                .isEqualTo(ConfigMap.class);
        assertThat(DependentsObserved.resourceType(FrontEndCertificatesDependent.class))
                .isEqualTo(Secret.class);
        assertThat(DependentsObserved.resourceType(FrontEndDeploymentDependent.class))
                .isEqualTo(Deployment.class);
        assertThat(DependentsObserved.resourceType(FrontEndDisruptionBudgetDependent.class))
                .isEqualTo(PodDisruptionBudget.class);
        assertThat(DependentsObserved.resourceType(EnvironmentServicesDependent.class))
                .isEqualTo(Service.class);
        assertThat(DependentsObserved.resourceType(WorkerPoolDependent.class)).isEqualTo(Deployment.class);
        assertThat(DependentsObserved.resourceType(NetworkPoliciesDependent.class))
                .isEqualTo(NetworkPolicy.class);
        assertThat(DependentsObserved.kindsOf(AppServiceEnvironmentReconciler.class))
                .hasSize(7);
    }
}
