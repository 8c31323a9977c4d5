package dev.appservice.operator.webapp;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppStatus;
import dev.appservice.operator.desired.AppCertificates;
import dev.appservice.operator.desired.AppWorkloads;
import dev.appservice.operator.informer.AppSecretSource;
import dev.appservice.operator.informer.CacheIndexes;
import dev.appservice.operator.informer.PodStateItemStore;
import dev.appservice.operator.informer.RelevantUpdates;
import dev.appservice.operator.informer.SharingItemStore;
import dev.appservice.operator.model.AppDeployments;
import dev.appservice.operator.model.EnvironmentMembership;
import dev.appservice.operator.model.StandardLabels;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.status.StatusWrites;
import dev.appservice.operator.validation.SpecValidation;
import dev.appservice.operator.validation.Violation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
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
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reconciles a WebApp into what runs it, on its own: a Deployment with one pod per instance of its
 * plan and a Service selecting only those pods (both owned by the app, see {@link AppWorkloads}),
 * and keeps its status (URLs, its own ready instances). The front ends route to its Service
 * (AppServiceEnvironmentReconciler). Nothing another app runs is read to build them but the order
 * in which the plan's apps were admitted (its density, {@code AppDensity}), so a change to one app
 * writes nothing of another's.
 */
@ControllerConfiguration(name = WebAppReconciler.NAME, informer = @Informer(itemStore = SharingItemStore.class))
@Workflow(
        explicitInvocation = true,
        dependents = {
            @Dependent(
                    name = WebAppReconciler.APP_DEPLOYMENT,
                    type = AppDeploymentDependent.class,
                    reconcilePrecondition = AppAdmittedCondition.class),
            @Dependent(
                    name = WebAppReconciler.APP_SERVICE,
                    type = AppServiceDependent.class,
                    reconcilePrecondition = AppAdmittedCondition.class),
            @Dependent(
                    name = WebAppReconciler.SLOT_DEPLOYMENTS,
                    type = SlotDeploymentDependent.class,
                    reconcilePrecondition = AppAdmittedCondition.class),
            @Dependent(
                    name = WebAppReconciler.SLOT_SERVICES,
                    type = SlotServiceDependent.class,
                    reconcilePrecondition = SlotsAdmittedCondition.class),
            @Dependent(
                    name = WebAppReconciler.FUNCTION_KEYS,
                    type = FunctionKeysDependent.class,
                    reconcilePrecondition = FunctionKeysWantedCondition.class),
            @Dependent(
                    name = WebAppReconciler.DISRUPTION_BUDGETS,
                    type = AppDisruptionBudgetDependent.class,
                    reconcilePrecondition = AppAdmittedCondition.class),
            @Dependent(
                    name = WebAppReconciler.PEERS_POLICY,
                    type = AppPeersPolicyDependent.class,
                    reconcilePrecondition = AppAdmittedCondition.class),
        })
public class WebAppReconciler implements Reconciler<WebApp> {
    public static final String NAME = "webapp";
    static final String PLANS = "plans";
    static final String ENVIRONMENTS = "environments";
    static final String SIBLINGS = "sibling-apps";
    /** The kubernetes.io/tls Secrets apps name in spec.tls.secretName. */
    static final String APP_SECRETS = "app-secrets";
    /** The pods of apps and their slots (their states only, see PodStateItemStore). */
    static final String APP_PODS = "app-pods";

    static final String APP_DEPLOYMENT = "app-deployment";
    static final String APP_SERVICE = "app-service";
    static final String SLOT_DEPLOYMENTS = "slot-deployments";
    static final String SLOT_SERVICES = "slot-services";
    static final String DISRUPTION_BUDGETS = "disruption-budgets";
    static final String PEERS_POLICY = "peers-policy";
    /** A function app's keys Secret. */
    static final String FUNCTION_KEYS = "function-keys";

    private final Clock clock = Clock.systemUTC();

    @Override
    public List<EventSource<?, WebApp>> prepareEventSources(EventSourceContext<WebApp> context) {
        context.getPrimaryCache()
                .addIndexers(java.util.Map.of(
                        CacheIndexes.APPS_BY_PLAN, CacheIndexes.appsByPlan(),
                        CacheIndexes.APPS_BY_HOST_NAME, CacheIndexes.appsByHostName(),
                        CacheIndexes.APPS_BY_TLS_SECRET, CacheIndexes.appsByTlsSecret()));
        var plans = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(IsolatedPlan.class, WebApp.class)
                        .withName(PLANS)
                        .withItemStore(new SharingItemStore<>())
                        .withSecondaryToPrimaryMapper((IsolatedPlan plan) -> context
                                .getPrimaryCache()
                                .byIndex(
                                        CacheIndexes.APPS_BY_PLAN,
                                        CacheIndexes.key(
                                                plan.getMetadata().getNamespace(),
                                                plan.getMetadata().getName()))
                                .stream()
                                .map(ResourceID::fromResource)
                                .collect(Collectors.toSet()))
                        .withPrimaryToSecondaryMapper((WebApp app) ->
                                EnvironmentMembership.planOf(app).map(Set::of).orElseGet(Set::of))
                        .build(),
                context);
        plans.addIndexers(CacheIndexes.plansByEnvironment());
        var environments = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(AppServiceEnvironment.class, WebApp.class)
                        .withName(ENVIRONMENTS)
                        .withItemStore(new SharingItemStore<>())
                        .withOnUpdateFilter(RelevantUpdates.spec())
                        // An environment wakes the apps of its own plans, not every app of the namespace.
                        .withSecondaryToPrimaryMapper((AppServiceEnvironment environment) -> plans
                                .byIndex(
                                        CacheIndexes.PLANS_BY_ENVIRONMENT,
                                        CacheIndexes.key(ResourceID.fromResource(environment)))
                                .stream()
                                .flatMap(plan -> context
                                        .getPrimaryCache()
                                        .byIndex(
                                                CacheIndexes.APPS_BY_PLAN,
                                                CacheIndexes.key(
                                                        plan.getMetadata().getNamespace(),
                                                        plan.getMetadata().getName()))
                                        .stream())
                                .map(ResourceID::fromResource)
                                .collect(Collectors.toSet()))
                        .withPrimaryToSecondaryMapper(
                                (WebApp app) -> EnvironmentMembership.environmentOf(app, plans::get)
                                        .map(Set::of)
                                        .orElseGet(Set::of))
                        .build(),
                context);
        // Whether an app is within its plan's density depends on the apps admitted before it: when one
        // appears, goes, or changes its spec (it may become invalid or valid), its siblings look again.
        var siblings = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(WebApp.class, WebApp.class)
                        .withName(SIBLINGS)
                        .withItemStore(new SharingItemStore<>())
                        .withOnUpdateFilter(RelevantUpdates.spec())
                        // The apps of its plan (density), and the apps holding one of its host names on any plan: a
                        // name held by the app created first passes to the next when it goes (HostNameClaims).
                        .withSecondaryToPrimaryMapper((WebApp app) -> app.getSpec() == null
                                ? Set.of()
                                : java.util.stream.Stream.concat(
                                                context
                                                        .getPrimaryCache()
                                                        .byIndex(
                                                                CacheIndexes.APPS_BY_PLAN,
                                                                CacheIndexes.key(
                                                                        app.getMetadata()
                                                                                .getNamespace(),
                                                                        app.getSpec()
                                                                                .getPlanName()))
                                                        .stream(),
                                                CacheIndexes.appsByHostName().apply(app).stream()
                                                        .flatMap(bucket -> context
                                                                .getPrimaryCache()
                                                                .byIndex(CacheIndexes.APPS_BY_HOST_NAME, bucket)
                                                                .stream())
                                                        .filter(other -> CacheIndexes.shareHostName(app, other)))
                                        .map(ResourceID::fromResource)
                                        .collect(Collectors.toSet()))
                        .withPrimaryToSecondaryMapper((WebApp app) -> Set.of())
                        .build(),
                context);
        siblings.addIndexer(CacheIndexes.APPS_BY_PLAN, CacheIndexes.appsByPlan());
        // An app's own certificate: its Secret appearing, changing or going changes its CertificateReady condition.
        var secrets = AppSecretSource.of(
                InformerEventSourceConfiguration.from(Secret.class, WebApp.class)
                        .withName(APP_SECRETS)
                        .withFieldSelector(
                                new FieldSelector(new FieldSelector.Field("type", AppCertificates.SECRET_TYPE)))
                        .withSecondaryToPrimaryMapper(
                                (Secret secret) -> appsNaming(ResourceID.fromResource(secret), context).stream()
                                        .map(ResourceID::fromResource)
                                        .collect(Collectors.toSet()))
                        .withPrimaryToSecondaryMapper((WebApp app) ->
                                app.getSpec() == null || app.getSpec().tlsSecretName() == null
                                        ? Set.of()
                                        : Set.of(new ResourceID(
                                                app.getSpec().tlsSecretName(),
                                                app.getMetadata().getNamespace()))),
                secret -> !appsNaming(secret, context).isEmpty(),
                context);
        // The app's and its slots' pods: why instances do not serve (InstanceFailures). Only their states are cached.
        var pods = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Pod.class, WebApp.class)
                        .withName(APP_PODS)
                        .withLabelSelector(StandardLabels.APP_PODS_SELECTOR)
                        .withItemStore(new PodStateItemStore())
                        .withOnUpdateFilter(
                                (Pod newer, Pod older) -> !Objects.equals(newer.getStatus(), older.getStatus())
                                        || !Objects.equals(
                                                newer.getMetadata().getDeletionTimestamp(),
                                                older.getMetadata().getDeletionTimestamp()))
                        .withSecondaryToPrimaryMapper((Pod pod) -> CacheIndexes.podsByApp().apply(pod).stream()
                                .flatMap(key -> context.getPrimaryCache()
                                        .list(
                                                pod.getMetadata().getNamespace(),
                                                app -> CacheIndexes.appPodsKey(
                                                                app.getMetadata()
                                                                        .getNamespace(),
                                                                app.getMetadata()
                                                                        .getName())
                                                        .equals(key)))
                                .map(ResourceID::fromResource)
                                .collect(Collectors.toSet()))
                        .withPrimaryToSecondaryMapper((WebApp app) -> Set.of())
                        .build(),
                context);
        pods.addIndexer(CacheIndexes.PODS_BY_APP, CacheIndexes.podsByApp());
        return List.of(plans, environments, siblings, secrets, pods);
    }

    @Override
    public UpdateControl<WebApp> reconcile(WebApp app, Context<WebApp> context) {
        // An invalid app (past a bypassed webhook) is left out of the front ends and its siblings'
        // density (see the topologies), says so here, and its own objects are left as they are.
        List<Violation> invalid = SpecValidation.errors(app);
        if (!invalid.isEmpty()) {
            return StatusWrites.notActedOn(
                    app, WebAppStatus::new, "InvalidSpec", SpecValidation.describe(invalid), context, clock.instant());
        }
        Optional<IsolatedPlan> plan = context.getSecondaryResource(IsolatedPlan.class);
        Optional<AppServiceEnvironment> environment =
                plan.flatMap(p -> context.getSecondaryResource(AppServiceEnvironment.class)
                        .filter(e -> EnvironmentMembership.belongsTo(p, e)));
        // An invalid plan or environment leaves what runs its apps as it is, as it does its own workers.
        if (plan.isPresent() && !SpecValidation.acceptable(plan.get())) {
            return StatusWrites.notActedOn(
                    app,
                    WebAppStatus::new,
                    "PlanInvalid",
                    SpecValidation.describe(plan.get())
                            + " has an invalid spec (see its status); the app's instances are left as they are until it is fixed",
                    context,
                    clock.instant());
        }
        if (environment.isPresent() && !SpecValidation.acceptable(environment.get())) {
            return StatusWrites.notActedOn(
                    app,
                    WebAppStatus::new,
                    "EnvironmentInvalid",
                    SpecValidation.describe(environment.get())
                            + " has an invalid spec (see its status); the app's instances are left as they are until it is fixed",
                    context,
                    clock.instant());
        }
        // A missing parent (a plan or environment deleted, or not created yet) never deletes what runs the app: its
        // instances stay until the app itself is deleted, so a parent re-created (as GitOps does) restarts nothing.
        boolean planGone = plan.isEmpty() || plan.get().getMetadata().getDeletionTimestamp() != null;
        if (planGone || environment.isEmpty() || AppPlacement.from(app, context).isEmpty()) {
            return StatusWrites.notActedOn(
                    app,
                    WebAppStatus::new,
                    planGone ? "PlanNotFound" : "EnvironmentNotFound",
                    planGone
                            ? "IsolatedPlan " + app.getMetadata().getNamespace() + "/"
                                    + app.getSpec().getPlanName()
                                    + " does not exist; the app's instances are left as they are and it runs once the plan does"
                            : EnvironmentMembership.describeEnvironmentOf(plan.get()) + " of IsolatedPlan "
                                    + app.getMetadata().getNamespace() + "/"
                                    + plan.get().getMetadata().getName()
                                    + " does not exist; the app's instances are left as they are until it does",
                    context,
                    clock.instant());
        }
        context.managedWorkflowAndDependentResourceContext()
                .reconcileManagedWorkflow()
                .throwAggregateExceptionIfErrorsPresent();
        // The app's own certificate: reported beside Ready, never holding the app back (its names fall back to the
        // environment's).
        List<Conditions.Desired> certificates = new ArrayList<>();
        Optional<Conditions.Desired> issued = IssuedCertificates.reconcile(app, context.getClient());
        issued.ifPresent(certificates::add);
        AppCertificateConditions.of(app, environment, appSecret(app, context)).ifPresent(certificates::add);
        WebAppStatus status = WebAppStatusFactory.compute(new WebAppStatusFactory.Inputs(
                app,
                plan,
                environment,
                AppPlacement.from(app, context),
                deploymentsOf(app, context),
                appPods(app, context),
                certificates,
                clock.instant()));
        UpdateControl<WebApp> written = StatusWrites.patchIfChanged(app, status, context, clock.instant());
        // Nothing announces cert-manager's arrival (no informer on a kind that may not exist): look again after a
        // while.
        return issued.filter(c -> !c.status()).isPresent()
                        && written.getScheduleDelay().isEmpty()
                ? written.rescheduleAfter(IssuedCertificates.RECHECK)
                : written;
    }

    /** The pods of the app and its slots, as the pods' informer holds them (their states only). */
    @SuppressWarnings("unchecked")
    private static List<Pod> appPods(WebApp app, Context<WebApp> context) {
        var pods = (InformerEventSource<Pod, WebApp>)
                context.eventSourceRetriever().getEventSourceFor(Pod.class, APP_PODS);
        return pods.byIndex(
                CacheIndexes.PODS_BY_APP,
                CacheIndexes.appPodsKey(
                        app.getMetadata().getNamespace(), app.getMetadata().getName()));
    }

    /** The Deployments of the app's deployments, by deployment name, as this controller's informers hold them. */
    @SuppressWarnings("unchecked")
    private static Function<String, Optional<Deployment>> deploymentsOf(WebApp app, Context<WebApp> context) {
        var slots = (InformerEventSource<Deployment, WebApp>)
                context.eventSourceRetriever().getEventSourceFor(Deployment.class, SLOT_DEPLOYMENTS);
        return deployment -> AppDeployments.PRODUCTION.equals(deployment)
                ? context.getSecondaryResource(Deployment.class, APP_DEPLOYMENT)
                : slots.get(new ResourceID(
                        AppDeployments.workload(app.getMetadata().getName(), deployment),
                        app.getMetadata().getNamespace()));
    }

    @Override
    public ErrorStatusUpdateControl<WebApp> updateErrorStatus(WebApp app, Context<WebApp> context, Exception e) {
        return StatusWrites.failed(app, WebAppStatus::new, context, e, clock.instant());
    }

    private static List<WebApp> appsNaming(ResourceID secret, EventSourceContext<WebApp> context) {
        return context.getPrimaryCache()
                .byIndex(
                        CacheIndexes.APPS_BY_TLS_SECRET,
                        CacheIndexes.key(secret.getNamespace().orElse(null), secret.getName()));
    }

    /** The app's own certificate Secret, with its data, if it names one and it exists. */
    @SuppressWarnings("unchecked")
    private static Optional<Secret> appSecret(WebApp app, Context<WebApp> context) {
        String name = app.getSpec().tlsSecretName();
        if (name == null) {
            return Optional.empty();
        }
        var source =
                (AppSecretSource<WebApp>) context.eventSourceRetriever().getEventSourceFor(Secret.class, APP_SECRETS);
        return source.read(new ResourceID(name, app.getMetadata().getNamespace()));
    }
}
