package dev.appservice.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * One access restriction of an app, as on App Service: checked at the front ends against the
 * client address, in priority order, the first match deciding.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AccessRestriction {
    /** The longest name a rule may have (Azure's rule-name rule, as for NSG rules). */
    public static final int MAX_NAME_LENGTH = 80;

    @JsonPropertyDescription("Name of the rule, for people (letters, digits, '-', '_', '.'; up to 80 characters).")
    @Required
    @Pattern("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9_])?$")
    @Size(min = 1, max = MAX_NAME_LENGTH)
    private String name;

    @JsonPropertyDescription("Lower is checked first; unique among the app's rules.")
    @Required
    @Min(1)
    @Max(2147483647)
    private Integer priority;

    @JsonPropertyDescription("Allow or Deny the clients the rule matches.")
    @Required
    private RuleAccess action;

    @JsonPropertyDescription(
            "The client addresses the rule matches, as an IPv4 or IPv6 CIDR (203.0.113.0/24, 2001:db8::/32).")
    @Required
    @Size(min = 1, max = 64)
    private String ipAddress;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Integer getPriority() {
        return priority;
    }

    public void setPriority(Integer priority) {
        this.priority = priority;
    }

    public RuleAccess getAction() {
        return action;
    }

    public void setAction(RuleAccess action) {
        this.action = action;
    }

    public String getIpAddress() {
        return ipAddress;
    }

    public void setIpAddress(String ipAddress) {
        this.ipAddress = ipAddress;
    }
}
