package dev.appservice.operator.admission;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** The webhook is ready only once its caches are filled; until then reviews could miss objects. */
@Readiness
@ApplicationScoped
public class AdmissionCacheReadiness implements HealthCheck {
    @Inject
    AdmissionCache cache;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("admission-cache")
                .status(cache.synced())
                .build();
    }
}
