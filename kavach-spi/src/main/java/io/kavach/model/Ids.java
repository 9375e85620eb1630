package io.kavach.model;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * Prefixed, time-ordered ids. After the prefix come 26 Crockford base-32 characters, as in a
 * ULID: 48 bits of milliseconds then 80 bits that are random for the first id of a millisecond
 * and incremented for the next ones, so ids made by one generator sort in creation order.
 */
public final class Ids {
    public static final String AGENT = "agt_";
    public static final String DELEGATION = "dlg_";
    public static final String POLICY = "pol_";
    public static final String AUDIT = "aud_";
    public static final String COST_EVENT = "ce_";
    public static final String APPROVAL = "apr_";

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final int BODY_LENGTH = 26;

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private long lastMillis = -1;
    private long randomHigh; // upper 16 of the 80 random bits
    private long randomLow;  // lower 64

    private Ids(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A generator reading time from {@code clock}. Thread-safe. */
    public static Ids generator(Clock clock) {
        return new Ids(clock);
    }

    /** Whether {@code value} is an id with this prefix. */
    public static boolean isValid(String prefix, String value) {
        if (value == null || !value.startsWith(prefix) || value.length() != prefix.length() + BODY_LENGTH) {
            return false;
        }
        for (int i = prefix.length(); i < value.length(); i++) {
            if (decode(value.charAt(i)) < 0) {
                return false;
            }
        }
        return decode(value.charAt(prefix.length())) <= 7; // 48-bit time fits in 50 bits
    }

    /** The next id with {@code prefix}. */
    public String next(String prefix) {
        long millis;
        long high;
        long low;
        synchronized (this) {
            millis = Math.max(clock.millis(), lastMillis);
            if (millis == lastMillis) {
                randomLow++;
                if (randomLow == 0) {
                    randomHigh = (randomHigh + 1) & 0xFFFF;
                    if (randomHigh == 0) {
                        // 80 bits used up within one millisecond: borrow the next millisecond so order holds.
                        lastMillis = ++millis;
                    }
                }
            } else {
                lastMillis = millis;
                randomHigh = random.nextInt() & 0xFFFF;
                randomLow = random.nextLong();
            }
            high = randomHigh;
            low = randomLow;
        }
        char[] out = new char[BODY_LENGTH];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        // 80 random bits: 16 high bits then 64 low bits, written 5 bits at a time from the end.
        for (int i = BODY_LENGTH - 1; i >= 10; i--) {
            out[i] = ALPHABET[(int) (low & 31)];
            low = (low >>> 5) | ((high & 31) << 59);
            high >>>= 5;
        }
        return prefix + new String(out);
    }

    /**
     * The smallest id with {@code prefix} that a generator can make at {@code at} or later: every
     * id made before {@code at} sorts below it, every id made at or after it sorts at or above.
     */
    public static String lowestAt(String prefix, Instant at) {
        long millis = at.toEpochMilli();
        char[] out = new char[BODY_LENGTH];
        Arrays.fill(out, ALPHABET[0]);
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        return prefix + new String(out);
    }

    private static int decode(char c) {
        for (int i = 0; i < ALPHABET.length; i++) {
            if (ALPHABET[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
