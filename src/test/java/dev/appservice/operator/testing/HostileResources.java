package dev.appservice.operator.testing;

import dev.appservice.operator.api.AccessRestriction;
import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.EnvironmentVersion;
import dev.appservice.operator.api.FrontEndSettings;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.LoadBalancerSettings;
import dev.appservice.operator.api.LoadBalancerType;
import dev.appservice.operator.api.NetworkSecurityGroup;
import dev.appservice.operator.api.RuleAccess;
import dev.appservice.operator.api.RuleProtocol;
import dev.appservice.operator.api.SecurityRule;
import dev.appservice.operator.api.TlsSettings;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppSpec;
import dev.appservice.operator.api.WebAppStatus;
import dev.appservice.operator.api.WorkerPool;
import dev.appservice.operator.model.EnvironmentTopology;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Randomized hostile custom resources from a fixed seed: half the cases hostile (huge and negative
 * counts, empty and unicode strings, invalid CIDRs and ports, duplicate priorities, references to
 * nothing), half valid but extreme (names so long that child names would pass 63 characters,
 * thousands of NSG rules, big pools). Each case is an environment, a plan and an app, in
 * namespaces {@code ns-0} to {@code ns-6}. The same seed gives the same cases.
 */
public final class HostileResources {
    static final List<String> NASTY = List.of(
            "",
            " ",
            "a",
            "ü-nïcødé",
            "😀",
            "-leading",
            "trailing-",
            "UPPER",
            "dots.in.name",
            "x".repeat(63),
            "y".repeat(64),
            "a".repeat(253),
            "a".repeat(300),
            "10.0.0.0/33",
            "256.1.1.1/8",
            "::/129",
            "fd00::/64",
            "10.0.0.0/8",
            "not a cidr",
            "0.0.0.0/0",
            "*",
            "Internet",
            "VirtualNetwork",
            "AppServiceManagement",
            "AzureLoadBalancer",
            "1-65535",
            "0",
            "65536",
            "80-79",
            "443");

    /**
     * Host names an attacker or a careless user would try (issue 18): under an environment's
     * dnsSuffix (the fixtures' and the generated "apps.example.com"), wildcards covering it, labels
     * and names past their limits, a name other cases claim too, control characters.
     */
    static final List<String> HOSTILE_HOSTS = List.of(
            "*.apps.example.com",
            "payments.apps.example.com",
            "apps.example.com",
            "*.example.com",
            "*.p.appservice.local",
            "*.appservice.local",
            "*.local",
            "l".repeat(64) + ".example.com",
            "h.".repeat(126) + "com",
            "www.example.com",
            "*.*.example.com",
            "www..example.com",
            "www.example.com.",
            "evil.example.com\nreturn 302 http://x/;",
            "a\u001B[31m.example.com",
            "*",
            "*.com",
            "xn--bcher-kva.example.com",
            "WWW.EXAMPLE.COM",
            "www.example.com ");

    /** One case: whether it was generated hostile, and its three resources. */
    public record Case(int index, boolean hostile, AppServiceEnvironment environment, IsolatedPlan plan, WebApp app) {}

    private final Random random;
    private boolean hostile;

    public HostileResources(long seed) {
        this.random = new Random(seed);
    }

    /** The next case; call with 0, 1, 2... (the index picks namespaces). */
    public Case next(int index) {
        hostile = random.nextBoolean();
        AppServiceEnvironment ase = hostileEnvironment(index);
        IsolatedPlan plan = hostilePlan(ase, index % 7);
        WebApp app = hostileApp(plan.getMetadata().getName(), plan.getMetadata().getNamespace());
        return new Case(index, hostile, ase, plan, app);
    }

    private String pick() {
        return NASTY.get(random.nextInt(NASTY.size()));
    }

    private String pickHost() {
        int i = random.nextInt(NASTY.size() + HOSTILE_HOSTS.size());
        return i < NASTY.size() ? NASTY.get(i) : HOSTILE_HOSTS.get(i - NASTY.size());
    }

    /** True for a hostile case, one time in n. */
    private boolean bad(int n) {
        return hostile && random.nextInt(n) == 0;
    }

    /** A name: often valid but long (to stress child names), sometimes hostile. */
    private String name() {
        return switch (random.nextInt(5)) {
            case 0 -> hostile ? pick() : "z" + "q".repeat(random.nextInt(62));
            case 1 -> "a" + "b".repeat(random.nextInt(252));
            case 2 -> "n" + random.nextInt(1000) + "." + "x".repeat(random.nextInt(80)) + ".y";
            default -> "ase-" + Integer.toString(random.nextInt(1 << 20), 36);
        };
    }

    private int count() {
        if (!hostile) {
            return 5 + random.nextInt(6);
        }
        return switch (random.nextInt(6)) {
            case 0 -> Integer.MAX_VALUE;
            case 1 -> Integer.MIN_VALUE;
            case 2 -> -1;
            case 3 -> 0;
            default -> random.nextInt(300);
        };
    }

    private AppServiceEnvironment hostileEnvironment(int i) {
        AppServiceEnvironment ase = Fixtures.environment("ns-" + i % 7, name());
        var spec = ase.getSpec();
        if (bad(4)) {
            spec.getVirtualNetwork().setSubnet(pick());
        }
        if (bad(6)) {
            spec.getVirtualNetwork().setName(pick());
        }
        if (random.nextInt(3) == 0) {
            spec.getVirtualNetwork()
                    .setAddressPrefixes(hostile ? List.of(pick(), pick()) : List.of("10.0.0.0/8", "fd00::/64"));
        }
        if (random.nextBoolean()) {
            spec.setVersion(EnvironmentVersion.values()[random.nextInt(2)]);
        }
        FrontEndSettings fe = new FrontEndSettings();
        if (random.nextBoolean()) {
            fe.setScaleFactor(count());
        }
        if (spec.effectiveVersion() == EnvironmentVersion.V1 ? !bad(5) : bad(3)) {
            fe.setCount(count());
        }
        if (bad(8)) {
            fe.setImage(pick());
        }
        fe.setSize(InstanceSize.values()[random.nextInt(3)]);
        spec.setFrontEnd(fe);
        if (random.nextBoolean()) {
            spec.setMaxInstances(count());
        }
        if (spec.effectiveVersion() == EnvironmentVersion.V1 || bad(5)) {
            List<WorkerPool> pools = new ArrayList<>();
            int n = hostile ? random.nextInt(5) : 1 + random.nextInt(3);
            for (int p = 0; p < n; p++) {
                WorkerPool pool = new WorkerPool();
                pool.setName(!hostile || random.nextBoolean() ? "pool" + p : pick());
                pool.setCount(hostile ? (random.nextBoolean() ? random.nextInt(30) : count()) : random.nextInt(12));
                pool.setSize(InstanceSize.values()[random.nextInt(3)]);
                pools.add(pool);
            }
            spec.setWorkerPools(pools);
        }
        if (random.nextInt(4) == 0) {
            LoadBalancerSettings lb = new LoadBalancerSettings();
            lb.setType(LoadBalancerType.values()[random.nextInt(2)]);
            lb.setAnnotations(Map.of("example.com/" + "k".repeat(random.nextInt(10)), hostile ? pick() : "true"));
            spec.setLoadBalancer(lb);
        }
        if (random.nextInt(4) == 0) {
            spec.setDnsSuffix(hostile && random.nextBoolean() ? pick() : "apps.example.com");
        }
        if (random.nextInt(4) == 0) {
            TlsSettings tls = new TlsSettings();
            tls.setSecretName(hostile ? pick() : "wildcard-tls");
            spec.setTls(tls);
        }
        if (random.nextInt(3) == 0) {
            spec.setZones(hostile ? List.of(pick(), pick()) : List.of("1", "2", "3"));
        }
        if (random.nextInt(3) == 0) {
            NetworkSecurityGroup nsg = new NetworkSecurityGroup();
            int rules = random.nextInt(50) == 0 ? 4000 : random.nextInt(20);
            List<SecurityRule> inbound = new ArrayList<>();
            for (int r = 0; r < rules; r++) {
                SecurityRule rule = new SecurityRule();
                rule.setName(bad(10) ? pick() : "r" + r);
                // 4,000 rules share the 3,997 priorities 100 to 4096: the CRD's schema takes them (each in range), the
                // admission rules refuse the priority used twice.
                rule.setPriority(
                        bad(10) ? count() : 100 + (rules > 100 || !hostile ? Math.min(r, 3996) : random.nextInt(40)));
                rule.setAccess(bad(20) ? null : RuleAccess.values()[random.nextInt(2)]);
                rule.setProtocol(RuleProtocol.values()[random.nextInt(3)]);
                rule.setSourceAddressPrefixes(
                        bad(5) ? List.of(pick()) : List.of("10." + random.nextInt(256) + ".0.0/16"));
                rule.setDestinationPortRanges(List.of(bad(5) ? pick() : String.valueOf(1 + random.nextInt(1000))));
                inbound.add(rule);
            }
            nsg.setInboundRules(inbound);
            nsg.setOutboundRules(random.nextBoolean() ? inbound.subList(0, Math.min(inbound.size(), 30)) : null);
            spec.setNetworkSecurityGroup(nsg);
        }
        return ase;
    }

    private IsolatedPlan hostilePlan(AppServiceEnvironment ase, int namespaceOf) {
        IsolatedPlan plan = Fixtures.plan(
                "ns-0",
                name(),
                bad(10) ? pick() : ase.getMetadata().getName(),
                InstanceSize.values()[random.nextInt(3)],
                1);
        plan.getMetadata().setNamespace(hostile ? "ns-" + random.nextInt(7) : "ns-" + namespaceOf);
        boolean v1 = ase.getSpec().effectiveVersion() == EnvironmentVersion.V1;
        plan.getSpec()
                .setInstances(
                        hostile && random.nextBoolean()
                                ? count()
                                : v1 ? 1 + random.nextInt(3) : 1 + random.nextInt(100));
        if (hostile ? random.nextBoolean() : v1) {
            plan.getSpec()
                    .setWorkerPool(!hostile ? "pool0" : random.nextBoolean() ? "pool" + random.nextInt(4) : pick());
        }
        return plan;
    }

    private WebApp hostileApp(String plan, String namespace) {
        WebApp app = new WebApp();
        app.setMetadata(new ObjectMetaBuilder()
                .withNamespace(hostile ? "ns-" + random.nextInt(7) : namespace)
                .withName(name())
                .build());
        WebAppSpec spec = new WebAppSpec();
        spec.setPlanName(bad(10) ? pick() : plan);
        spec.setImage(bad(10) ? pick() : "registry.example/app:1");
        spec.setPort(hostile && random.nextBoolean() ? count() : 1 + random.nextInt(65535));
        // One draw, as pick() takes: the hostile host names widen the cases without moving the rest of the seed's
        // sequence.
        spec.setHostNames(random.nextBoolean() ? List.of(hostile ? pickHost() : "www.example.com") : null);
        spec.setHealthCheckPath(bad(4) ? pick() : null);
        app.setSpec(spec);
        return app;
    }

    // Issue 25: running apps are never lost.

    /** The changes issue 25's cases make to a plan that runs apps. */
    public enum Change {
        /** The oldest app adds slots, up to the most an app has. */
        SLOT_STORM,
        /** The plan's size is lowered (I3 to I2 or I1, I2 to I1). */
        SHRINK_SIZE,
        /** The plan's instances are lowered. */
        SHRINK_INSTANCES,
        /** A new app with many host names and access rules across many slots, sometimes past every limit. */
        MAXIMAL_APP,
        /** A new app, with slots or not, named to come anywhere in name order. */
        NEWCOMER
    }

    /**
     * One of issue 25's cases: an environment whose plan runs apps (created in order, each app's
     * {@code status.admittedDeployments} recorded as the operator records it, the apps past the
     * plan's room waiting), and one change: {@code changed} replaces {@code previous} (null for a
     * new app).
     */
    public record Running(
            int index,
            Change change,
            AppServiceEnvironment environment,
            IsolatedPlan plan,
            List<WebApp> apps,
            HasMetadata changed,
            HasMetadata previous) {

        /** The apps that run before the change, in admission order. */
        public List<String> runningBefore() {
            return new EnvironmentTopology(environment, List.of(plan), apps)
                    .admittedApps(plan).stream()
                            .map(a -> a.getMetadata().getName())
                            .toList();
        }

        /** The apps that wait before the change. */
        public List<String> waitingBefore() {
            List<String> running = runningBefore();
            return apps.stream()
                    .map(a -> a.getMetadata().getName())
                    .filter(n -> !running.contains(n))
                    .toList();
        }

        /** The state the change asks for, as manifests carry it: no status, creation times kept. */
        public List<HasMetadata> after() {
            List<HasMetadata> after = new ArrayList<>();
            after.add(COPIES.clone(environment));
            after.add(withoutStatus(changed instanceof IsolatedPlan p ? p : plan));
            for (WebApp app : apps) {
                boolean replaced = changed instanceof WebApp w
                        && w.getMetadata().getName().equals(app.getMetadata().getName());
                after.add(withoutStatus(replaced ? (WebApp) changed : app));
            }
            if (changed instanceof WebApp w && previous == null) {
                after.add(withoutStatus(w));
            }
            return after;
        }

        private static <T extends HasMetadata> T withoutStatus(T resource) {
            T copy = COPIES.clone(resource);
            if (copy instanceof WebApp app) {
                app.setStatus(null);
            } else if (copy instanceof IsolatedPlan plan) {
                plan.setStatus(null);
            }
            return copy;
        }
    }

    static final KubernetesSerialization COPIES = new KubernetesSerialization();

    /** Issue 25's case {@code index}: the changes in turn, everything else drawn from the seed. */
    public Running running(int index) {
        Change change = Change.values()[index % Change.values().length];
        String namespace = "run-" + index;
        AppServiceEnvironment environment = Fixtures.environment(namespace, "ase");
        InstanceSize size = change == Change.SHRINK_SIZE
                ? InstanceSize.values()[1 + random.nextInt(2)]
                : InstanceSize.values()[random.nextInt(2)];
        int instances = change == Change.SHRINK_INSTANCES ? 2 + random.nextInt(3) : 1 + random.nextInt(3);
        IsolatedPlan plan = Fixtures.plan(namespace, "web", "ase", size, instances);
        plan.getMetadata().setCreationTimestamp("2024-01-01T00:00:00Z");
        int density = dev.appservice.operator.model.AppDensity.appsPerInstance(size);
        // Apps created one a second, oldest first, some with slots: enough to fill the plan, sometimes more.
        List<WebApp> apps = new ArrayList<>();
        int deployments = 0;
        int wanted = change == Change.SHRINK_SIZE && random.nextBoolean()
                ? density / 2 - 1 - random.nextInt(2)
                : density - random.nextInt(3) + (random.nextInt(4) == 0 ? 2 + random.nextInt(3) : 0);
        for (int i = 0; deployments < wanted; i++) {
            WebApp app = Fixtures.app(namespace, "app" + (char) ('a' + random.nextInt(26)) + i, "web", 8000 + i);
            app.getMetadata().setCreationTimestamp(String.format("2024-01-01T00:%02d:%02dZ", i / 60, i % 60));
            if (i > 0 && random.nextInt(4) == 0) {
                app.getSpec().setSlots(slots(1 + random.nextInt(3)));
            }
            deployments += EnvironmentTopology.deploymentsOf(app);
            apps.add(app);
        }
        // What the operator records: each app the plan runs keeps the room it was given.
        EnvironmentTopology topology = new EnvironmentTopology(environment, List.of(plan), apps);
        for (WebApp app : apps) {
            app.setStatus(new WebAppStatus());
            topology.room(app).ifPresent(room -> app.getStatus().setAdmittedDeployments(room.deployments()));
        }
        HasMetadata previous = null;
        HasMetadata changed;
        switch (change) {
            case SLOT_STORM -> {
                WebApp oldest = apps.get(0);
                previous = oldest;
                WebApp grown = COPIES.clone(oldest);
                grown.getSpec().setSlots(slots(1 + random.nextInt(WebAppSpec.MAX_SLOTS)));
                changed = grown;
            }
            case SHRINK_SIZE, SHRINK_INSTANCES -> {
                previous = plan;
                IsolatedPlan shrunk = COPIES.clone(plan);
                if (change == Change.SHRINK_SIZE) {
                    shrunk.getSpec().setSize(InstanceSize.values()[random.nextInt(size.ordinal())]);
                } else {
                    shrunk.getSpec().setInstances(1 + random.nextInt(instances - 1));
                }
                changed = shrunk;
            }
            case MAXIMAL_APP -> changed = maximal(namespace);
            default -> {
                WebApp newcomer = Fixtures.app(
                        namespace, "app" + (char) ('a' + random.nextInt(26)) + "-new", "web", 7000 + index);
                if (random.nextBoolean()) {
                    newcomer.getSpec().setSlots(slots(1 + random.nextInt(4)));
                }
                changed = newcomer;
            }
        }
        return new Running(index, change, environment, plan, apps, changed, previous);
    }

    /**
     * A new app at or past what one app may add: up to {@link WebAppSpec#MAX_HOST_NAMES} host names,
     * up to {@link WebAppSpec#MAX_ACCESS_RULES} access rules on the app and on each of up to
     * {@link WebAppSpec#MAX_SLOTS} slots (a slot without a list of its own holds the app's), short
     * IPv4 rules or long IPv6 ones.
     */
    private WebApp maximal(String namespace) {
        WebApp app = Fixtures.app(namespace, "maximal", "web", 9999);
        int hosts = random.nextBoolean() ? WebAppSpec.MAX_HOST_NAMES : random.nextInt(WebAppSpec.MAX_HOST_NAMES);
        List<String> names = new ArrayList<>();
        for (int h = 0; h < hosts; h++) {
            names.add("h" + h + "." + "long.".repeat(random.nextInt(40)) + "contoso.com");
        }
        app.getSpec().setHostNames(names.isEmpty() ? null : names);
        boolean longRules = random.nextBoolean();
        app.getSpec().setAccessRestrictions(accessRules(maxOrSome(WebAppSpec.MAX_ACCESS_RULES), longRules));
        List<DeploymentSlot> slots = slots(random.nextInt(WebAppSpec.MAX_SLOTS + 1));
        for (DeploymentSlot slot : slots) {
            if (random.nextBoolean()) {
                slot.setAccessRestrictions(accessRules(maxOrSome(WebAppSpec.MAX_ACCESS_RULES), longRules));
            }
        }
        app.getSpec().setSlots(slots.isEmpty() ? null : slots);
        return app;
    }

    private int maxOrSome(int max) {
        return random.nextBoolean() ? max : random.nextInt(max / 4);
    }

    /** {@code count} rules: short (IPv4, short names) or as long as a rule gets (IPv6 /128, 80-character names). */
    private static List<AccessRestriction> accessRules(int count, boolean longest) {
        List<AccessRestriction> rules = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            rules.add(Fixtures.accessRestriction(
                    longest ? String.format("%-80s", "rule-" + r).replace(' ', 'x') : "r" + r,
                    100 + r,
                    RuleAccess.Allow,
                    longest
                            ? String.format("fd00:ffff:ffff:ffff:ffff:ffff:ffff:%04x/128", r)
                            : "10." + r / 256 + "." + r % 256 + ".0/24"));
        }
        return rules;
    }

    /** Slots {@code s0, s1, ...}, each with an image of its own. */
    public static List<DeploymentSlot> slots(int count) {
        List<DeploymentSlot> slots = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DeploymentSlot slot = new DeploymentSlot();
            slot.setName("s" + i);
            slot.setImage("registry.example/slot:1.0");
            slots.add(slot);
        }
        return slots;
    }
}
