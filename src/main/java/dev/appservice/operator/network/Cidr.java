package dev.appservice.operator.network;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Comparator;

/**
 * An IPv4 or IPv6 block, normalised to its network address. Blocks form a laminar family (any two
 * are nested or disjoint), which is what lets the compiler build a tree of them.
 */
public record Cidr(int bits, BigInteger network, int prefix) {
    public static final Cidr ALL_IPV4 = new Cidr(32, BigInteger.ZERO, 0);
    public static final Cidr ALL_IPV6 = new Cidr(128, BigInteger.ZERO, 0);

    /** Sorted by family, then start address, then larger blocks first: a parent precedes its children. */
    public static final Comparator<Cidr> TREE_ORDER =
            Comparator.comparingInt(Cidr::bits).thenComparing(Cidr::network).thenComparingInt(Cidr::prefix);

    /** Parses CIDR notation (validated beforehand by the admission rules); host bits are cleared. */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR: " + text);
        }
        try {
            InetAddress address = InetAddress.getByName(text.substring(0, slash));
            if (address instanceof java.net.Inet4Address
                    && text.substring(0, slash).contains(":")) {
                // Java reads ::ffff:a.b.c.d as IPv4; admission refuses such prefixes, so this is never reached from a
                // spec.
                throw new IllegalArgumentException(
                        "IPv4-mapped IPv6 address in " + text + ": write the IPv4 CIDR instead");
            }
            byte[] bytes = address.getAddress();
            int bits = bytes.length * 8;
            int prefix = Integer.parseInt(text.substring(slash + 1));
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("prefix out of range: " + text);
            }
            return new Cidr(bits, mask(new BigInteger(1, bytes), bits, prefix), prefix);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR: " + text, e);
        }
    }

    /** A single address as a full-length block. */
    public static Cidr address(String ip) {
        try {
            byte[] bytes = InetAddress.getByName(ip).getAddress();
            return new Cidr(bytes.length * 8, new BigInteger(1, bytes), bytes.length * 8);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + ip, e);
        }
    }

    private static BigInteger mask(BigInteger value, int bits, int prefix) {
        return value.shiftRight(bits - prefix).shiftLeft(bits - prefix);
    }

    public boolean contains(Cidr other) {
        return bits == other.bits
                && other.prefix >= prefix
                && mask(other.network, bits, prefix).equals(network);
    }

    /** Canonical text: dotted quad for IPv4, RFC 5952 (lowercase, longest zero run as ::) for IPv6. */
    @Override
    public String toString() {
        return format(network, bits) + "/" + prefix;
    }

    static String format(BigInteger value, int bits) {
        if (bits == 32) {
            long v = value.longValue();
            return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = value.shiftRight(112 - 16 * i).intValue() & 0xffff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
