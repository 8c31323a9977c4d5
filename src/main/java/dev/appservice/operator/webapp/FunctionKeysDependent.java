package dev.appservice.operator.webapp;

import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.dependent.ControlledDependentResource;
import dev.appservice.operator.desired.AppChildren;
import dev.appservice.operator.desired.FunctionKeys;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;

/**
 * A function app's keys Secret, owned by the app: created when absent, its labels kept as
 * {@link AppChildren#functionKeys} has them, and its data never overwritten. The desired data is
 * the existing object's (a slot's missing entry is generated, a removed slot's entry dropped), so
 * a reconcile, a restart of the operator or another replica taking over writes no key anew
 * ({@link FunctionKeys}). Nothing here logs the Secret or puts it in a status or an event.
 */
@KubernetesDependent(informer = @Informer(name = WebAppReconciler.FUNCTION_KEYS, labelSelector = FunctionKeys.SELECTOR))
public class FunctionKeysDependent extends ControlledDependentResource<Secret, WebApp> {

    public FunctionKeysDependent() {
        super(Secret.class);
    }

    @Override
    protected Secret desired(WebApp app, Context<WebApp> context) {
        Secret wanted = AppPlacement.children(app, context)
                .flatMap(AppChildren::functionKeys)
                .orElseThrow(() -> new IllegalStateException("the precondition guarantees a placed function app"));
        Map<String, String> existing =
                getSecondaryResource(app, context).map(Secret::getData).orElse(null);
        return new SecretBuilder(wanted)
                .withData(FunctionKeys.data(app, existing))
                .build();
    }

    @Override
    protected ResourceID targetSecondaryResourceID(WebApp app, Context<WebApp> context) {
        return new ResourceID(
                FunctionKeys.secretName(app.getMetadata().getName()),
                app.getMetadata().getNamespace());
    }
}
