package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.dependent.ControlledChildrenDependent;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The front ends' copies of the apps' own certificates
 * ({@link dev.appservice.operator.desired.AppCertificates#secrets}): the Secret
 * {@code <ase>-frontend-certs} and, when the copies are large, further ones; one no longer needed
 * is deleted.
 */
@KubernetesDependent(
        informer = @Informer(itemStore = SharingItemStore.class, labelSelector = StandardLabels.MANAGED_SELECTOR))
public class FrontEndCertificatesDependent extends ControlledChildrenDependent<Secret, AppServiceEnvironment> {

    public FrontEndCertificatesDependent() {
        super(
                Secret.class,
                (environment, context) -> MemoisedChildren.of(context).frontEndCertificates());
    }
}
