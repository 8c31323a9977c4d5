package dev.appservice.operator.network;

import dev.appservice.operator.api.AccessRestriction;
import dev.appservice.operator.api.RuleAccess;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An app's access restrictions as a table that longest-prefix matching (nginx's {@code geo})
 * evaluates exactly as App Service does: in priority order, the first rule whose range holds the
 * client deciding, everyone else denied once any rule exists.
 *
 * <p>Why it is exact: CIDR blocks are nested or disjoint. A rule whose block lies within the block
 * of a rule checked before it can never decide anything, so it is dropped; of the rules kept, a
 * block within another's was checked earlier (else it would have been dropped), so for any client
 * the most specific kept block holding it belongs to the first rule that matches it.
 */
public final class AccessRules {
    /** A block and whether clients in it are allowed. */
    public record Entry(String cidr, boolean allow, String ruleName) {}

    private AccessRules() {}

    /** The rules that decide, most specific first; empty when the app has no rules (everyone allowed). */
    public static List<Entry> effective(List<AccessRestriction> rules) {
        List<AccessRestriction> ordered = rules.stream()
                .filter(r -> r.getPriority() != null && r.getAction() != null && r.getIpAddress() != null)
                .sorted(Comparator.comparingInt(AccessRestriction::getPriority))
                .toList();
        List<Cidr> earlier = new ArrayList<>();
        List<Entry> kept = new ArrayList<>();
        for (AccessRestriction rule : ordered) {
            Cidr block = Cidr.parse(rule.getIpAddress());
            boolean shadowed = earlier.stream().anyMatch(e -> e.contains(block));
            earlier.add(block);
            if (!shadowed) {
                kept.add(new Entry(block.toString(), rule.getAction() == RuleAccess.Allow, rule.getName()));
            }
        }
        return kept;
    }

    /** Whether a client address is allowed: the reference the front ends' table is tested against. */
    public static boolean allows(List<AccessRestriction> rules, String address) {
        if (rules.isEmpty()) {
            return true;
        }
        Cidr client = Cidr.address(address);
        return rules.stream()
                .sorted(Comparator.comparingInt(AccessRestriction::getPriority))
                .filter(r -> Cidr.parse(r.getIpAddress()).contains(client))
                .findFirst()
                .map(r -> r.getAction() == RuleAccess.Allow)
                .orElse(false);
    }
}
