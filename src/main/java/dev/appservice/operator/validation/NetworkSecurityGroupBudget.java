package dev.appservice.operator.validation;

import dev.appservice.operator.api.NetworkSecurityGroup;
import dev.appservice.operator.api.SecurityRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cost of one review is bounded (API.md, "Isolation": one expensive review cannot starve the
 * others): before the NSG is compiled, each direction's work is estimated from the spec alone, in
 * one linear pass, and an NSG above the budget is refused, naming the direction, the estimate and
 * the limit. The compiler decides every rule at every port boundary, so its work grows with rules
 * times distinct port boundaries (a staircase of N rules on widening port ranges is N²), and its
 * address tree with the prefixes.
 */
public final class NetworkSecurityGroupBudget {
    /**
     * Rules times distinct port boundaries of one direction. A 4,000-step staircase (16 million)
     * took 1.7 s of one CPU (issue 27), so the limit is about 0.1 s by that measure (not yet in
     * BENCHMARKS.md); an 800-step staircase (640,000) fits.
     */
    public static final long MAX_RULE_PORT_DECISIONS = 1_000_000;
    /** Address prefixes (CIDRs and tags) of one direction, counted over its rules. */
    public static final int MAX_PREFIXES = 65_536;

    static final int FIRST_PORT = 1;
    static final int LAST_PORT = 65_535;

    private NetworkSecurityGroupBudget() {}

    /** Errors for each direction over the budget; none when the NSG fits. */
    public static List<Violation> check(String object, NetworkSecurityGroup nsg) {
        List<Violation> problems = new ArrayList<>();
        if (nsg != null) {
            direction(object, "spec.networkSecurityGroup.inboundRules", nsg.getInboundRules(), true, problems);
            direction(object, "spec.networkSecurityGroup.outboundRules", nsg.getOutboundRules(), false, problems);
        }
        return problems;
    }

    private static void direction(
            String object, String field, List<SecurityRule> rules, boolean inbound, List<Violation> problems) {
        if (rules == null || rules.isEmpty()) {
            return;
        }
        Set<Integer> boundaries = new HashSet<>();
        boundaries.add(FIRST_PORT);
        long prefixes = 0;
        for (SecurityRule rule : rules) {
            List<String> named = inbound ? rule.getSourceAddressPrefixes() : rule.getDestinationAddressPrefixes();
            prefixes += named == null ? 1 : named.size();
            if (rule.getDestinationPortRanges() == null) {
                continue;
            }
            for (String range : rule.getDestinationPortRanges()) {
                addBoundaries(range, boundaries);
            }
        }
        long decisions = (long) rules.size() * boundaries.size();
        if (decisions > MAX_RULE_PORT_DECISIONS) {
            problems.add(Violation.error(
                    object,
                    field,
                    "is too costly to check: " + rules.size() + " rules times " + boundaries.size()
                            + " distinct port boundaries is " + decisions + " decisions, above the limit of "
                            + MAX_RULE_PORT_DECISIONS + "; give rules the same port ranges, or merge rules"));
        }
        if (prefixes > MAX_PREFIXES) {
            problems.add(Violation.error(
                    object,
                    field,
                    "name " + prefixes + " address prefixes in all, above the limit of " + MAX_PREFIXES
                            + "; merge CIDRs into larger ones"));
        }
    }

    /** The boundaries a port range adds: its first port and the one after its last ("*" adds none). */
    private static void addBoundaries(String range, Set<Integer> boundaries) {
        if (range == null || range.equals("*")) {
            return;
        }
        try {
            int dash = range.indexOf('-');
            int from = Integer.parseInt((dash < 0 ? range : range.substring(0, dash)).trim());
            int to =
                    dash < 0 ? from : Integer.parseInt(range.substring(dash + 1).trim());
            boundaries.add(Math.max(FIRST_PORT, from));
            if (to < LAST_PORT) {
                boundaries.add(to + 1);
            }
        } catch (NumberFormatException e) {
            // SpecValidation reports malformed ranges; they add no boundary here.
        }
    }
}
