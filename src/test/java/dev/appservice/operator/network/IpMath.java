package dev.appservice.operator.network;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Address arithmetic for the reference evaluators, independent of the compiler's Cidr. */
final class IpMath {
    private IpMath() {}

    static BigInteger value(String ip) {
        try {
            return new BigInteger(1, InetAddress.getByName(ip).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    static int bits(String ip) {
        return ip.contains(":") ? 128 : 32;
    }

    static boolean contains(String cidr, String ip) {
        String[] parts = cidr.split("/");
        int bits = bits(parts[0]);
        if (bits != bits(ip)) {
            return false;
        }
        int prefix = Integer.parseInt(parts[1]);
        int shift = bits - prefix;
        return value(parts[0]).shiftRight(shift).equals(value(ip).shiftRight(shift));
    }

    static String format(BigInteger value, boolean v6) {
        try {
            byte[] raw = value.toByteArray();
            byte[] bytes = new byte[v6 ? 16 : 4];
            for (int i = 0; i < Math.min(raw.length, bytes.length); i++) {
                bytes[bytes.length - 1 - i] = raw[raw.length - 1 - i];
            }
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
