package dev.appservice.operator.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one {@link OperatorSettings} of the running operator, read from its configuration once and injected where needed. */
@ApplicationScoped
public class ConfiguredSettings {

    @Produces
    @Singleton
    OperatorSettings settings() {
        return OperatorSettings.fromConfig();
    }
}
