package dev.appservice.operator.plan;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.IsolatedPlanStatus;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.desired.PlanChildren;
import dev.appservice.operator.informer.CacheIndexes;
import dev.appservice.operator.informer.RelevantUpdates;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.status.StatusWrites;
import dev.appservice.operator.validation.SpecValidation;
import dev.appservice.operator.validation.Violation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reconciles an IsolatedPlan into its worker Deployment, once its environment exists, with as many
 * instances as the environment grants it. Watches the environment (a plan may come before its ASE,
 * as GitOps tools apply in any order) and the other plans of the environment (whose instances
 * decide what is left for this one) and its apps (whose number decides what the placeholder holds),
 * and, while the plan is moved from the old layout of one worker Deployment running every app, the
 * apps' own Deployments and Services (see {@link LegacyWorkers}).
 */
@ControllerConfiguration(name = IsolatedPlanReconciler.NAME, informer = @Informer(itemStore = SharingItemStore.class))
@Workflow(
        explicitInvocation = true,
        dependents = {
            @Dependent(
                    name = IsolatedPlanReconciler.WORKERS,
                    type = WorkerDeploymentDependent.class,
                    reconcilePrecondition = WorkersWanted.class),
            @Dependent(
                    name = IsolatedPlanReconciler.WORKER_SERVICE,
                    type = WorkerServiceDependent.class,
                    reconcilePrecondition = LegacyServiceServes.class),
        })
public class IsolatedPlanReconciler implements Reconciler<IsolatedPlan> {
    public static final String NAME = "isolatedplan";
    static final String WORKERS = "workers";
    static final String ENVIRONMENTS = "environments";
    static final String SIBLINGS = "sibling-plans";
    static final String WORKER_SERVICE = "worker-service";
    static final String APPS = "apps";
    static final String APP_DEPLOYMENTS = "app-deployments";
    static final String APP_SERVICES = "app-services";

    private final Clock clock = Clock.systemUTC();

    @Inject
    OperatorSettings settings;

    @Override
    public List<EventSource<?, IsolatedPlan>> prepareEventSources(EventSourceContext<IsolatedPlan> context) {
        context.getPrimaryCache().addIndexers(CacheIndexes.plansByEnvironment());
        var environments = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(AppServiceEnvironment.class, IsolatedPlan.class)
                        .withName(ENVIRONMENTS)
                        .withItemStore(new SharingItemStore<>())
                        .withOnUpdateFilter(RelevantUpdates.spec())
                        .withSecondaryToPrimaryMapper((AppServiceEnvironment environment) -> plansOf(
                                context,
                                environment.getMetadata().getNamespace(),
                                environment.getMetadata().getName()))
                        .withPrimaryToSecondaryMapper((IsolatedPlan plan) ->
                                plan.getSpec() == null || plan.getSpec().getEnvironmentName() == null
                                        ? Set.of()
                                        : Set.of(new ResourceID(
                                                plan.getSpec().getEnvironmentName(),
                                                plan.getMetadata().getNamespace())))
                        .build(),
                context);
        // A plan's share depends on the plans admitted before it and on what they run: when one changes
        // its spec or its running instances, appears or goes away, the other plans of its environment
        // are reconciled again.
        var siblings = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(IsolatedPlan.class, IsolatedPlan.class)
                        .withName(SIBLINGS)
                        .withItemStore(new SharingItemStore<>())
                        .withOnUpdateFilter(RelevantUpdates.specOrRunningInstances())
                        .withSecondaryToPrimaryMapper((IsolatedPlan plan) -> plan.getSpec() == null
                                ? Set.of()
                                : plansOf(
                                        context,
                                        plan.getMetadata().getNamespace(),
                                        plan.getSpec().getEnvironmentName()))
                        .withPrimaryToSecondaryMapper((IsolatedPlan plan) -> Set.of())
                        .build(),
                context);
        var apps = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(WebApp.class, IsolatedPlan.class)
                        .withName(APPS)
                        .withItemStore(new SharingItemStore<>())
                        .withOnUpdateFilter(RelevantUpdates.spec())
                        .withSecondaryToPrimaryMapper((WebApp app) ->
                                app.getSpec() == null || app.getSpec().getPlanName() == null
                                        ? Set.of()
                                        : Set.of(new ResourceID(
                                                app.getSpec().getPlanName(),
                                                app.getMetadata().getNamespace())))
                        .build(),
                context);
        // The apps' own Deployments and Services (owned by the apps) are read while a plan is moved from
        // the old layout: when every app's are ready, the old ones drain. A Deployment wakes its plan
        // only when its readiness changes.
        var appDeployments = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Deployment.class, IsolatedPlan.class)
                        .withItemStore(new SharingItemStore<>())
                        .withName(APP_DEPLOYMENTS)
                        .withLabelSelector(StandardLabels.APP_WORKLOADS_SELECTOR)
                        .withOnUpdateFilter((Deployment newer, Deployment older) ->
                                LegacyWorkers.ready(newer) != LegacyWorkers.ready(older))
                        .withSecondaryToPrimaryMapper((Deployment d) -> planOfOwningApp(apps, d))
                        .withPrimaryToSecondaryMapper((IsolatedPlan plan) -> Set.of())
                        .build(),
                context);
        var appServices = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Service.class, IsolatedPlan.class)
                        .withItemStore(new SharingItemStore<>())
                        .withName(APP_SERVICES)
                        .withLabelSelector(StandardLabels.APP_WORKLOADS_SELECTOR)
                        .withOnUpdateFilter((Service newer, Service older) -> false)
                        .withSecondaryToPrimaryMapper((Service s) -> planOfOwningApp(apps, s))
                        .withPrimaryToSecondaryMapper((IsolatedPlan plan) -> Set.of())
                        .build(),
                context);
        return List.of(environments, siblings, apps, appDeployments, appServices);
    }

    private static Set<ResourceID> planOfOwningApp(InformerEventSource<WebApp, IsolatedPlan> apps, HasMetadata child) {
        String namespace = child.getMetadata().getNamespace();
        return child.getMetadata().getOwnerReferences().stream()
                .filter(o -> "WebApp".equals(o.getKind()))
                .flatMap(o -> apps.get(new ResourceID(o.getName(), namespace)).stream())
                .filter(app -> app.getSpec() != null && app.getSpec().getPlanName() != null)
                .map(app -> new ResourceID(app.getSpec().getPlanName(), namespace))
                .collect(Collectors.toSet());
    }

    /**
     * Whether every app the plan runs has its own Deployment, ready at its generation, and its own
     * Service: then the old layout, if any, may drain.
     */
    private static boolean everyAppMoved(
            IsolatedPlan plan, Optional<EnvironmentTopology> topology, Context<IsolatedPlan> context) {
        if (topology.isEmpty()) {
            return false;
        }
        @SuppressWarnings("unchecked")
        var deployments = (InformerEventSource<Deployment, IsolatedPlan>)
                context.eventSourceRetriever().getEventSourceFor(Deployment.class, APP_DEPLOYMENTS);
        @SuppressWarnings("unchecked")
        var services = (InformerEventSource<Service, IsolatedPlan>)
                context.eventSourceRetriever().getEventSourceFor(Service.class, APP_SERVICES);
        String namespace = plan.getMetadata().getNamespace();
        return topology.get().admittedApps(plan).stream().allMatch(app -> {
            ResourceID id =
                    new ResourceID(ResourceNames.appWorkload(app.getMetadata().getName()), namespace);
            return deployments.get(id).filter(LegacyWorkers::ready).isPresent()
                    && services.get(id).isPresent();
        });
    }

    private static Set<ResourceID> plansOf(
            EventSourceContext<IsolatedPlan> context, String namespace, String environment) {
        return context
                .getPrimaryCache()
                .byIndex(CacheIndexes.PLANS_BY_ENVIRONMENT, CacheIndexes.key(namespace, environment))
                .stream()
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }

    @Override
    public UpdateControl<IsolatedPlan> reconcile(IsolatedPlan plan, Context<IsolatedPlan> context) {
        // An invalid plan, or a plan in an invalid environment (both past a bypassed webhook), is
        // reported; its workers are left as they are.
        List<Violation> invalid = SpecValidation.errors(plan);
        if (!invalid.isEmpty()) {
            return StatusWrites.notActedOn(
                    plan,
                    IsolatedPlanStatus::new,
                    "InvalidSpec",
                    SpecValidation.describe(invalid),
                    context,
                    clock.instant());
        }
        var environment = context.getSecondaryResource(AppServiceEnvironment.class);
        if (environment.isPresent() && !SpecValidation.acceptable(environment.get())) {
            return StatusWrites.notActedOn(
                    plan,
                    IsolatedPlanStatus::new,
                    "EnvironmentInvalid",
                    SpecValidation.describe(environment.get())
                            + " has an invalid spec (see its status); the workers are left as they are until it is fixed",
                    context,
                    clock.instant());
        }
        PlanChildren children = MemoisedPlanChildren.build(plan, context, settings);
        Optional<EnvironmentTopology> topology = children.topology();
        LegacyWorkers.Migration migration = LegacyWorkers.decide(
                context.getSecondaryResource(Deployment.class, WORKERS),
                context.getSecondaryResource(Service.class, WORKER_SERVICE),
                everyAppMoved(plan, topology, context),
                settings.legacyDrainPeriod(),
                clock.instant());
        MemoisedPlanChildren.rememberMigration(context, migration);
        context.managedWorkflowAndDependentResourceContext()
                .reconcileManagedWorkflow()
                .throwAggregateExceptionIfErrorsPresent();
        IsolatedPlanStatus status = PlanStatusFactory.compute(
                plan, topology, context.getSecondaryResource(Deployment.class, WORKERS), clock.instant());
        UpdateControl<IsolatedPlan> control = StatusWrites.patchIfChanged(plan, status, context, clock.instant());
        // The end of a drain is a time, not an event: look again then.
        if (control.getScheduleDelay().isEmpty()) {
            migration.recheckAfter().ifPresent(control::rescheduleAfter);
        }
        return control;
    }

    @Override
    public ErrorStatusUpdateControl<IsolatedPlan> updateErrorStatus(
            IsolatedPlan plan, Context<IsolatedPlan> context, Exception e) {
        return StatusWrites.failed(plan, IsolatedPlanStatus::new, context, e, clock.instant());
    }
}
