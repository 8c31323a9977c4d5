package dev.appservice.operator.bench;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.NetworkSecurityGroup;
import dev.appservice.operator.api.RuleAccess;
import dev.appservice.operator.api.RuleProtocol;
import dev.appservice.operator.api.SecurityRule;
import dev.appservice.operator.config.NetworkSettings;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.network.NsgCompiler;
import dev.appservice.operator.network.NsgStaircases;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.validation.SpecValidation;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Benchmark (not a test): compiles random NSGs of 500 and 4,000 rules per direction, mixing tags,
 * IPv4 and IPv6 CIDRs, Allow and Deny, single ports and ranges, and the staircase of as many
 * outbound rules (Allow on widening port ranges, then Deny); prints the median and spread of the
 * compile time, what admission's check costs (the same pass, building nothing) and the size of
 * the output. Run it with the command in BENCHMARKS.md.
 */
public final class NsgCompilerBenchmark {
    private static final List<String> TAGS =
            List.of("*", "Internet", "VirtualNetwork", "AzureLoadBalancer", "AppServiceManagement");

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        System.out.printf(
                "%-22s %-11s %-10s %-10s %-13s %-9s %-9s %-10s %-10s%n",
                "shape", "median ms", "min ms", "max ms", "admission ms", "policies", "peers", "JSON KiB", "YAML KiB");
        for (int count : List.of(500, 4000)) {
            measure("random " + count, environment(count, new Random(count)), runs);
            // N outbound Allow rules on widening port ranges plus a final Deny (issue 19): once quadratic, now by peer.
            measure("staircase " + count, NsgStaircases.environment(NsgStaircases.staircase(count)), runs);
        }
        AppServiceEnvironment random4000 = environment(4000, new Random(4000));
        System.out.printf(
                "findings only, random 4000: median %.1f ms; spec validation: median %.2f ms%n",
                medianMillis(
                        () -> NsgCompiler.findings(
                                new EnvironmentTopology(random4000, List.of()), NetworkSettings.defaults()),
                        runs),
                medianMillis(() -> SpecValidation.validate(random4000), runs));
    }

    private static void measure(String shape, AppServiceEnvironment ase, int runs) {
        EnvironmentTopology topology = new EnvironmentTopology(ase, List.of());
        NetworkSettings settings = NetworkSettings.defaults();
        for (int i = 0; i < 3; i++) {
            NsgCompiler.compile(topology, settings); // warm-up
        }
        double[] millis = new double[runs];
        NsgCompiler.Result result = null;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            result = NsgCompiler.compile(topology, settings);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        int peers = 0;
        for (NetworkPolicy p : result.policies()) {
            if (p.getSpec().getIngress() != null) {
                peers += p.getSpec().getIngress().stream()
                        .mapToInt(r -> r.getFrom() == null ? 0 : r.getFrom().size())
                        .sum();
            }
            if (p.getSpec().getEgress() != null) {
                peers += p.getSpec().getEgress().stream()
                        .mapToInt(r -> r.getTo() == null ? 0 : r.getTo().size())
                        .sum();
            }
        }
        double admission = medianMillis(() -> NsgCompiler.assess(topology, settings), runs);
        long json =
                result.policies().stream().mapToLong(NsgStaircases::jsonBytes).sum();
        long yaml = result.policies().stream()
                .mapToLong(p -> new KubernetesSerialization().asYaml(p).length())
                .sum();
        System.out.printf(
                "%-22s %-11.1f %-10.1f %-10.1f %-13.1f %-9d %-9d %-10.1f %-10.1f%s%n",
                shape,
                millis[runs / 2],
                millis[0],
                millis[runs - 1],
                admission,
                result.policies().size(),
                peers,
                json / 1024.0,
                yaml / 1024.0,
                result.oversized().isEmpty()
                        ? ""
                        : " REFUSED: " + result.oversized().get(0).message());
    }

    static double medianMillis(Runnable work, int runs) {
        work.run(); // warm-up
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            work.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis[runs / 2];
    }

    static AppServiceEnvironment environment(int rulesPerDirection, Random random) {
        AppServiceEnvironment ase = Fixtures.environment("bench", "ase1");
        NetworkSecurityGroup nsg = new NetworkSecurityGroup();
        nsg.setInboundRules(rules(rulesPerDirection, random, true));
        nsg.setOutboundRules(rules(rulesPerDirection, random, false));
        ase.getSpec().setNetworkSecurityGroup(nsg);
        return ase;
    }

    static List<SecurityRule> rules(int count, Random random, boolean inbound) {
        List<SecurityRule> rules = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SecurityRule r = new SecurityRule();
            r.setName("r" + i);
            r.setPriority(100 + i);
            r.setAccess(random.nextBoolean() ? RuleAccess.Allow : RuleAccess.Deny);
            r.setProtocol(RuleProtocol.values()[random.nextInt(3)]);
            List<String> prefixes = List.of(
                    switch (random.nextInt(4)) {
                        case 0 -> TAGS.get(random.nextInt(TAGS.size()));
                        case 1 -> "2001:db8:" + Integer.toHexString(random.nextInt(65536)) + "::/48";
                        default ->
                            (1 + random.nextInt(223)) + "." + random.nextInt(256) + "." + random.nextInt(256) + ".0/"
                                    + (8 + random.nextInt(17));
                    });
            if (inbound) {
                r.setSourceAddressPrefixes(
                        prefixes.stream().map(NsgCompilerBenchmark::normalise).toList());
            } else {
                r.setDestinationAddressPrefixes(
                        prefixes.stream().map(NsgCompilerBenchmark::normalise).toList());
            }
            int from = 1 + random.nextInt(2000);
            r.setDestinationPortRanges(List.of(
                    random.nextInt(3) == 0 ? from + "-" + (from + random.nextInt(100)) : String.valueOf(from),
                    random.nextBoolean() ? "443" : "454-455"));
            rules.add(r);
        }
        return rules;
    }

    private static String normalise(String prefix) {
        return prefix.contains("/")
                ? dev.appservice.operator.network.Cidr.parse(prefix).toString()
                : prefix;
    }

    private NsgCompilerBenchmark() {}
}
