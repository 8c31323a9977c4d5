package dev.appservice.operator.network;

import dev.appservice.operator.model.Quoted;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Parses IPv4 and IPv6 CIDR notation strictly, without name resolution. IPv4-mapped IPv6
 * addresses ({@code ::ffff:0:0/96}, {@code ::ffff:10.0.0.0/8}) are refused: Java reads them as
 * IPv4, so they would silently mean an IPv4 block (or no valid block at all), and a NetworkPolicy
 * peer written with them is read differently by different CNIs. The IPv4 CIDR says the same
 * exactly.
 */
public final class CidrNotation {
    private static final Pattern IPV4 =
            Pattern.compile("^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");
    private static final Pattern IPV6_CHARS = Pattern.compile("^[0-9a-fA-F:.]+$");
    /** The longest IPv6 literal ("ffff:...:255.255.255.255" is 45); anything longer is not an address. */
    public static final int LONGEST_ADDRESS = 45;

    private CidrNotation() {}

    /** Null when the text is a valid CIDR, else why not (the value quoted, control characters escaped). */
    public static String problem(String cidr) {
        if (cidr == null || cidr.isBlank()) {
            return "must be a CIDR such as 10.0.0.0/16 or fd00::/64, got an empty value";
        }
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return "must be a CIDR such as 10.0.0.0/16 or fd00::/64 (with a prefix length), got " + Quoted.of(cidr);
        }
        String address = cidr.substring(0, slash);
        String prefix = cidr.substring(slash + 1);
        boolean v4 = IPV4.matcher(address).matches();
        boolean v6 = !v4
                && address.length() <= LONGEST_ADDRESS
                && address.contains(":")
                && IPV6_CHARS.matcher(address).matches()
                && parses(address);
        if (!v4 && !v6) {
            return Quoted.of(cidr) + " is not a valid IPv4 or IPv6 CIDR: " + Quoted.of(address)
                    + " is not an IP address";
        }
        if (v6 && isIpv4Mapped(address)) {
            return Quoted.of(cidr)
                    + " is an IPv4-mapped IPv6 address (in ::ffff:0:0/96), which NetworkPolicies cannot express exactly: "
                    + "write the IPv4 CIDR instead (such as 10.0.0.0/8 for ::ffff:10.0.0.0/104)";
        }
        int max = v4 ? 32 : 128;
        if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > max) {
            return Quoted.of(cidr) + " is not a valid CIDR: the prefix length must be 0 to " + max;
        }
        return null;
    }

    /** Null when the text is a single IPv4 or IPv6 address (no prefix length), else why not. */
    public static String addressProblem(String address) {
        if (address == null || address.contains("/")) {
            return "must be an IP address such as 203.0.113.10 or 2001:db8::10, without a prefix length, got "
                    + Quoted.of(String.valueOf(address));
        }
        String problem = problem(address + (address.contains(":") ? "/128" : "/32"));
        return problem == null ? null : Quoted.of(address) + " is not an IPv4 or IPv6 address";
    }

    public static boolean isAddress(String address) {
        return addressProblem(address) == null;
    }

    /** Whether a valid address is IPv4. */
    public static boolean isIpv4(String address) {
        return IPV4.matcher(address).matches();
    }

    public static boolean isValid(String cidr) {
        return problem(cidr) == null;
    }

    /** Java turns a literal in ::ffff:0:0/96 into an IPv4 address; that is how it is recognised. */
    private static boolean isIpv4Mapped(String literal) {
        try {
            return InetAddress.getByName(literal) instanceof Inet4Address;
        } catch (UnknownHostException e) {
            return false;
        }
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
