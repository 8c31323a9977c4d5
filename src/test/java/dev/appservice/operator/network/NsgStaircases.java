package dev.appservice.operator.network;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.RuleAccess;
import dev.appservice.operator.api.RuleProtocol;
import dev.appservice.operator.api.SecurityRule;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;

/**
 * The NSG shapes that once made the compiled policies grow quadratically, shared by the tests, the
 * memory-bounded run ({@link #main}) and the benchmark.
 */
public final class NsgStaircases {
    private NsgStaircases() {}

    /**
     * N outbound Allow rules, each to its own /24 on a port range one port wider than the one
     * before (1000-1000, 1000-1001, ...), then a Deny of everything: every port boundary has a
     * different set of allowed CIDRs.
     */
    public static List<SecurityRule> staircase(int steps) {
        List<SecurityRule> rules = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            rules.add(rule("step-" + i, 100 + i, RuleAccess.Allow, List.of(subnet(i)), List.of("1000-" + (1000 + i))));
        }
        rules.add(rule("deny-rest", 100 + steps, RuleAccess.Deny, List.of("*"), List.of("*")));
        return rules;
    }

    /**
     * N outbound Allow rules, each to its own /24 on its own {@code portsPerRule} single ports,
     * then a Deny of everything: no encoding is small, since every CIDR has its own ports.
     */
    public static List<SecurityRule> scattered(int count, int portsPerRule) {
        List<SecurityRule> rules = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> ports = new ArrayList<>();
            for (int j = 0; j < portsPerRule; j++) {
                ports.add(String.valueOf(1024 + j * count + i)); // interleaved: no two of a rule's ports are adjacent
            }
            rules.add(rule("scattered-" + i, 100 + i, RuleAccess.Allow, List.of(subnet(i)), ports));
        }
        rules.add(rule("deny-rest", 100 + count, RuleAccess.Deny, List.of("*"), List.of("*")));
        return rules;
    }

    /** The i-th /24 of 172.16.0.0/12 (4,096 of them). */
    /**
     * {@code count} Allow rules, each on its own port and naming {@code prefixesPerRule} CIDRs of
     * its own, then a Deny of everything: cheap to compile (few port boundaries) but large, as
     * every CIDR is a peer with its own port.
     */
    public static List<SecurityRule> wide(int count, int prefixesPerRule) {
        List<SecurityRule> rules = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> prefixes = new ArrayList<>();
            for (int j = 0; j < prefixesPerRule; j++) {
                int k = i * prefixesPerRule + j;
                prefixes.add("10." + (k >> 16) + "." + ((k >> 8) & 255) + "." + (k & 255) + "/32");
            }
            rules.add(rule("wide-" + i, 100 + i, RuleAccess.Allow, prefixes, List.of(String.valueOf(1024 + 2 * i))));
        }
        rules.add(rule("deny-rest", 100 + count, RuleAccess.Deny, List.of("*"), List.of("*")));
        return rules;
    }

    static String subnet(int i) {
        return "172." + (16 + i / 256) + "." + (i % 256) + ".0/24";
    }

    static SecurityRule rule(String name, int priority, RuleAccess access, List<String> prefixes, List<String> ports) {
        SecurityRule r = new SecurityRule();
        r.setName(name);
        r.setPriority(priority);
        r.setAccess(access);
        r.setProtocol(RuleProtocol.Tcp);
        r.setDestinationAddressPrefixes(prefixes);
        r.setDestinationPortRanges(ports);
        return r;
    }

    public static AppServiceEnvironment environment(List<SecurityRule> outbound) {
        AppServiceEnvironment ase = Fixtures.environment("contoso", "ase1");
        var nsg = new dev.appservice.operator.api.NetworkSecurityGroup();
        nsg.setOutboundRules(outbound);
        ase.getSpec().setNetworkSecurityGroup(nsg);
        return ase;
    }

    public static long jsonBytes(NetworkPolicy policy) {
        return new KubernetesSerialization().asJson(policy).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /**
     * Compiles the staircases and the scattered NSG as admission and the reconciler do, printing
     * what came out; run by {@code NsgCompilerSizeTest} in a JVM with the chart's heap
     * ({@code -Xmx384m}), where it must finish without an OutOfMemoryError.
     */
    public static void main(String[] args) {
        var settings = dev.appservice.operator.config.NetworkSettings.defaults();
        for (int steps : List.of(300, 800, 4000)) {
            report("staircase " + steps, new EnvironmentTopology(environment(staircase(steps)), List.of()), settings);
        }
        report("scattered 300x100", new EnvironmentTopology(environment(scattered(300, 100)), List.of()), settings);
        report("scattered 4000x15", new EnvironmentTopology(environment(scattered(4000, 15)), List.of()), settings);
    }

    private static void report(
            String what, EnvironmentTopology topology, dev.appservice.operator.config.NetworkSettings settings) {
        long start = System.nanoTime();
        List<NsgCompiler.Oversize> refused = NsgCompiler.oversized(topology, settings);
        long checked = System.nanoTime();
        NsgCompiler.Result result = NsgCompiler.compile(topology, settings);
        long compiled = System.nanoTime();
        long bytes =
                result.policies().stream().mapToLong(NsgStaircases::jsonBytes).sum();
        System.out.println(what + ": "
                + (refused.isEmpty()
                        ? "compiled, " + bytes + " bytes of JSON"
                        : "refused: " + refused.get(0).message()) + " (size check " + (checked - start) / 1_000_000
                + " ms, compilation " + (compiled - checked) / 1_000_000 + " ms)");
    }
}
