package dev.appservice.operator.admission;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.validation.AdmissionRules;
import dev.appservice.operator.validation.DeletionRules;
import dev.appservice.operator.validation.Violation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.webhook.admission.AdmissionController;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The validating admission webhook for AppServiceEnvironments, IsolatedPlans and WebApps, including the
 * {@code isolatedplans/scale} subresource (so {@code kubectl scale} and HPAs are checked too), and
 * the deletion of environments and plans that still have dependents ({@link DeletionRules}).
 * POST an {@code admission.k8s.io/v1} AdmissionReview to {@value #PATH}; the answer comes from
 * the informer caches through {@link AdmissionRules}, with denials naming object, field, limit and
 * usage, and warnings for what is legal but risky.
 */
@ApplicationScoped
public class ValidatingWebhook {
    public static final String PATH = "/admission/validate";
    private static final Logger LOG = Logger.getLogger(ValidatingWebhook.class);

    @Inject
    AdmissionCache cache;

    @Inject
    AdmissionMetrics metrics;

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    @Inject
    OperatorSettings settings;

    private final AdmissionController<HasMetadata> controller = new AdmissionController<>(this::review);

    void routes(@Observes Router router) {
        router.post(PATH)
                .handler(BodyHandler.create().setBodyLimit(ReviewSize.MAX_BODY_BYTES))
                .handler(this::serve);
    }

    private void serve(RoutingContext context) {
        int bytes = context.body().length();
        if (bytes > ReviewSize.MAX_WEBAPP_REVIEW_BYTES && refusedBySize(context, bytes)) {
            return;
        }
        AdmissionReview request;
        try {
            request = serialization.unmarshal(context.body().asString(), AdmissionReview.class);
        } catch (RuntimeException e) {
            context.response()
                    .setStatusCode(400)
                    .putHeader("content-type", "text/plain")
                    .end("not an AdmissionReview: " + e.getMessage());
            return;
        }
        if (request == null || request.getRequest() == null) {
            context.response()
                    .setStatusCode(400)
                    .putHeader("content-type", "text/plain")
                    .end("AdmissionReview without a request");
            return;
        }
        AdmissionReview response = controller.handle(request);
        metrics.reviewed(request.getRequest(), response.getResponse());
        context.response().putHeader("content-type", "application/json").end(serialization.asJson(response));
    }

    /**
     * Answers a review larger than its resource's bound ({@link ReviewSize}) without deserialising
     * it: a denial with the request's uid, code 413 and why (the API server shows it to the user,
     * where an HTTP error would only say that calling the webhook failed). True when answered.
     */
    private boolean refusedBySize(RoutingContext context, int bytes) {
        ReviewSize.Head head = ReviewSize.head(context.body().buffer().getBytes(), bytes);
        String problem = ReviewSize.problem(bytes, head);
        if (problem == null) {
            return false;
        }
        if (head.uid() == null) {
            context.response()
                    .setStatusCode(400)
                    .putHeader("content-type", "text/plain")
                    .end("not an AdmissionReview (no request.uid)");
            return true;
        }
        AdmissionRequest request = new AdmissionRequest();
        request.setUid(head.uid());
        request.setOperation(head.operation() == null ? "" : head.operation());
        request.setResource(new io.fabric8.kubernetes.api.model.GroupVersionResource(
                "appservice.dev", head.resource(), "v1alpha1"));
        AdmissionResponse response = new AdmissionResponse();
        response.setUid(head.uid());
        response.setAllowed(false);
        response.setStatus(status(413, "RequestEntityTooLarge", problem));
        AdmissionReview review = new AdmissionReview();
        review.setApiVersion("admission.k8s.io/v1");
        review.setKind("AdmissionReview");
        review.setResponse(response);
        metrics.reviewed(request, response);
        context.response().putHeader("content-type", "application/json").end(serialization.asJson(review));
        return true;
    }

    /** Decides one request. Never throws: an unexpected failure denies with its reason (failurePolicy Fail). */
    AdmissionResponse review(AdmissionRequest request) {
        try {
            Optional<Object[]> subject = subject(request);
            if (subject.isEmpty()) {
                return allowed(List.of());
            }
            if (!cache.synced()) {
                // Only reachable when traffic bypasses the readiness probe: limits checked against
                // half-filled caches would admit too much, so the API server is asked to retry.
                AdmissionResponse response = new AdmissionResponse();
                response.setAllowed(false);
                response.setStatus(
                        status(
                                503,
                                "ServiceUnavailable",
                                "ase-operator is starting: its caches of environments, plans and apps are not filled yet; retry in a few seconds"));
                return response;
            }
            List<Violation> violations = "DELETE".equals(request.getOperation())
                    ? DeletionRules.check(subject.get()[1], cache)
                    : AdmissionRules.check(subject.get()[0], subject.get()[1], cache, settings.network());
            List<String> errors = violations.stream()
                    .filter(v -> !v.warning())
                    .map(Violation::describe)
                    .toList();
            List<String> warnings = violations.stream()
                    .filter(Violation::warning)
                    .map(Violation::describe)
                    .toList();
            if (errors.isEmpty()) {
                return allowed(warnings);
            }
            AdmissionResponse response = new AdmissionResponse();
            response.setAllowed(false);
            response.setWarnings(warnings.isEmpty() ? null : warnings);
            response.setStatus(status(422, "Invalid", String.join("; ", errors)));
            return response;
        } catch (RuntimeException e) {
            LOG.warnf(e, "admission review %s failed", request.getUid());
            AdmissionResponse response = new AdmissionResponse();
            response.setAllowed(false);
            response.setStatus(
                    status(500, "InternalError", "ase-operator could not review the request: " + e.getMessage()));
            return response;
        }
    }

    /** The object under review and its previous version, as API types; empty when not ours to check. */
    private Optional<Object[]> subject(AdmissionRequest request) {
        String operation = request.getOperation();
        String resource =
                request.getResource() == null ? "" : request.getResource().getResource();
        String subResource = request.getSubResource() == null ? "" : request.getSubResource();
        String namespace = request.getNamespace();
        if ("DELETE".equals(operation)) {
            // The object being deleted is the old object; a parent with dependents is refused (DeletionRules).
            Class<?> parent = switch (resource) {
                case "appserviceenvironments" -> AppServiceEnvironment.class;
                case "isolatedplans" -> IsolatedPlan.class;
                default -> null;
            };
            if (parent == null || !subResource.isEmpty() || request.getOldObject() == null) {
                return Optional.empty();
            }
            return Optional.of(new Object[] {
                null, withNamespace(serialization.convertValue(request.getOldObject(), parent), namespace)
            });
        }
        if (!"CREATE".equals(operation) && !"UPDATE".equals(operation)) {
            return Optional.empty();
        }
        if ("isolatedplans".equals(resource) && "scale".equals(subResource)) {
            Scale scale = serialization.convertValue(request.getObject(), Scale.class);
            Optional<IsolatedPlan> current = cache.plan(namespace, request.getName());
            if (current.isEmpty()) {
                return Optional.empty(); // not in the cache yet: the reconciler still holds the limit
            }
            IsolatedPlan scaled = serialization.clone(current.get());
            scaled.getSpec().setInstances(scale.getSpec().getReplicas());
            return Optional.of(new Object[] {scaled, current.get()});
        }
        if (!subResource.isEmpty()) {
            return Optional.empty();
        }
        Class<?> type = switch (resource) {
            case "appserviceenvironments" -> AppServiceEnvironment.class;
            case "isolatedplans" -> IsolatedPlan.class;
            case "webapps" -> WebApp.class;
            default -> null;
        };
        if (type == null) {
            return Optional.empty();
        }
        Object object = withNamespace(serialization.convertValue(request.getObject(), type), namespace);
        Object previous = request.getOldObject() == null
                ? null
                : withNamespace(serialization.convertValue(request.getOldObject(), type), namespace);
        return Optional.of(new Object[] {object, previous});
    }

    private static Object withNamespace(Object object, String namespace) {
        var metadata = ((HasMetadata) object).getMetadata();
        if (metadata.getNamespace() == null || metadata.getNamespace().isEmpty()) {
            metadata.setNamespace(namespace);
        }
        return object;
    }

    private static AdmissionResponse allowed(List<String> warnings) {
        AdmissionResponse response = new AdmissionResponse();
        response.setAllowed(true);
        response.setWarnings(warnings.isEmpty() ? null : warnings);
        return response;
    }

    private static Status status(int code, String reason, String message) {
        return new StatusBuilder()
                .withCode(code)
                .withReason(reason)
                .withMessage(message)
                .build();
    }
}
