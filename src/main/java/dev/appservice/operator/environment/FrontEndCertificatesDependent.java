package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.dependent.ControlledDependentResource;
import dev.appservice.operator.desired.AppCertificates;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.BulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The front ends' copies of the apps' own certificates ({@link AppCertificates#secrets}): the
 * Secret {@code <ase>-frontend-certs} and, when the copies are large, further ones; one no longer
 * needed is deleted.
 */
@KubernetesDependent(informer = @Informer(labelSelector = StandardLabels.MANAGED_SELECTOR))
public class FrontEndCertificatesDependent extends ControlledDependentResource<Secret, AppServiceEnvironment>
        implements BulkDependentResource<Secret, AppServiceEnvironment, String> {

    public FrontEndCertificatesDependent() {
        super(Secret.class);
    }

    @Override
    public Map<String, Secret> desiredResources(AppServiceEnvironment primary, Context<AppServiceEnvironment> context) {
        Map<String, Secret> desired = new LinkedHashMap<>();
        for (Secret secret : AppCertificates.secrets(EnvironmentTopologies.from(primary, context),
                AppEdgeSources.usableCertificates(primary, context))) {
            desired.put(secret.getMetadata().getName(), secret);
        }
        return desired;
    }

    @Override
    public Map<String, Secret> getSecondaryResources(AppServiceEnvironment primary, Context<AppServiceEnvironment> context) {
        Map<String, Secret> actual = new LinkedHashMap<>();
        eventSource().orElseThrow().getSecondaryResources(primary).forEach(secret -> actual.put(secret.getMetadata().getName(), secret));
        return actual;
    }

    @Override
    public void deleteTargetResource(AppServiceEnvironment primary, Secret resource, String key, Context<AppServiceEnvironment> context) {
        context.getClient().resource(resource).delete();
    }
}
