package dev.appservice.operator.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels on every object the operator creates: the {@code app.kubernetes.io/*} recommended
 * labels plus {@code appservice.dev/*} ones that say which environment, plan and role it belongs to.
 * Selectors use only the {@code appservice.dev/*} labels, which never change for a live object.
 */
public final class StandardLabels {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String ENVIRONMENT = "appservice.dev/environment";
    public static final String PLAN = "appservice.dev/plan";
    public static final String ROLE = "appservice.dev/role";
    public static final String POOL = "appservice.dev/worker-pool";
    /** The app an object or pod runs (its name, as a label value). */
    public static final String WEBAPP = "appservice.dev/webapp";
    /** On a deployment slot's Deployment, Service and pods: the slot's name (their {@link #WEBAPP} is the slot's workload). */
    public static final String SLOT = "appservice.dev/slot";

    public static final String VIRTUAL_NETWORK = "appservice.dev/virtual-network";
    /**
     * On the app pods of an environment with a fixed outbound address (spec.outbound.egressGateway):
     * what the provider's object selects them by, and how other environments' NetworkPolicies tell
     * them from the pods of environments without one.
     */
    public static final String OUTBOUND = "appservice.dev/outbound";

    public static final String OUTBOUND_EGRESS_GATEWAY = "egress-gateway";
    /** On a cluster-scoped child (an egress gateway's object): the namespace of its environment. */
    public static final String ENVIRONMENT_NAMESPACE = "appservice.dev/environment-namespace";

    public static final String OPERATOR_NAME = "ase-operator";
    /** Label selector for the operator's informers: only what the operator made is cached. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR_NAME;
    /** A plan's own worker objects (its placeholder Deployment), not the apps' own. */
    public static final String PLAN_WORKERS_SELECTOR =
            MANAGED_SELECTOR + "," + "appservice.dev/role=worker,!" + "appservice.dev/webapp";
    /** The objects that run one app each. */
    public static final String APP_WORKLOADS_SELECTOR = MANAGED_SELECTOR + "," + "appservice.dev/webapp";
    /** The pods of apps and their slots. */
    public static final String APP_PODS_SELECTOR = APP_WORKLOADS_SELECTOR + "," + "appservice.dev/role=worker";
    /** The Deployments and Services that run an app's own deployment (not its slots'). */
    public static final String APP_OWN_WORKLOADS_SELECTOR = APP_WORKLOADS_SELECTOR + ",!" + "appservice.dev/slot";
    /** The Deployments and Services that run an app's deployment slots. */
    public static final String SLOT_WORKLOADS_SELECTOR = APP_WORKLOADS_SELECTOR + "," + "appservice.dev/slot";

    public static final String ROLE_FRONT_END = "front-end";
    public static final String ROLE_WORKER = "worker";
    public static final String ROLE_WORKER_POOL = "worker-pool";

    private StandardLabels() {}

    /** Labels of an object that belongs to an environment, in the given role. */
    public static Map<String, String> forEnvironment(String environment, String role) {
        return recommended("app-service-environment", environment, role, environment, roleSelector(environment, role));
    }

    /** Labels of an object that belongs to a plan of an environment. */
    public static Map<String, String> forPlan(String environment, String plan) {
        return recommended("isolated-plan", plan, ROLE_WORKER, environment, workerSelector(environment, plan));
    }

    private static Map<String, String> recommended(
            String name, String instance, String component, String environment, Map<String, String> selector) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, name);
        labels.put(INSTANCE, ResourceNames.labelValue(instance));
        labels.put(COMPONENT, component);
        labels.put(PART_OF, ResourceNames.labelValue(environment));
        labels.put(MANAGED_BY, OPERATOR_NAME);
        labels.putAll(selector);
        return labels;
    }

    /**
     * Labels of the Deployment and Service that run one app of a plan: the plan's labels plus
     * {@link #WEBAPP}.
     */
    public static Map<String, String> forApp(String environment, String plan, String app) {
        Map<String, String> labels =
                recommended("web-app", app, ROLE_WORKER, environment, workerSelector(environment, plan));
        labels.put(WEBAPP, ResourceNames.labelValue(app));
        return labels;
    }

    /**
     * Labels of one app's pods, and the selector of its Deployment and Service: the environment, the
     * worker role (the environment's worker NetworkPolicy selects by role) and the app. Not the plan:
     * the plan's own selector ({@link #workerSelector}, immutable on its Deployment) must not match
     * an app's pods, or the placeholder (and, during an upgrade, the old Service) would take them.
     */
    public static Map<String, String> appSelector(String environment, String app) {
        Map<String, String> labels = roleSelector(environment, ROLE_WORKER);
        labels.put(WEBAPP, ResourceNames.labelValue(app));
        return labels;
    }

    /** Labels of one app's pods: the recommended labels and {@link #appSelector}. */
    public static Map<String, String> forAppPods(String environment, String app) {
        return recommended("web-app", app, ROLE_WORKER, environment, appSelector(environment, app));
    }

    /** Selects an environment's pods of one role. */
    public static Map<String, String> roleSelector(String environment, String role) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ENVIRONMENT, ResourceNames.labelValue(environment));
        labels.put(ROLE, role);
        return labels;
    }

    /** Selects the worker pods of one plan. */
    public static Map<String, String> workerSelector(String environment, String plan) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ENVIRONMENT, ResourceNames.labelValue(environment));
        labels.put(PLAN, ResourceNames.labelValue(plan));
        labels.put(ROLE, ROLE_WORKER);
        return labels;
    }

    /** A selector as the string form {@code k=v,k=v} used by the scale subresource. */
    public static String selectorString(Map<String, String> selector) {
        StringBuilder sb = new StringBuilder();
        selector.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(k).append('=').append(v);
        });
        return sb.toString();
    }
}
