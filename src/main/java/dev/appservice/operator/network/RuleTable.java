package dev.appservice.operator.network;

import dev.appservice.operator.api.RuleAccess;
import dev.appservice.operator.api.RuleProtocol;
import dev.appservice.operator.api.SecurityRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One direction of an NSG as Azure evaluates it: the user's rules and the fixed default rules
 * below them, in priority order. The first rule that matches a flow decides it.
 */
final class RuleTable {
    static final String ANY = "*";
    static final String INTERNET = "Internet";
    static final String VIRTUAL_NETWORK = "VirtualNetwork";
    static final String AZURE_LOAD_BALANCER = "AzureLoadBalancer";
    static final String APP_SERVICE_MANAGEMENT = "AppServiceManagement";

    /** A rule's address prefix: a tag, or a CIDR. */
    record Prefix(String tag, Cidr cidr) {
        static Prefix of(String text) {
            return switch (text) {
                case ANY, INTERNET, VIRTUAL_NETWORK, AZURE_LOAD_BALANCER, APP_SERVICE_MANAGEMENT ->
                    new Prefix(text, null);
                default -> new Prefix(null, Cidr.parse(text));
            };
        }
    }

    /** A port range, inclusive; "*" is 0..65535. */
    record PortRange(int from, int to) {
        static final PortRange ALL = new PortRange(0, 65535);

        static PortRange of(String text) {
            if (text.equals(ANY)) {
                return ALL;
            }
            int dash = text.indexOf('-');
            return dash < 0
                    ? new PortRange(Integer.parseInt(text), Integer.parseInt(text))
                    : new PortRange(
                            Integer.parseInt(text.substring(0, dash)), Integer.parseInt(text.substring(dash + 1)));
        }

        boolean contains(int port) {
            return port >= from && port <= to;
        }
    }

    /** A rule ready for evaluation. {@code rank} is its position in priority order. */
    record Rule(
            int rank,
            String name,
            int priority,
            boolean allow,
            RuleProtocol protocol,
            List<PortRange> ports,
            List<Prefix> prefixes,
            boolean isDefault) {

        boolean applies(String protocolName, int port) {
            boolean protocolMatches =
                    protocol == RuleProtocol.Any || protocol.name().equalsIgnoreCase(protocolName);
            return protocolMatches && ports.stream().anyMatch(r -> r.contains(port));
        }
    }

    final List<Rule> rules;

    private RuleTable(List<Rule> rules) {
        this.rules = rules;
    }

    static RuleTable inbound(List<SecurityRule> userRules) {
        List<SecurityRule> all = new ArrayList<>(userRules == null ? List.of() : userRules);
        List<Rule> defaults = List.of(
                defaultRule("AllowVnetInBound", 65000, true, VIRTUAL_NETWORK),
                defaultRule("AllowAzureLoadBalancerInBound", 65001, true, AZURE_LOAD_BALANCER),
                defaultRule("DenyAllInBound", 65500, false, ANY));
        return build(all, defaults, true);
    }

    static RuleTable outbound(List<SecurityRule> userRules) {
        List<SecurityRule> all = new ArrayList<>(userRules == null ? List.of() : userRules);
        List<Rule> defaults = List.of(
                defaultRule("AllowVnetOutBound", 65000, true, VIRTUAL_NETWORK),
                defaultRule("AllowInternetOutBound", 65001, true, INTERNET),
                defaultRule("DenyAllOutBound", 65500, false, ANY));
        return build(all, defaults, false);
    }

    private static Rule defaultRule(String name, int priority, boolean allow, String prefix) {
        return new Rule(
                0, name, priority, allow, RuleProtocol.Any, List.of(PortRange.ALL), List.of(Prefix.of(prefix)), true);
    }

    private static RuleTable build(List<SecurityRule> userRules, List<Rule> defaults, boolean inbound) {
        List<Rule> rules = new ArrayList<>();
        for (SecurityRule r : userRules) {
            List<String> prefixes = inbound ? r.getSourceAddressPrefixes() : r.getDestinationAddressPrefixes();
            List<String> ports = r.getDestinationPortRanges();
            rules.add(new Rule(
                    0,
                    r.getName(),
                    r.getPriority(),
                    r.getAccess() == RuleAccess.Allow,
                    r.getProtocol() == null ? RuleProtocol.Any : r.getProtocol(),
                    (ports == null || ports.isEmpty() ? List.of(ANY) : ports)
                            .stream().map(PortRange::of).toList(),
                    (prefixes == null || prefixes.isEmpty() ? List.of(ANY) : prefixes)
                            .stream().map(Prefix::of).toList(),
                    false));
        }
        rules.addAll(defaults);
        rules.sort(Comparator.comparingInt(Rule::priority));
        List<Rule> ranked = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            ranked.add(new Rule(
                    i, r.name(), r.priority(), r.allow(), r.protocol(), r.ports(), r.prefixes(), r.isDefault()));
        }
        return new RuleTable(List.copyOf(ranked));
    }

    /** Every CIDR the rules name. */
    List<Cidr> cidrs() {
        return rules.stream()
                .flatMap(r -> r.prefixes().stream())
                .filter(p -> p.cidr() != null)
                .map(Prefix::cidr)
                .toList();
    }

    /**
     * Which rules apply to each elementary port interval of a protocol, in port order: one sweep
     * over the port ranges, instead of testing every range of every rule at every interval.
     * {@code visit} receives the interval's first and last port and the rules applying (by rank;
     * the array is reused between calls).
     */
    void sweep(String protocol, List<Integer> boundaries, IntervalVisitor visit) {
        java.util.Map<Integer, List<int[]>> events = new java.util.HashMap<>();
        for (Rule r : rules) {
            boolean protocolMatches =
                    r.protocol() == RuleProtocol.Any || r.protocol().name().equalsIgnoreCase(protocol);
            if (!protocolMatches) {
                continue;
            }
            for (PortRange p : r.ports()) {
                events.computeIfAbsent(Math.max(1, p.from()), k -> new ArrayList<>())
                        .add(new int[] {r.rank(), 1});
                if (p.to() < 65535) {
                    events.computeIfAbsent(p.to() + 1, k -> new ArrayList<>()).add(new int[] {r.rank(), -1});
                }
            }
        }
        int[] active = new int[rules.size()];
        boolean[] applies = new boolean[rules.size()];
        for (int i = 0; i < boundaries.size(); i++) {
            int from = boundaries.get(i);
            for (int[] event : events.getOrDefault(from, List.of())) {
                active[event[0]] += event[1];
                applies[event[0]] = active[event[0]] > 0;
            }
            int to = i + 1 < boundaries.size() ? boundaries.get(i + 1) - 1 : 65535;
            visit.visit(from, to, applies);
        }
    }

    interface IntervalVisitor {
        void visit(int from, int to, boolean[] applies);
    }

    /** Port boundaries of all rules: the starts of the elementary port intervals in 1..65535. */
    List<Integer> portBoundaries() {
        java.util.TreeSet<Integer> cuts = new java.util.TreeSet<>();
        cuts.add(1);
        for (Rule r : rules) {
            for (PortRange p : r.ports()) {
                cuts.add(Math.max(1, p.from()));
                if (p.to() < 65535) {
                    cuts.add(p.to() + 1);
                }
            }
        }
        return List.copyOf(cuts);
    }
}
