package dev.appservice.operator.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The informer of the apps' TLS Secrets, storing through an {@link AppSecretStore}: readers ask it
 * for a Secret with its data ({@link #read}), which the plain cache has only for Secrets an app
 * named when they arrived.
 */
public final class AppSecretSource<P extends HasMetadata> extends InformerEventSource<Secret, P> {
    private final AppSecretStore store;

    private AppSecretSource(
            InformerEventSourceConfiguration<Secret> configuration,
            AppSecretStore store,
            EventSourceContext<P> context) {
        super(configuration, context);
        this.store = store;
    }

    /**
     * An informer configured by {@code configuration} (without an item store), keeping the data of
     * the Secrets some app names ({@code named}) and reading the others with the context's client.
     */
    public static <P extends HasMetadata> AppSecretSource<P> of(
            InformerEventSourceConfiguration.Builder<Secret> configuration,
            Predicate<ResourceID> named,
            EventSourceContext<P> context) {
        AppSecretStore store = new AppSecretStore(
                named,
                secret -> context.getClient()
                        .secrets()
                        .inNamespace(secret.getNamespace().orElseThrow())
                        .withName(secret.getName())
                        .get());
        return new AppSecretSource<>(configuration.withItemStore(store).build(), store, context);
    }

    /** The Secret with its certificate and key, if it exists. */
    public Optional<Secret> read(ResourceID id) {
        return store.read(id);
    }
}
