package dev.appservice.operator.testing;

import dev.appservice.operator.api.AppServiceEnvironment;
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
import dev.appservice.operator.api.WorkerPool;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
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
                rule.setPriority(bad(10) ? count() : 100 + (rules > 100 || !hostile ? r : random.nextInt(40)));
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
}
