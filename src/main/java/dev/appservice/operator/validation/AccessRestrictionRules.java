package dev.appservice.operator.validation;

import dev.appservice.operator.api.AccessRestriction;
import dev.appservice.operator.network.CidrNotation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules for an app's {@code spec.accessRestrictions} that the CRD schema cannot say: priorities
 * unique, addresses valid CIDRs. The count (at most 512), each rule's fields being there, its name's
 * format and its priority's range are the schema's.
 */
final class AccessRestrictionRules {

    private AccessRestrictionRules() {}

    static void check(String object, List<AccessRestriction> rules, List<Violation> problems) {
        if (rules == null) {
            return;
        }
        Map<Integer, Integer> indexByPriority = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            AccessRestriction rule = rules.get(i);
            String field = "spec.accessRestrictions[" + i + "]";
            if (rule == null) {
                problems.add(Violation.error(object, field, "must be a rule {name, priority, action, ipAddress}"));
                continue;
            }
            Integer first = rule.getPriority() == null ? null : indexByPriority.putIfAbsent(rule.getPriority(), i);
            if (first != null) {
                problems.add(Violation.error(
                        object,
                        field + ".priority",
                        rule.getPriority() + " is already the priority of spec.accessRestrictions[" + first
                                + "]; priorities must be unique"));
            }
            String cidr = CidrNotation.problem(rule.getIpAddress());
            if (cidr != null) {
                problems.add(Violation.error(object, field + ".ipAddress", cidr));
            }
        }
    }
}
