package io.kavach.model;

import io.kavach.error.InvalidInputException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address, or a CIDR range such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}.
 * Only literal addresses are parsed, by Kavach itself: nothing here ever resolves a host name.
 * IPv4-mapped IPv6 addresses ({@code ::ffff:10.1.2.3}) are treated as the IPv4 address they carry.
 * Immutable and thread-safe.
 */
public final class IpRange {
    private final String text;
    private final byte[] network;
    private final int prefixLength;

    private IpRange(String text, byte[] network, int prefixLength) {
        this.text = text;
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /** Parses an address or CIDR range, reporting problems against {@code field}. */
    public static IpRange parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(field, text, "must be an IP address or CIDR range");
        }
        int slash = text.indexOf('/');
        byte[] address = parseAddress(slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            throw new InvalidInputException(field, text, "is not an IPv4 or IPv6 address or CIDR range");
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = text.substring(slash + 1);
            if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new InvalidInputException(field, text, "has a malformed prefix length");
            }
            prefix = Integer.parseInt(length);
            if (text.indexOf(':') >= 0 && address.length == 4 && prefix <= 128 && prefix >= 96) {
                prefix -= 96; // a mapped IPv4 range written in IPv6 form
            }
            if (prefix > bits) {
                throw new InvalidInputException(field, text, "prefix length must be at most " + bits);
            }
        }
        return new IpRange(text, mask(address, prefix), prefix);
    }

    /**
     * Whether the literal address {@code ip} lies in this range. Anything that is not a literal
     * IPv4 or IPv6 address lies in no range.
     */
    public boolean contains(String ip) {
        byte[] address = ip == null ? null : parseAddress(ip);
        return address != null && address.length == network.length
                && Arrays.equals(mask(address, prefixLength), network);
    }

    /** Whether every address of {@code other} lies in this range. */
    public boolean encloses(IpRange other) {
        return other.network.length == network.length && other.prefixLength >= prefixLength
                && Arrays.equals(mask(other.network, prefixLength), network);
    }

    /** Whether {@code ip} is a literal IPv4 or IPv6 address. */
    public static boolean isAddress(String ip) {
        return ip != null && parseAddress(ip) != null;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] &= (byte) (0xFF << (8 - keep));
        }
        return masked;
    }

    /** 4 bytes for IPv4 (and IPv4-mapped IPv6), 16 for IPv6, null when not a literal address. */
    static byte[] parseAddress(String s) {
        if (s.isEmpty() || s.length() > 45) {
            return null;
        }
        if (s.indexOf(':') < 0) {
            return parseIpv4(s);
        }
        byte[] v6 = parseIpv6(s);
        if (v6 == null) {
            return null;
        }
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= v6[i] == 0;
        }
        if (mapped && v6[10] == (byte) 0xFF && v6[11] == (byte) 0xFF) {
            return Arrays.copyOfRange(v6, 12, 16);
        }
        return v6;
    }

    private static byte[] parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            out[i] = (byte) value;
        }
        return out;
    }

    private static byte[] parseIpv6(String s) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        String head = gap < 0 ? s : s.substring(0, gap);
        if (gap >= 0 && head.indexOf('.') >= 0) {
            return null; // a dotted IPv4 part may only end the address
        }
        String tail = gap < 0 ? "" : s.substring(gap + 2);
        int[] headGroups = groups(head);
        int[] tailGroups = groups(tail);
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        int total = headGroups.length + tailGroups.length;
        if (gap < 0 ? total != 8 : total > 7) {
            return null;
        }
        int[] all = new int[8];
        System.arraycopy(headGroups, 0, all, 0, headGroups.length);
        System.arraycopy(tailGroups, 0, all, 8 - tailGroups.length, tailGroups.length);
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = (byte) (all[i] >>> 8);
            out[2 * i + 1] = (byte) all[i];
        }
        return out;
    }

    /** 16-bit groups of one side of "::"; a trailing dotted IPv4 counts as two groups. */
    private static int[] groups(String side) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        int last = parts.length - 1;
        boolean dotted = parts[last].indexOf('.') >= 0;
        int[] out = new int[parts.length + (dotted ? 1 : 0)];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (dotted && i == last) {
                byte[] v4 = parseIpv4(part);
                if (v4 == null) {
                    return null;
                }
                out[i] = ((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF);
                out[i + 1] = ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF);
                continue;
            }
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < part.length(); j++) {
                char c = part.charAt(j);
                // ASCII only: Character.digit would also accept other scripts' and full-width digits
                int digit = c < 128 ? Character.digit(c, 16) : -1;
                if (digit < 0) {
                    return null;
                }
                value = value * 16 + digit;
            }
            out[i] = value;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpRange other && prefixLength == other.prefixLength && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    /** The range as written. */
    @Override
    public String toString() {
        return text;
    }
}
