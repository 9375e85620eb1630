package io.kavach.cost;

import io.kavach.error.InvalidInputException;
import io.kavach.model.Microdollars;
import java.math.BigInteger;

/**
 * A model's price: microdollars per million input tokens and per million output tokens.
 *
 * @param provider          such as {@code openai}
 * @param model             such as {@code gpt-4o}
 * @param inputPerMillion   the price of a million input tokens
 * @param outputPerMillion  the price of a million output tokens
 */
public record ModelPrice(String provider, String model, Microdollars inputPerMillion, Microdollars outputPerMillion) {

    public ModelPrice {
        if (model == null || model.isBlank()) {
            throw new InvalidInputException("model", model, "must not be blank");
        }
        if (inputPerMillion == null || inputPerMillion.isNegative()) {
            throw new InvalidInputException("inputPerMillion", inputPerMillion, "must be a non-negative price");
        }
        if (outputPerMillion == null || outputPerMillion.isNegative()) {
            throw new InvalidInputException("outputPerMillion", outputPerMillion, "must be a non-negative price");
        }
    }

    /**
     * The cost of a call, rounded half up to the microdollar once, on the exact total (so a
     * thousand one-token calls and one thousand-token call may differ by rounding, never by drift).
     */
    public Microdollars cost(long inputTokens, long outputTokens) {
        if (inputTokens < 0) {
            throw new InvalidInputException("inputTokens", inputTokens, "must not be negative");
        }
        if (outputTokens < 0) {
            throw new InvalidInputException("outputTokens", outputTokens, "must not be negative");
        }
        BigInteger scaled = BigInteger.valueOf(inputTokens).multiply(BigInteger.valueOf(inputPerMillion.micros()))
                .add(BigInteger.valueOf(outputTokens).multiply(BigInteger.valueOf(outputPerMillion.micros())));
        BigInteger[] division = scaled.divideAndRemainder(BigInteger.valueOf(1_000_000));
        BigInteger micros = division[1].shiftLeft(1).compareTo(BigInteger.valueOf(1_000_000)) >= 0
                ? division[0].add(BigInteger.ONE) : division[0];
        if (micros.bitLength() > 63) {
            throw new InvalidInputException("tokens", inputTokens + "/" + outputTokens, "cost more than a long of microdollars");
        }
        return Microdollars.of(micros.longValue());
    }
}
