package dev.appservice.operator.schema;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** IP address literals as the API server's schema formats and CEL's isIP read them: no name lookups. */
final class IpAddresses {
    private static final Pattern IPV4 =
            Pattern.compile("^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");
    private static final Pattern IPV6_CHARS = Pattern.compile("^[0-9a-fA-F:.]+$");
    /** The longest IPv6 literal ("ffff:...:255.255.255.255"). */
    private static final int LONGEST_IPV6 = 45;

    private IpAddresses() {}

    static boolean isIpv4(String text) {
        return IPV4.matcher(text).matches();
    }

    static boolean isIpv6(String text) {
        if (text.length() > LONGEST_IPV6
                || !text.contains(":")
                || !IPV6_CHARS.matcher(text).matches()) {
            return false;
        }
        try {
            // Only literal characters reach here, so no lookup happens.
            InetAddress.getByName(text);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
