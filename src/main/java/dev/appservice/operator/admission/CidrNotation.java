package dev.appservice.operator.admission;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Parses IPv4 and IPv6 CIDR notation strictly, without name resolution. */
public final class CidrNotation {
    private static final Pattern IPV4 = Pattern.compile("^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");
    private static final Pattern IPV6_CHARS = Pattern.compile("^[0-9a-fA-F:.]+$");

    private CidrNotation() {
    }

    /** Null when the text is a valid CIDR, else why not. */
    public static String problem(String cidr) {
        if (cidr == null || cidr.isBlank()) {
            return "must be a CIDR such as 10.0.0.0/16 or fd00::/64, got an empty value";
        }
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return "must be a CIDR such as 10.0.0.0/16 or fd00::/64 (with a prefix length), got '" + cidr + "'";
        }
        String address = cidr.substring(0, slash);
        String prefix = cidr.substring(slash + 1);
        boolean v4 = IPV4.matcher(address).matches();
        boolean v6 = !v4 && address.contains(":") && IPV6_CHARS.matcher(address).matches() && parses(address);
        if (!v4 && !v6) {
            return "'" + cidr + "' is not a valid IPv4 or IPv6 CIDR: '" + address + "' is not an IP address";
        }
        int max = v4 ? 32 : 128;
        if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > max) {
            return "'" + cidr + "' is not a valid CIDR: the prefix length must be 0 to " + max;
        }
        return null;
    }

    public static boolean isValid(String cidr) {
        return problem(cidr) == null;
    }

    private static boolean parses(String literal) {
        try {
            // Only literal addresses reach here (checked characters), so no lookup happens.
            InetAddress.getByName(literal);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
