package dev.appservice.operator.environment;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.AppServiceEnvironmentStatus;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.desired.EnvironmentChildren;
import dev.appservice.operator.environment.EnvironmentStatusFactory.ObservedChildren;
import dev.appservice.operator.informer.CacheIndexes;
import dev.appservice.operator.informer.RelevantUpdates;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.EnvironmentMembership;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.status.StatusWrites;
import dev.appservice.operator.validation.SpecValidation;
import dev.appservice.operator.validation.Violation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
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
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Reconciles an AppServiceEnvironment into its front ends (config, Deployment) and Services, then
 * aggregates their state into the status. Plans placed in the environment are watched, so a plan
 * that scales re-sizes the front ends and the figures in the status.
 */
@ControllerConfiguration(
        name = AppServiceEnvironmentReconciler.NAME,
        informer = @Informer(itemStore = SharingItemStore.class))
@Workflow(
        explicitInvocation = true,
        dependents = {
            @Dependent(name = AppServiceEnvironmentReconciler.CONFIG, type = FrontEndConfigDependent.class),
            @Dependent(name = AppServiceEnvironmentReconciler.CERTIFICATES, type = FrontEndCertificatesDependent.class),
            @Dependent(
                    name = AppServiceEnvironmentReconciler.FRONT_ENDS,
                    type = FrontEndDeploymentDependent.class,
                    dependsOn = AppServiceEnvironmentReconciler.CONFIG),
            @Dependent(
                    name = AppServiceEnvironmentReconciler.FRONT_END_BUDGET,
                    type = FrontEndDisruptionBudgetDependent.class),
            @Dependent(
                    name = AppServiceEnvironmentReconciler.ENVIRONMENT_SERVICES,
                    type = EnvironmentServicesDependent.class,
                    useEventSourceWithName = AppServiceEnvironmentReconciler.ENVIRONMENT_SERVICES_INFORMER),
            @Dependent(name = AppServiceEnvironmentReconciler.WORKER_POOLS, type = WorkerPoolDependent.class),
            @Dependent(
                    name = AppServiceEnvironmentReconciler.NETWORK_POLICIES,
                    type = NetworkPoliciesDependent.class,
                    useEventSourceWithName = AppServiceEnvironmentReconciler.NETWORK_POLICIES_INFORMER),
        })
public class AppServiceEnvironmentReconciler implements Reconciler<AppServiceEnvironment> {
    public static final String NAME = "appserviceenvironment";
    static final String CONFIG = "frontend-config";
    /** The front ends' copies of the apps' own certificates. */
    static final String CERTIFICATES = "frontend-certs";

    static final String FRONT_ENDS = "frontend";
    static final String FRONT_END_BUDGET = "frontend-budget";
    static final String ENVIRONMENT_SERVICES = "environment-services";
    static final String PLANS = "plans";
    static final String APPS = "apps";
    static final String WORKER_POOLS = "worker-pools";
    static final String NETWORK_POLICIES = "network-policies";
    /** The environment's own Services (VIP, internal, management). */
    static final String ENVIRONMENT_SERVICES_INFORMER = "services";
    /** The Services that run apps (owned by the apps), whose cluster IPs the front ends proxy to. */
    static final String APP_SERVICES = "app-services";
    /** The environment's NetworkPolicies. */
    static final String NETWORK_POLICIES_INFORMER = "network-policy-informer";

    private final Clock clock;

    @Inject
    OperatorSettings settings;

    private final AtomicReference<InformerEventSource<WebApp, AppServiceEnvironment>> appsSource =
            new AtomicReference<>();
    private final SubnetNeighbours subnetNeighbours = new SubnetNeighbours();

    public AppServiceEnvironmentReconciler() {
        this(Clock.systemUTC());
    }

    AppServiceEnvironmentReconciler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, AppServiceEnvironment>> prepareEventSources(
            EventSourceContext<AppServiceEnvironment> context) {
        var plans = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(IsolatedPlan.class, AppServiceEnvironment.class)
                        .withName(PLANS)
                        .withItemStore(new SharingItemStore<>())
                        .withOnUpdateFilter(RelevantUpdates.specOrRunningInstances())
                        .withSecondaryToPrimaryMapper((IsolatedPlan plan) -> EnvironmentMembership.environmentOf(plan)
                                .map(Set::of)
                                .orElseGet(Set::of))
                        .build(),
                context);
        var services = ownedChildren(Service.class, ENVIRONMENT_SERVICES_INFORMER, context);
        var policies = ownedChildren(NetworkPolicy.class, NETWORK_POLICIES_INFORMER, context);
        // Apps reach the environment through their plan: app → plan → environment, and back.
        var apps = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(WebApp.class, AppServiceEnvironment.class)
                        .withName(APPS)
                        .withItemStore(new SharingItemStore<>())
                        .withOnUpdateFilter(RelevantUpdates.specOrServingDeployment())
                        .withSecondaryToPrimaryMapper(
                                (WebApp app) -> EnvironmentMembership.environmentOf(app, plans::get)
                                        .map(Set::of)
                                        .orElseGet(Set::of))
                        .withPrimaryToSecondaryMapper(
                                (AppServiceEnvironment environment) -> plans.getSecondaryResources(environment).stream()
                                        .flatMap(plan -> appsOf(plan).stream())
                                        .collect(Collectors.toSet()))
                        .build(),
                context);
        apps.addIndexer(CacheIndexes.APPS_BY_PLAN, CacheIndexes.appsByPlan());
        appsSource.set(apps);
        // A Service that runs an app wakes its environment when it appears, changes or goes, so
        // the front ends learn its address; found through its owner, the app, and the app's plan.
        var appServices = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Service.class, AppServiceEnvironment.class)
                        .withItemStore(new SharingItemStore<>())
                        .withName(APP_SERVICES)
                        .withLabelSelector(StandardLabels.MANAGED_SELECTOR + "," + StandardLabels.PLAN)
                        .withSecondaryToPrimaryMapper((Service service) -> environmentsOwning(service, plans))
                        .build(),
                context);
        return List.of(
                plans,
                services,
                policies,
                apps,
                appServices,
                subnetNeighbours.eventSource(context),
                AppEdgeSources.secrets(context, apps, plans),
                AppEdgeSources.endpoints(context, apps, plans, appServices));
    }

    @Override
    public UpdateControl<AppServiceEnvironment> reconcile(
            AppServiceEnvironment environment, Context<AppServiceEnvironment> context) {
        // A spec the webhook would have refused (it was bypassed or down) is reported, and the
        // children are left as they are: never half-applied, never torn down for a typo.
        List<Violation> invalid = SpecValidation.errors(environment);
        if (!invalid.isEmpty()) {
            return StatusWrites.notActedOn(
                    environment,
                    AppServiceEnvironmentStatus::new,
                    "InvalidSpec",
                    SpecValidation.describe(invalid),
                    context,
                    clock.instant());
        }
        // Valid, but its subnet is an earlier environment's, or its policies would not fit the API server: held
        // likewise.
        EnvironmentChildren children = MemoisedChildren.build(environment, context, settings);
        var hold = NetworkHolds.of(environment, subnetNeighbours.of(environment), children::network);
        if (hold.isPresent()) {
            return StatusWrites.notActedOn(
                    environment,
                    AppServiceEnvironmentStatus::new,
                    hold.get().reason(),
                    hold.get().message(),
                    context,
                    clock.instant());
        }
        context.managedWorkflowAndDependentResourceContext()
                .reconcileManagedWorkflow()
                .throwAggregateExceptionIfErrorsPresent();
        EgressGatewayDependent.Observation outbound =
                EgressGatewayDependent.reconcile(context.getClient(), environment, children, readNodes());
        // Ready means every child of the desired value is observed: what the workflow's dependents see
        // (DependentsObserved, derived from the workflow), and the egress gateway, which is reconciled by hand.
        List<HasMetadata> observed = new ArrayList<>(DependentsObserved.of(environment, context));
        outbound.gateway()
                .flatMap(EgressGatewayDependent.GatewayState::observed)
                .ifPresent(observed::add);
        AppServiceEnvironmentStatus status =
                EnvironmentStatusFactory.compute(children, ObservedChildren.of(observed), outbound, clock.instant());
        UpdateControl<AppServiceEnvironment> control =
                StatusWrites.patchIfChanged(environment, status, context, clock.instant());
        // The provider's object and the nodes are not watched: looked at again after a while.
        if (outbound.gateway().isPresent()
                && !EgressGatewayDependent.REASON_ASSIGNED.equals(
                        outbound.gateway().get().reason())) {
            control.rescheduleAfter(outboundRecheck());
        } else if (outbound.possibleAddresses().isPresent()) {
            control.rescheduleAfter(NODE_ADDRESSES_RECHECK);
        }
        return control;
    }

    /** How soon an egress gateway whose address is not assigned yet (or whose provider is missing) is looked at again. */
    static final java.time.Duration OUTBOUND_RECHECK = java.time.Duration.ofSeconds(30);

    private static java.time.Duration outboundRecheck() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("ase.outbound.recheck", java.time.Duration.class)
                .orElse(OUTBOUND_RECHECK);
    }
    /** How often the nodes that run the apps are looked at again for status.outbound.possibleAddresses. */
    static final java.time.Duration NODE_ADDRESSES_RECHECK = java.time.Duration.ofMinutes(5);

    /**
     * Whether the chart lets the operator read nodes ({@code outbound.readNodes}, which sets
     * {@code ASE_OUTBOUND_READ_NODES}): without it, status.outbound.possibleAddresses is absent.
     */
    private boolean readNodes() {
        Boolean override = readNodesOverride;
        return override != null
                ? override
                : org.eclipse.microprofile.config.ConfigProvider.getConfig()
                        .getOptionalValue(READ_NODES, Boolean.class)
                        .orElse(false);
    }

    /** Tests set this to act as if the chart's outbound.readNodes were on (or off); null reads the configuration. */
    static volatile Boolean readNodesOverride;

    /** The configuration key (environment variable ASE_OUTBOUND_READ_NODES) that says nodes may be read. */
    static final String READ_NODES = "ase.outbound.read-nodes";

    /** One informer for the environments' children of a kind, shared by the dependents of that kind. */
    private static <R extends io.fabric8.kubernetes.api.model.HasMetadata>
            InformerEventSource<R, AppServiceEnvironment> ownedChildren(
                    Class<R> type, String name, EventSourceContext<AppServiceEnvironment> context) {
        return new InformerEventSource<>(
                InformerEventSourceConfiguration.from(type, AppServiceEnvironment.class)
                        .withItemStore(new SharingItemStore<>())
                        .withName(name)
                        .withLabelSelector(StandardLabels.MANAGED_SELECTOR)
                        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(AppServiceEnvironment.class))
                        .build(),
                context);
    }

    private Set<ResourceID> environmentsOwning(
            Service service, InformerEventSource<IsolatedPlan, AppServiceEnvironment> plans) {
        String namespace = service.getMetadata().getNamespace();
        Set<ResourceID> environments = new java.util.HashSet<>();
        for (var owner : service.getMetadata().getOwnerReferences()) {
            if (!WebApp.class.getSimpleName().equals(owner.getKind()) || appsSource.get() == null) {
                continue;
            }
            appsSource
                    .get()
                    .get(new ResourceID(owner.getName(), namespace))
                    .flatMap(app -> EnvironmentMembership.environmentOf(app, plans::get))
                    .ifPresent(environments::add);
        }
        return environments;
    }

    private Set<ResourceID> appsOf(IsolatedPlan plan) {
        InformerEventSource<WebApp, AppServiceEnvironment> apps = appsSource.get();
        if (apps == null) {
            return Set.of();
        }
        return apps
                .byIndex(
                        CacheIndexes.APPS_BY_PLAN,
                        CacheIndexes.key(
                                plan.getMetadata().getNamespace(),
                                plan.getMetadata().getName()))
                .stream()
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }

    @Override
    public ErrorStatusUpdateControl<AppServiceEnvironment> updateErrorStatus(
            AppServiceEnvironment environment, Context<AppServiceEnvironment> context, Exception e) {
        return StatusWrites.failed(environment, AppServiceEnvironmentStatus::new, context, e, clock.instant());
    }
}
