package dev.appservice.operator.model;

/**
 * Host names relative to a domain, as both the admission rules ({@code validation/HostNameRules})
 * and the claims on them ({@link HostNameClaims}) read them: a wildcard name ({@code *.contoso.com})
 * stands for the domain after its first label, and a name lies under a domain when it is that
 * domain or ends in {@code .<domain>}.
 */
public final class HostNames {
    public static final String WILDCARD_PREFIX = "*.";

    private HostNames() {}

    /** Whether a (possibly wildcard) host name lies under the suffix: the suffix itself or a name ending in {@code .<suffix>}. */
    public static boolean underSuffix(String host, String dnsSuffix) {
        String name = host.startsWith(WILDCARD_PREFIX) ? host.substring(WILDCARD_PREFIX.length()) : host;
        return covers(dnsSuffix, name);
    }

    /** Whether {@code name} is {@code domain} or a name under it. */
    public static boolean covers(String domain, String name) {
        return name.equals(domain) || name.endsWith("." + domain);
    }
}
