package dev.appservice.operator.validation;

import dev.appservice.operator.api.AccessRestriction;
import dev.appservice.operator.model.Quoted;
import dev.appservice.operator.network.AccessRules;
import dev.appservice.operator.network.CidrNotation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The rules for an app's {@code spec.accessRestrictions}: at most 512, each complete, priorities unique, valid CIDRs. */
final class AccessRestrictionRules {

    private AccessRestrictionRules() {}

    static void check(String object, List<AccessRestriction> rules, List<Violation> problems) {
        if (rules == null) {
            return;
        }
        if (rules.size() > AccessRules.MAX_RULES) {
            problems.add(Violation.error(
                    object,
                    "spec.accessRestrictions",
                    "may hold at most " + AccessRules.MAX_RULES + " rules (App Service's limit), got " + rules.size()));
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
            if (rule.getName() == null
                    || rule.getName().length() > SpecValidation.RULE_NAME_LENGTH
                    || !SpecValidation.RULE_NAME.matcher(rule.getName()).matches()) {
                problems.add(Violation.error(
                        object,
                        field + ".name",
                        "must be 1 to " + SpecValidation.RULE_NAME_LENGTH + " letters, digits, '-', '_' or '.', got "
                                + Quoted.of(rule.getName())));
            }
            if (rule.getPriority() == null || rule.getPriority() < 1) {
                problems.add(Violation.error(
                        object,
                        field + ".priority",
                        "must be a whole number of at least 1, got " + rule.getPriority()));
            } else {
                Integer first = indexByPriority.putIfAbsent(rule.getPriority(), i);
                if (first != null) {
                    problems.add(Violation.error(
                            object,
                            field + ".priority",
                            rule.getPriority() + " is already the priority of spec.accessRestrictions[" + first
                                    + "]; priorities must be unique"));
                }
            }
            if (rule.getAction() == null) {
                problems.add(Violation.error(object, field + ".action", "is required (Allow or Deny)"));
            }
            String cidr = CidrNotation.problem(rule.getIpAddress());
            if (cidr != null) {
                problems.add(Violation.error(object, field + ".ipAddress", cidr));
            }
        }
    }
}
