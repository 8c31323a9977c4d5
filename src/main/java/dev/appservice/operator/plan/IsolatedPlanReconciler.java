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
import dev.appservice.operator.model.EnvironmentMembership;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.status.StatusWrites;
import dev.appservice.operator.validation.SpecValidation;
import dev.appservice.operator.validation.Violation;
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
 * decide what is left for this one) and its apps (whose number decides what the placeholder holds).
 */
@ControllerConfiguration(name = IsolatedPlanReconciler.NAME, informer = @Informer(itemStore = SharingItemStore.class))
@Workflow(
        explicitInvocation = true,
        dependents = {
            @Dependent(
                    name = IsolatedPlanReconciler.WORKERS,
                    type = WorkerDeploymentDependent.class,
                    reconcilePrecondition = WorkersWantedCondition.class),
        })
public class IsolatedPlanReconciler implements Reconciler<IsolatedPlan> {
    public static final String NAME = "isolatedplan";
    static final String WORKERS = "workers";
    static final String ENVIRONMENTS = "environments";
    static final String SIBLINGS = "sibling-plans";
    static final String APPS = "apps";

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
                        .withSecondaryToPrimaryMapper((AppServiceEnvironment environment) ->
                                plansOf(context, ResourceID.fromResource(environment)))
                        .withPrimaryToSecondaryMapper((IsolatedPlan plan) -> EnvironmentMembership.environmentOf(plan)
                                .map(Set::of)
                                .orElseGet(Set::of))
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
                        .withSecondaryToPrimaryMapper((IsolatedPlan plan) -> EnvironmentMembership.environmentOf(plan)
                                .map(environment -> plansOf(context, environment))
                                .orElseGet(Set::of))
                        .withPrimaryToSecondaryMapper((IsolatedPlan plan) -> Set.of())
                        .build(),
                context);
        var apps = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(WebApp.class, IsolatedPlan.class)
                        .withName(APPS)
                        .withItemStore(new SharingItemStore<>())
                        .withOnUpdateFilter(RelevantUpdates.spec())
                        .withSecondaryToPrimaryMapper((WebApp app) ->
                                EnvironmentMembership.planOf(app).map(Set::of).orElseGet(Set::of))
                        .build(),
                context);
        return List.of(environments, siblings, apps);
    }

    /** The plans that belong to the environment (the index is keyed by {@link EnvironmentMembership}). */
    private static Set<ResourceID> plansOf(EventSourceContext<IsolatedPlan> context, ResourceID environment) {
        return context
                .getPrimaryCache()
                .byIndex(CacheIndexes.PLANS_BY_ENVIRONMENT, CacheIndexes.key(environment))
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
        context.managedWorkflowAndDependentResourceContext()
                .reconcileManagedWorkflow()
                .throwAggregateExceptionIfErrorsPresent();
        IsolatedPlanStatus status = PlanStatusFactory.compute(
                plan, topology, context.getSecondaryResource(Deployment.class, WORKERS), clock.instant());
        return StatusWrites.patchIfChanged(plan, status, context, clock.instant());
    }

    @Override
    public ErrorStatusUpdateControl<IsolatedPlan> updateErrorStatus(
            IsolatedPlan plan, Context<IsolatedPlan> context, Exception e) {
        return StatusWrites.failed(plan, IsolatedPlanStatus::new, context, e, clock.instant());
    }
}
