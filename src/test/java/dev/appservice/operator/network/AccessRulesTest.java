package dev.appservice.operator.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AccessRestriction;
import dev.appservice.operator.api.RuleAccess;
import dev.appservice.operator.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The front ends' access table (longest prefix wins, nginx's geo) decides every client as App
 * Service's rule list does (priority order, first match, implicit deny): checked against the
 * reference {@link AccessRules#allows} on random rule sets with nested, equal and disjoint blocks.
 */
class AccessRulesTest {

    /** What nginx's geo does with the table: the most specific block holding the address, else deny. */
    static boolean geo(List<AccessRules.Entry> table, String address) {
        Cidr client = Cidr.address(address);
        AccessRules.Entry best = null;
        int bestPrefix = -1;
        for (AccessRules.Entry entry : table) {
            Cidr block = Cidr.parse(entry.cidr());
            if (block.contains(client) && block.prefix() > bestPrefix) {
                best = entry;
                bestPrefix = block.prefix();
            }
        }
        return best != null && best.allow();
    }

    @Test
    void aBroaderRuleCheckedFirstShadowsANarrowerOne() {
        List<AccessRestriction> rules = List.of(
                Fixtures.accessRestriction("office", 100, RuleAccess.Allow, "10.0.0.0/8"),
                Fixtures.accessRestriction("lab", 200, RuleAccess.Deny, "10.1.0.0/16"),
                Fixtures.accessRestriction("partner", 300, RuleAccess.Allow, "2001:db8::/32"));
        List<AccessRules.Entry> table = AccessRules.effective(rules);
        assertThat(table).extracting(AccessRules.Entry::cidr).containsExactly("10.0.0.0/8", "2001:db8::/32");
        assertThat(geo(table, "10.1.2.3")).isTrue();
        assertThat(geo(table, "2001:db8::7")).isTrue();
        assertThat(geo(table, "192.0.2.1")).as("implicit deny").isFalse();
    }

    @Test
    void aNarrowerRuleCheckedFirstWinsWithinTheBroaderOne() {
        List<AccessRestriction> rules = List.of(
                Fixtures.accessRestriction("one-host", 100, RuleAccess.Deny, "203.0.113.7/32"),
                Fixtures.accessRestriction("their-range", 200, RuleAccess.Allow, "203.0.113.0/24"));
        List<AccessRules.Entry> table = AccessRules.effective(rules);
        assertThat(geo(table, "203.0.113.7")).isFalse();
        assertThat(geo(table, "203.0.113.8")).isTrue();
        assertThat(AccessRules.effective(List.of())).isEmpty();
    }

    @Test
    void theTableAgreesWithTheRuleListOnRandomRuleSets() {
        Random random = new Random(16);
        int probes = 0;
        int brokenCaught = 0;
        for (int set = 0; set < 300; set++) {
            List<AccessRestriction> rules = new ArrayList<>();
            int count = 1 + random.nextInt(12);
            for (int i = 0; i < count; i++) {
                // Blocks within 10.0.0.0/16 (and a few IPv6), so they nest, repeat and overlap often.
                String cidr = random.nextInt(6) == 0
                        ? "2001:db8:" + Integer.toHexString(random.nextInt(4)) + "::/" + (32 + random.nextInt(33))
                        : "10.0." + random.nextInt(4) * 64 + "." + random.nextInt(256) + "/"
                                + (16 + random.nextInt(17));
                rules.add(Fixtures.accessRestriction(
                        "r" + i,
                        1 + random.nextInt(1000),
                        random.nextBoolean() ? RuleAccess.Allow : RuleAccess.Deny,
                        cidr));
            }
            // Unique priorities, as admission requires.
            for (int i = 0; i < rules.size(); i++) {
                rules.get(i).setPriority(rules.get(i).getPriority() * 100 + i);
            }
            List<AccessRules.Entry> table = AccessRules.effective(rules);
            List<AccessRules.Entry> unshadowed = rules.stream()
                    .map(r -> new AccessRules.Entry(
                            Cidr.parse(r.getIpAddress()).toString(), r.getAction() == RuleAccess.Allow, r.getName()))
                    .toList();
            for (int p = 0; p < 100; p++) {
                String address = random.nextInt(6) == 0
                        ? "2001:db8:" + Integer.toHexString(random.nextInt(4)) + "::"
                                + Integer.toHexString(random.nextInt(65536))
                        : "10.0." + random.nextInt(256) + "." + random.nextInt(256);
                assertThat(geo(table, address))
                        .as(rules.stream()
                                        .map(r -> r.getPriority() + " " + r.getAction() + " " + r.getIpAddress())
                                        .toList()
                                + " for " + address)
                        .isEqualTo(AccessRules.allows(rules, address));
                if (geo(unshadowed, address) != AccessRules.allows(rules, address)) {
                    brokenCaught++;
                }
                probes++;
            }
        }
        assertThat(probes).isEqualTo(30_000);
        assertThat(brokenCaught)
                .as("a table that keeps shadowed rules is caught")
                .isPositive();
    }
}
