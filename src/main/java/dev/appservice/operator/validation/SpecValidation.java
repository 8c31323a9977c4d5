package dev.appservice.operator.validation;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.AppServiceEnvironmentSpec;
import dev.appservice.operator.api.CapacityLimits;
import dev.appservice.operator.api.EnvironmentVersion;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.IsolatedPlanSpec;
import dev.appservice.operator.api.SecurityRule;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppSpec;
import dev.appservice.operator.api.WorkerPool;
import dev.appservice.operator.model.FrontEndTraffic;
import dev.appservice.operator.model.PlatformVariables;
import dev.appservice.operator.model.Quoted;
import dev.appservice.operator.model.RememberedValues;
import dev.appservice.operator.model.StartTimeLimit;
import dev.appservice.operator.network.CidrNotation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The per-object rules of the API contract that the CRD schema cannot say: CIDRs and addresses
 * parsed, durations and quantities in range, names unique within a list, rules across fields (a
 * slot named by {@code spec.production}, V1-only warnings), what the API server will refuse in a
 * child. What the schema says (required fields, ranges, patterns, lengths, item counts, enums and
 * the V1/V2 rules of its {@code x-kubernetes-validations}) is said there only, and applied before
 * any of these run: by the API server before the webhook sees an object (and on every stored
 * object, the scale subresource's included), by {@code validate} and {@code render}
 * ({@code cli/Manifests}) before they bind one; the metadata rules likewise ({@link MetadataRules}
 * offline). So these rules see objects that passed the schema; on any other they stay null-safe.
 */
public final class SpecValidation {
    /** A Kubernetes label value, non-empty: what a zone must be to stand in a node affinity. */
    private static final Pattern LABEL_VALUE = Pattern.compile("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$");

    private static final Pattern PORT_RANGE = Pattern.compile("^(\\*|\\d{1,5}(-\\d{1,5})?)$");
    private static final Set<String> TAGS =
            Set.of("Internet", "VirtualNetwork", "AzureLoadBalancer", "AppServiceManagement", "*");

    private SpecValidation() {}

    public static String describe(HasMetadata resource) {
        String ns = resource.getMetadata() == null || resource.getMetadata().getNamespace() == null
                ? "default"
                : resource.getMetadata().getNamespace();
        String name = resource.getMetadata() == null || resource.getMetadata().getName() == null
                ? "<unnamed>"
                : resource.getMetadata().getName();
        return resource.getKind() + " " + ns + "/" + name;
    }

    /** Versions whose errors are remembered before starting over: far more than one operator runs. */
    private static final int VERSIONS_REMEMBERED = 16_384;

    private static final RememberedValues<ObjectVersion, List<Violation>> ERRORS_BY_VERSION =
            new RememberedValues<>(VERSIONS_REMEMBERED);

    /** One version of one object: asked of 500 apps for each review of a crowded plan, so not a concatenated string. */
    private record ObjectVersion(String uid, String resourceVersion) {}

    /**
     * The errors (not the warnings) of one resource on its own: what the reconcilers refuse to act
     * on when such a resource reached the cluster past the webhook (bypassed, or down). Remembered
     * per object version ({@code uid} and {@code resourceVersion}): every reconcile asks it of the
     * resource and of those it depends on (a plan of its environment, an environment of its plans
     * and apps), a version's answer never changes, and an environment with 4,000 NSG rules a
     * direction takes 20 ms to check (BENCHMARKS.md).
     */
    public static List<Violation> errors(HasMetadata resource) {
        String uid =
                resource.getMetadata() == null ? null : resource.getMetadata().getUid();
        String version =
                resource.getMetadata() == null ? null : resource.getMetadata().getResourceVersion();
        if (uid == null || version == null) {
            return errorsOf(resource);
        }
        return ERRORS_BY_VERSION.computeIfAbsent(new ObjectVersion(uid, version), () -> errorsOf(resource));
    }

    private static List<Violation> errorsOf(HasMetadata resource) {
        List<Violation> all = List.of();
        if (resource instanceof AppServiceEnvironment environment) {
            all = validate(environment);
        } else if (resource instanceof IsolatedPlan plan) {
            all = validate(plan);
        } else if (resource instanceof WebApp app) {
            all = validate(app);
        }
        return all.stream().filter(v -> !v.warning()).toList();
    }

    /** True when the resource has no errors of its own ({@link #errors}). */
    public static boolean acceptable(HasMetadata resource) {
        return errors(resource).isEmpty();
    }

    /** The errors as one condition message: each names object and field; at most 1,000 characters. */
    public static String describe(List<Violation> errors) {
        String message = errors.stream().map(Violation::describe).collect(java.util.stream.Collectors.joining("; "));
        return message.length() > 1000 ? message.substring(0, 1000) + "... (" + errors.size() + " problems)" : message;
    }

    public static List<Violation> validate(AppServiceEnvironment environment) {
        String object = describe(environment);
        List<Violation> problems = new ArrayList<>();
        AppServiceEnvironmentSpec spec = environment.getSpec();
        if (spec == null) {
            problems.add(Violation.error(object, "spec", "is required"));
            return problems;
        }
        // The schema requires virtualNetwork, its name (a label value) and a subnet shaped like a CIDR; parsed here.
        if (spec.getVirtualNetwork() != null) {
            var vnet = spec.getVirtualNetwork();
            if (vnet.getSubnet() != null) {
                cidr(object, "spec.virtualNetwork.subnet", vnet.getSubnet(), problems);
            }
            if (vnet.getAddressPrefixes() != null) {
                for (int i = 0; i < vnet.getAddressPrefixes().size(); i++) {
                    cidr(
                            object,
                            "spec.virtualNetwork.addressPrefixes[" + i + "]",
                            vnet.getAddressPrefixes().get(i),
                            problems);
                }
            }
        }
        boolean v1 = spec.effectiveVersion() == EnvironmentVersion.V1;
        var frontEnd = spec.getFrontEnd();
        // Ranges (scaleFactor, maxInstances, the V1 counts) and the V1/V2 field rules are the schema's.
        if (frontEnd != null && frontEnd.getScaleFactor() != null) {
            if (v1) {
                problems.add(Violation.warning(
                        object,
                        "spec.frontEnd.scaleFactor",
                        "is ignored for a V1 environment: its front ends are counted by hand (spec.frontEnd.count)"));
            }
        }
        FrontEndRules.check(object, frontEnd, problems);
        PassThroughRules.environment(object, spec, problems);
        if (spec.getMaxInstances() != null) {
            if (v1) {
                problems.add(Violation.warning(
                        object,
                        "spec.maxInstances",
                        "is ignored for a V1 environment: it holds at most " + CapacityLimits.V1_HOSTS + " hosts"));
            }
        }
        // Pool names are unique (the schema has each name's format, not the list's uniqueness).
        Set<String> names = new HashSet<>();
        List<WorkerPool> pools = spec.effectiveWorkerPools();
        for (int i = 0; i < pools.size(); i++) {
            WorkerPool pool = pools.get(i);
            if (pool != null && pool.getName() != null && !names.add(pool.getName())) {
                problems.add(Violation.error(
                        object,
                        "spec.workerPools[" + i + "].name",
                        Quoted.of(pool.getName()) + " is used by another pool"));
            }
        }
        if (spec.getZones() != null) {
            for (int i = 0; i < spec.getZones().size(); i++) {
                String zone = spec.getZones().get(i);
                if (zone == null
                        || zone.length() > 63
                        || !LABEL_VALUE.matcher(zone).matches()) {
                    problems.add(Violation.error(
                            object,
                            "spec.zones[" + i + "]",
                            "must be a node label value (letters, digits, '-', '_' and '.', "
                                    + "starting and ending with a letter or digit, at most 63 characters), got "
                                    + Quoted.of(zone)));
                }
            }
        }
        if (spec.getNetworkSecurityGroup() != null) {
            rules(
                    object,
                    "spec.networkSecurityGroup.inboundRules",
                    spec.getNetworkSecurityGroup().getInboundRules(),
                    true,
                    problems);
            rules(
                    object,
                    "spec.networkSecurityGroup.outboundRules",
                    spec.getNetworkSecurityGroup().getOutboundRules(),
                    false,
                    problems);
        }
        OutboundRules.check(object, environment, problems);
        return problems;
    }

    public static List<Violation> validate(IsolatedPlan plan) {
        String object = describe(plan);
        List<Violation> problems = new ArrayList<>();
        IsolatedPlanSpec spec = plan.getSpec();
        if (spec == null) {
            problems.add(Violation.error(object, "spec", "is required"));
        }
        // The rest of a plan's own rules (environmentName, instances, workerPool) are the schema's.
        return problems;
    }

    static final Pattern ENV_NAME = Pattern.compile("^[-._a-zA-Z][-._a-zA-Z0-9]*$");

    public static List<Violation> validate(WebApp app) {
        String object = describe(app);
        List<Violation> problems = new ArrayList<>();
        WebAppSpec spec = app.getSpec();
        if (spec == null) {
            problems.add(Violation.error(object, "spec", "is required"));
            return problems;
        }
        // Before every other rule: what one WebApp may hold is bounded, and so is the cost of checking it.
        List<Violation> overBudget = WebAppBudget.check(object, app);
        if (!overBudget.isEmpty()) {
            problems.addAll(overBudget);
            return problems;
        }
        // planName, image, port and healthCheckPath are the schema's; startTimeLimit's shape too, its range is here.
        if (spec.getStartTimeLimit() != null) {
            Optional<Duration> limit = FrontEndTraffic.duration(spec.getStartTimeLimit());
            if (limit.isEmpty()) {
                problems.add(Violation.error(
                        object,
                        "spec.startTimeLimit",
                        "must be a duration such as 230s or 10m, got " + Quoted.of(spec.getStartTimeLimit())));
            } else if (!StartTimeLimit.inRange(limit.get())) {
                problems.add(Violation.error(
                        object,
                        "spec.startTimeLimit",
                        "must be between " + StartTimeLimit.MIN.toSeconds() + "s and " + StartTimeLimit.MAX.toSeconds()
                                + "s, got " + Quoted.of(spec.getStartTimeLimit())));
            }
        }
        List<String> hosts = spec.effectiveHostNames();
        for (int i = 0; i < hosts.size(); i++) {
            HostNameRules.checkSyntax(object, "spec.hostNames[" + i + "]", hosts.get(i), problems);
        }
        if (spec.getEnv() != null) {
            for (int i = 0; i < spec.getEnv().size(); i++) {
                String name = spec.getEnv().get(i).getName();
                if (name == null || !ENV_NAME.matcher(name).matches()) {
                    problems.add(Violation.error(
                            object,
                            "spec.env[" + i + "].name",
                            "must be a valid environment variable name, got " + Quoted.of(name)));
                } else if (PlatformVariables.reserved(name)) {
                    problems.add(Violation.error(object, "spec.env[" + i + "].name", reservedVariable(name)));
                }
                var entry = spec.getEnv().get(i);
                if (entry.getValue() != null && !entry.getValue().isEmpty() && entry.getValueFrom() != null) {
                    // The API server refuses such a container; caught here, it is reported on this app alone.
                    problems.add(
                            Violation.error(object, "spec.env[" + i + "]", "may not have both value and valueFrom"));
                }
            }
        }
        AccessRestrictionRules.check(object, spec.getAccessRestrictions(), problems);
        AppTlsRules.check(object, spec.getTls(), spec.effectiveHostNames(), problems);
        PassThroughRules.app(object, spec, problems);
        SlotRules.check(object, app, problems);
        HostingKindRules.checkApp(object, app, problems);
        return problems;
    }

    /** Why an env entry may not be named after a platform variable. */
    static String reservedVariable(String name) {
        return Quoted.of(name) + " is a platform variable (" + String.join(", ", PlatformVariables.RESERVED)
                + ") that every app gets from the platform and may not be redefined; "
                + (name.equals(PlatformVariables.PORT) || name.equals(PlatformVariables.WEBSITES_PORT)
                        ? "set spec.port instead"
                        : "remove it from env");
    }

    private static void cidr(String object, String field, String value, List<Violation> problems) {
        String problem = CidrNotation.problem(value);
        if (problem != null) {
            problems.add(Violation.error(object, field, problem));
        }
    }

    private static void rules(
            String object, String field, List<SecurityRule> rules, boolean inbound, List<Violation> problems) {
        if (rules == null) {
            return;
        }
        Map<Integer, String> priorities = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            SecurityRule rule = rules.get(i);
            String f = field + "[" + i + "]";
            if (rule == null) {
                problems.add(Violation.error(object, f, "must not be null"));
                continue;
            }
            // Each rule's name, priority (100 to 4096) and access are the schema's; their uniqueness is checked here.
            if (rule.getName() != null && !names.add(rule.getName())) {
                problems.add(Violation.error(
                        object,
                        f + ".name",
                        Quoted.of(rule.getName()) + " is used by another rule in the same direction"));
            }
            if (rule.getPriority() != null) {
                String other = priorities.putIfAbsent(rule.getPriority(), String.valueOf(rule.getName()));
                if (other != null) {
                    problems.add(Violation.error(
                            object,
                            f + ".priority",
                            rule.getPriority() + " is already used by rule '" + other
                                    + "'; priorities are unique per direction"));
                }
            }
            List<String> prefixes = inbound ? rule.getSourceAddressPrefixes() : rule.getDestinationAddressPrefixes();
            String prefixField = f + (inbound ? ".sourceAddressPrefixes" : ".destinationAddressPrefixes");
            if (prefixes != null && prefixes.isEmpty()) {
                // Azure requires at least one; read as "*" it would open the environment to everyone.
                problems.add(Violation.error(
                        object,
                        prefixField,
                        "must name at least one address prefix (a CIDR or a tag; \"*\" for every "
                                + "address), got an empty list; leave the field out to mean \"*\""));
            }
            if (prefixes != null) {
                for (int j = 0; j < prefixes.size(); j++) {
                    String p = prefixes.get(j);
                    if (p == null || !TAGS.contains(p)) {
                        String cidrProblem = CidrNotation.problem(p);
                        if (cidrProblem != null) {
                            problems.add(Violation.error(
                                    object,
                                    prefixField + "[" + j + "]",
                                    "must be a CIDR or one of the tags Internet, VirtualNetwork, AzureLoadBalancer, AppServiceManagement, *: "
                                            + cidrProblem));
                        }
                    }
                }
            }
            String otherSide = inbound ? ".destinationAddressPrefixes" : ".sourceAddressPrefixes";
            if ((inbound ? rule.getDestinationAddressPrefixes() : rule.getSourceAddressPrefixes()) != null) {
                problems.add(Violation.warning(
                        object,
                        f + otherSide,
                        "is ignored: "
                                + (inbound
                                        ? "inbound rules always apply to the ASE's VIP"
                                        : "outbound rules always apply to the ASE's pods")));
            }
            if (rule.getDestinationPortRanges() != null
                    && rule.getDestinationPortRanges().isEmpty()) {
                problems.add(Violation.error(
                        object,
                        f + ".destinationPortRanges",
                        "must name at least one port or range (\"*\" for every port), "
                                + "got an empty list; leave the field out to mean \"*\""));
            }
            if (rule.getDestinationPortRanges() != null) {
                for (int j = 0; j < rule.getDestinationPortRanges().size(); j++) {
                    String range = rule.getDestinationPortRanges().get(j);
                    String portProblem = portRangeProblem(range);
                    if (portProblem != null) {
                        problems.add(Violation.error(object, f + ".destinationPortRanges[" + j + "]", portProblem));
                    }
                }
            }
        }
    }

    private static String portRangeProblem(String range) {
        if (range == null || !PORT_RANGE.matcher(range).matches()) {
            return "must be a port (1-65535), a range such as 10001-10020, or *; got " + Quoted.of(range);
        }
        if (range.equals("*")) {
            return null;
        }
        String[] parts = range.split("-");
        int from = Integer.parseInt(parts[0]);
        int to = parts.length > 1 ? Integer.parseInt(parts[1]) : from;
        if (from < 1 || to > 65535 || from > to) {
            return "must be a port (1-65535) or a rising range of ports, got " + Quoted.of(range);
        }
        return null;
    }
}
