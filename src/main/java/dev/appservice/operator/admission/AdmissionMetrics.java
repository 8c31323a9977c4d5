package dev.appservice.operator.admission;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Set;

/**
 * The admission webhook's decisions and latency:
 * <ul>
 *   <li>{@code ase_admission_reviews_total{resource, operation, allowed, reason}}: every review, by
 *       resource ({@code appserviceenvironments}, {@code isolatedplans}, {@code isolatedplans/scale},
 *       {@code webapps}), operation and outcome; a denial's reason is the one the API server shows
 *       ({@code Invalid}: a limit or rule; {@code ServiceUnavailable}: caches not filled yet;
 *       {@code InternalError}: the review failed);</li>
 *   <li>{@code http_server_requests_seconds{uri="/admission/validate"}} (Quarkus' HTTP meter) with
 *       histogram buckets from 5 ms to 10 s, so latency quantiles can be taken across replicas.</li>
 * </ul>
 */
@ApplicationScoped
public class AdmissionMetrics {
    static final String REVIEWS = "ase.admission.reviews";
    static final String HTTP_SERVER_REQUESTS = "http.server.requests";
    /** The webhook's kinds; anything else (a misconfigured webhook rule) is counted as {@code other}. */
    private static final Set<String> RESOURCES =
            Set.of("appserviceenvironments", "isolatedplans", "isolatedplans/scale", "webapps");

    private static final Set<String> OPERATIONS = Set.of("CREATE", "UPDATE", "DELETE", "CONNECT");

    @Inject
    MeterRegistry registry;

    /** Counts one review the webhook answered. */
    public void reviewed(AdmissionRequest request, AdmissionResponse response) {
        String resource = "other";
        String operation = "other";
        if (request != null) {
            String subResource =
                    request.getSubResource() == null || request.getSubResource().isEmpty()
                            ? ""
                            : "/" + request.getSubResource();
            String named =
                    request.getResource() == null ? "" : request.getResource().getResource() + subResource;
            resource = RESOURCES.contains(named) ? named : "other";
            operation = OPERATIONS.contains(request.getOperation()) ? request.getOperation() : "other";
        }
        boolean allowed = response != null && Boolean.TRUE.equals(response.getAllowed());
        String reason = allowed
                ? "Allowed"
                : response != null
                                && response.getStatus() != null
                                && response.getStatus().getReason() != null
                        ? response.getStatus().getReason()
                        : "Denied";
        Counter.builder(REVIEWS)
                .description("Admission reviews answered by the webhook, by resource, operation and outcome")
                .tags(
                        "resource",
                        resource,
                        "operation",
                        operation,
                        "allowed",
                        Boolean.toString(allowed),
                        "reason",
                        reason)
                .register(registry)
                .increment();
    }

    /** Latency buckets for the webhook's path only (other paths keep Quarkus' summary). */
    @Produces
    @Singleton
    MeterFilter webhookLatencyBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!HTTP_SERVER_REQUESTS.equals(id.getName()) || !ValidatingWebhook.PATH.equals(id.getTag("uri"))) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .serviceLevelObjectives(
                                seconds(0.005),
                                seconds(0.01),
                                seconds(0.025),
                                seconds(0.05),
                                seconds(0.1),
                                seconds(0.25),
                                seconds(0.5),
                                seconds(1),
                                seconds(2.5),
                                seconds(5),
                                seconds(10))
                        .build()
                        .merge(config);
            }
        };
    }

    private static double seconds(double seconds) {
        return Duration.ofMillis((long) (seconds * 1000)).toNanos();
    }
}
