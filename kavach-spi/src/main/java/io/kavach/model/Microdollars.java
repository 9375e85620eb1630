package io.kavach.model;

import io.kavach.error.InvalidInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An amount of money in integer microdollars ($1 = 1,000,000), so sums are exact: ten costs of
 * $0.10 make exactly $1.000000. Conversions from dollars are exact or rejected, never rounded
 * silently; no binary floating point is involved.
 *
 * @param micros the amount in microdollars
 */
public record Microdollars(long micros) implements Comparable<Microdollars> {
    public static final Microdollars ZERO = new Microdollars(0);
    public static final long PER_DOLLAR = 1_000_000L;

    public static Microdollars of(long micros) {
        return new Microdollars(micros);
    }

    /**
     * Exactly {@code dollars}.
     *
     * @throws InvalidInputException naming {@code field} when the amount has more than six decimals
     *                               or does not fit in a long of microdollars
     */
    public static Microdollars ofDollars(String field, BigDecimal dollars) {
        if (dollars == null) {
            throw new InvalidInputException(field, null, "must not be null");
        }
        BigDecimal micros = dollars.movePointRight(6);
        try {
            return new Microdollars(micros.setScale(0, RoundingMode.UNNECESSARY).longValueExact());
        } catch (ArithmeticException e) {
            throw new InvalidInputException(field, dollars.toPlainString(),
                    micros.stripTrailingZeros().scale() > 0 ? "has more precision than a microdollar ($0.000001)"
                            : "is too large to count in microdollars");
        }
    }

    /** Exactly the decimal dollar text {@code dollars}, such as {@code "0.10"} or {@code "12"}. */
    public static Microdollars parse(String field, String dollars) {
        if (dollars == null || dollars.isBlank()) {
            throw new InvalidInputException(field, dollars, "must be a decimal dollar amount such as 0.10");
        }
        try {
            return ofDollars(field, new BigDecimal(dollars.trim()));
        } catch (NumberFormatException e) {
            throw new InvalidInputException(field, dollars, "must be a decimal dollar amount such as 0.10");
        }
    }

    /** The sum; fails rather than wrapping around. */
    public Microdollars plus(Microdollars other) {
        try {
            return new Microdollars(Math.addExact(micros, other.micros));
        } catch (ArithmeticException e) {
            throw new InvalidInputException("amount", micros + " + " + other.micros, "is too large to count in microdollars");
        }
    }

    /** The amount in dollars, with six decimals. */
    public BigDecimal toDollars() {
        return BigDecimal.valueOf(micros, 6);
    }

    public boolean isNegative() {
        return micros < 0;
    }

    @Override
    public int compareTo(Microdollars other) {
        return Long.compare(micros, other.micros);
    }

    /** Such as {@code $1.000000}. */
    @Override
    public String toString() {
        return (micros < 0 ? "-$" : "$") + toDollars().abs().toPlainString();
    }
}
