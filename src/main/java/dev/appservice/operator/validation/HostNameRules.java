package dev.appservice.operator.validation;

import dev.appservice.operator.model.HostNames;
import dev.appservice.operator.model.Quoted;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules for an app's extra host names ({@code spec.hostNames}). On its own, a name is a
 * lowercase DNS name of labels of at most 63 characters and at most 253 in all, with an optional
 * leading wildcard label ({@code *.contoso.com}). In its environment, no name may lie under the
 * environment's {@code dnsSuffix}: those are the default names of apps and of their slots
 * ({@code <app>.<dnsSuffix>}, {@code <app>-<slot>.<dnsSuffix>}), so a custom name there would take
 * a name another app gets by being created; and a wildcard may only cover a domain outside the
 * {@code dnsSuffix} (a {@code *.p.appservice.local} would catch every app's traffic the front ends do
 * not otherwise know, a deleted neighbour's among it).
 */
public final class HostNameRules {
    public static final int HOST_NAME_LENGTH = 253;
    public static final int LABEL_LENGTH = 63;

    /** Two labels at least, lowercase letters, digits and '-', a wildcard only as the whole first label. */
    private static final String NOT_A_HOST_NAME = "must be a lowercase DNS name such as www.contoso.com, got ";

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private HostNameRules() {}

    /** The problems of one host name on its own, or none. */
    public static void checkSyntax(String object, String field, String host, List<Violation> problems) {
        if (host == null || host.isEmpty()) {
            problems.add(Violation.error(object, field, NOT_A_HOST_NAME + Quoted.of(host)));
            return;
        }
        if (host.length() > HOST_NAME_LENGTH) {
            problems.add(Violation.error(
                    object, field, "must be no more than " + HOST_NAME_LENGTH + " characters, got " + host.length()));
            return;
        }
        String name =
                host.startsWith(HostNames.WILDCARD_PREFIX) ? host.substring(HostNames.WILDCARD_PREFIX.length()) : host;
        String[] labels = name.split("\\.", -1);
        if (labels.length < 2) {
            problems.add(Violation.error(object, field, NOT_A_HOST_NAME + Quoted.of(host)));
            return;
        }
        for (String label : labels) {
            if (label.length() > LABEL_LENGTH) {
                problems.add(Violation.error(
                        object,
                        field,
                        "has a label of " + label.length() + " characters (at most " + LABEL_LENGTH + " each), got "
                                + Quoted.of(host)));
                return;
            }
            if (!LABEL.matcher(label).matches()) {
                problems.add(Violation.error(object, field, NOT_A_HOST_NAME + Quoted.of(host)));
                return;
            }
        }
    }

    /** The problems of a host name in the environment whose apps are served under {@code dnsSuffix}. */
    public static void checkInEnvironment(
            String object, String field, String host, String dnsSuffix, List<Violation> problems) {
        if (host == null || dnsSuffix == null) {
            return;
        }
        if (HostNames.underSuffix(host, dnsSuffix)) {
            problems.add(
                    Violation.error(
                            object,
                            field,
                            Quoted.of(host) + " is under the environment's dnsSuffix " + Quoted.of(dnsSuffix)
                                    + ", reserved for the default names of apps and their slots (<app>.<dnsSuffix>, <app>-<slot>.<dnsSuffix>)"));
        } else if (host.startsWith(HostNames.WILDCARD_PREFIX)
                && HostNames.covers(host.substring(HostNames.WILDCARD_PREFIX.length()), dnsSuffix)) {
            problems.add(Violation.error(
                    object,
                    field,
                    "the wildcard " + Quoted.of(host) + " covers the environment's dnsSuffix " + Quoted.of(dnsSuffix)
                            + ": a wildcard is only for a domain outside it"));
        }
    }
}
