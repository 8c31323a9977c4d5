package dev.appservice.operator.webapp;

import dev.appservice.operator.admission.SpecValidation;
import dev.appservice.operator.admission.Violation;
import dev.appservice.operator.informer.CacheIndexes;
import dev.appservice.operator.informer.RelevantUpdates;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppStatus;
import dev.appservice.operator.status.StatusWrites;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps a WebApp's status: the URLs it is served at and whether its plan's workers are ready. The
 * app itself becomes containers of its plan's workers (IsolatedPlanReconciler) and servers of the
 * environment's front ends (AppServiceEnvironmentReconciler): this controller makes no children.
 */
@ControllerConfiguration(name = WebAppReconciler.NAME, informer = @Informer(itemStore = SharingItemStore.class))
public class WebAppReconciler implements Reconciler<WebApp> {
    public static final String NAME = "webapp";
    static final String PLANS = "plans";
    static final String ENVIRONMENTS = "environments";

    private final Clock clock = Clock.systemUTC();

    @Override
    public List<EventSource<?, WebApp>> prepareEventSources(EventSourceContext<WebApp> context) {
        context.getPrimaryCache().addIndexers(java.util.Map.of(CacheIndexes.APPS_BY_PLAN, CacheIndexes.appsByPlan(),
                CacheIndexes.BY_NAMESPACE, CacheIndexes.byNamespace()));
        var plans = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(IsolatedPlan.class, WebApp.class)
                        .withName(PLANS)
                        .withItemStore(new SharingItemStore<>())
                        .withSecondaryToPrimaryMapper((IsolatedPlan plan) -> context.getPrimaryCache()
                                .byIndex(CacheIndexes.APPS_BY_PLAN, CacheIndexes.key(plan.getMetadata().getNamespace(), plan.getMetadata().getName()))
                                .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                        .withPrimaryToSecondaryMapper((WebApp app) -> app.getSpec() == null ? Set.of()
                                : Set.of(new ResourceID(app.getSpec().getPlanName(), app.getMetadata().getNamespace())))
                        .build(),
                context);
        var environments = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(AppServiceEnvironment.class, WebApp.class)
                        .withName(ENVIRONMENTS)
                        .withItemStore(new SharingItemStore<>())
                        .withOnUpdateFilter(RelevantUpdates.spec())
                        .withSecondaryToPrimaryMapper((AppServiceEnvironment environment) -> context.getPrimaryCache()
                                .byIndex(CacheIndexes.BY_NAMESPACE, environment.getMetadata().getNamespace())
                                .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                        .withPrimaryToSecondaryMapper((WebApp app) -> app.getSpec() == null ? Set.of()
                                : plans.get(new ResourceID(app.getSpec().getPlanName(), app.getMetadata().getNamespace()))
                                        .filter(p -> p.getSpec() != null && p.getSpec().getEnvironmentName() != null)
                                        .map(p -> Set.of(new ResourceID(p.getSpec().getEnvironmentName(), p.getMetadata().getNamespace())))
                                        .orElse(Set.of()))
                        .build(),
                context);
        return List.of(plans, environments);
    }

    @Override
    public UpdateControl<WebApp> reconcile(WebApp app, Context<WebApp> context) {
        // An invalid app (past a bypassed webhook) is left out of its plan's workers and the front
        // ends (see the topologies), and says so here.
        List<Violation> invalid = SpecValidation.errors(app);
        if (!invalid.isEmpty()) {
            return StatusWrites.notActedOn(app, WebAppStatus::new, "InvalidSpec", SpecValidation.describe(invalid), context, clock.instant());
        }
        Optional<IsolatedPlan> plan = context.getSecondaryResource(IsolatedPlan.class);
        Optional<AppServiceEnvironment> environment = plan.flatMap(p -> context.getSecondaryResource(AppServiceEnvironment.class))
                .filter(e -> Objects.equals(e.getMetadata().getName(), plan.get().getSpec().getEnvironmentName()));
        WebAppStatus status = WebAppStatusFactory.compute(app, plan, environment, clock.instant());
        return StatusWrites.patchIfChanged(app, status, context, clock.instant());
    }
}
