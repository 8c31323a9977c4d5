package dev.appservice.operator.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.RuleAccess;
import dev.appservice.operator.api.SecurityRule;
import dev.appservice.operator.config.NetworkSettings;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.network.AzureNsgEvaluator.Address;
import dev.appservice.operator.network.AzureNsgEvaluator.Network;
import dev.appservice.operator.network.AzureNsgEvaluator.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Compiled policies stay within what the API server stores: the staircase of N Allow rules on
 * widening port ranges compiles into O(N) entries (it was O(N²): 1.9 MB at 300 rules, 13.6 MB
 * and an OutOfMemoryError at 800), and an NSG that no encoding makes small is refused, naming
 * the rules that make it large, without building the policy.
 */
@org.junit.jupiter.api.Tag(dev.appservice.operator.testing.TestGroups.SLOW)
class NsgCompilerSizeTest {
    static final NetworkSettings SETTINGS = NetworkSettings.defaults();
    /** The API server's limit for one object. */
    static final long API_OBJECT_LIMIT = 1536 * 1024;

    @Test
    void staircasesOf300And800RulesCompileCompactlyAndExactly() {
        for (int steps : List.of(300, 800)) {
            List<SecurityRule> outbound = NsgStaircases.staircase(steps);
            AppServiceEnvironment ase = NsgStaircases.environment(outbound);
            NsgCompiler.Result result = NsgCompiler.compile(new EnvironmentTopology(ase, List.of()), SETTINGS);
            assertThat(result.oversized()).as("%d steps", steps).isEmpty();
            NetworkPolicy egress = result.policies().stream()
                    .filter(p -> p.getMetadata().getName().equals("ase1-egress"))
                    .findFirst()
                    .orElseThrow();
            long bytes = NsgStaircases.jsonBytes(egress);
            // Linear: about 100 bytes a step, far below the limit (the quadratic form was 1.9 MB at 300 steps).
            assertThat(bytes).as("%d steps: JSON bytes", steps).isLessThan(200L * steps + 4096);
            // Exactly the NSG's flows, at the edges of every step.
            Network network = new Network(
                    ase.getSpec().getVirtualNetwork().getName(),
                    List.of(ase.getSpec().getVirtualNetwork().getSubnet()),
                    SETTINGS.azureLoadBalancerCidrs(),
                    SETTINGS.operatorNamespace(),
                    "contoso",
                    "ase1");
            Pod frontEnd = new Pod(
                    "contoso",
                    Map.of(),
                    Map.of("appservice.dev/environment", "ase1", "appservice.dev/role", "front-end"));
            for (int i = 0; i < steps; i += Math.max(1, steps / 40)) {
                String inside = NsgStaircases.subnet(i).replace(".0/24", ".7");
                for (int port : List.of(999, 1000, 1000 + i, 1001 + i)) {
                    for (String protocol : List.of("TCP", "UDP")) {
                        boolean azure =
                                AzureNsgEvaluator.decide(outbound, false, network, new Address(inside), protocol, port);
                        boolean kubernetes = KubernetesPolicyEvaluator.egressAllowed(
                                result.policies(), frontEnd, new Address(inside), protocol, port);
                        assertThat(kubernetes)
                                .as("%d steps: %s %s:%d", steps, protocol, inside, port)
                                .isEqualTo(azure);
                    }
                }
            }
        }
    }

    @Test
    void theEstimateIsAnUpperBoundOfTheJson() {
        for (List<SecurityRule> outbound : List.of(
                NsgStaircases.staircase(300),
                NsgStaircases.scattered(100, 20),
                NsgCompilerTest.randomRules(new java.util.Random(7), 400))) {
            List<SecurityRule> rules = new ArrayList<>(outbound);
            rules.forEach(r -> r.setDestinationAddressPrefixes(
                    r.getDestinationAddressPrefixes() == null
                            ? r.getSourceAddressPrefixes()
                            : r.getDestinationAddressPrefixes()));
            AppServiceEnvironment ase = NsgStaircases.environment(rules);
            NsgCompiler.Result result = NsgCompiler.compile(new EnvironmentTopology(ase, List.of()), SETTINGS);
            for (NetworkPolicy policy : result.policies()) {
                assertThat(NsgStaircases.jsonBytes(policy))
                        .as(policy.getMetadata().getName())
                        .isLessThan(NsgCompiler.POLICY_BYTES_LIMIT);
            }
        }
    }

    @Test
    void anNsgNoEncodingMakesSmallIsRefusedNamingItsRules() {
        // 300 rules, each opening its own /24 on its own 100 ports: the NSG is 180 KB, its policy would be over 1.5 MB.
        AppServiceEnvironment ase = NsgStaircases.environment(NsgStaircases.scattered(300, 100));
        EnvironmentTopology topology = new EnvironmentTopology(ase, List.of());
        List<NsgCompiler.Oversize> oversized = NsgCompiler.oversized(topology, SETTINGS);
        assertThat(oversized).hasSize(1);
        NsgCompiler.Oversize oversize = oversized.get(0);
        assertThat(oversize.policy()).isEqualTo("ase1-egress");
        assertThat(oversize.field()).isEqualTo("spec.networkSecurityGroup.outboundRules");
        assertThat(oversize.estimatedBytes()).isGreaterThan(NsgCompiler.POLICY_BYTES_LIMIT);
        assertThat(oversize.largestRules())
                .hasSize(NsgCompiler.LARGEST_RULES_NAMED)
                .allMatch(r -> r.matches("'scattered-\\d+' \\(priority \\d+\\)"));
        assertThat(oversize.message()).contains("ase1-egress", "limit 1024 KiB", "'scattered-");
        // The reconciler's compilation builds no policy for it either.
        NsgCompiler.Result result = NsgCompiler.compile(topology, SETTINGS);
        assertThat(result.oversized()).hasSize(1);
        assertThat(result.policies()).extracting(p -> p.getMetadata().getName()).doesNotContain("ase1-egress");
        // Refusal is not for big NSGs as such: the same rules on one shared port range compile.
        List<SecurityRule> shared = NsgStaircases.scattered(300, 100);
        shared.forEach(r -> r.setDestinationPortRanges(List.of("1024-31023")));
        assertThat(NsgCompiler.oversized(
                        new EnvironmentTopology(NsgStaircases.environment(shared), List.of()), SETTINGS))
                .isEmpty();
        assertThat(RuleAccess.Deny).isEqualTo(shared.get(shared.size() - 1).getAccess());
    }

    /**
     * At the chart's heap ({@code -Xmx384m}, with the image's exit on OutOfMemoryError), the
     * staircases of 300, 800 and 4,000 rules and the scattered NSGs are compiled or refused: the
     * JVM finishes, and nothing comes out larger than the API server stores.
     */
    @Test
    void theStaircasesNeverRunTheOperatorOutOfMemory() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(
                        java,
                        "-Xmx384m",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-cp",
                        System.getProperty("java.class.path"),
                        NsgStaircases.class.getName())
                .redirectErrorStream(true)
                .start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(finished).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output)
                .contains(
                        "staircase 300: compiled",
                        "staircase 800: compiled",
                        "staircase 4000: compiled",
                        "scattered 300x100: refused",
                        "scattered 4000x15: refused");
        for (String line :
                output.lines().filter(l -> l.contains(": compiled, ")).toList()) {
            long bytes = Long.parseLong(line.replaceAll(".*compiled, (\\d+) bytes.*", "$1"));
            assertThat(bytes).as(line).isLessThan(API_OBJECT_LIMIT);
        }
    }
}
