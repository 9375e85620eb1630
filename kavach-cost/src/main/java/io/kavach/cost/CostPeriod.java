package io.kavach.cost;

import io.kavach.error.InvalidInputException;
import java.time.Instant;

/**
 * A half-open period [start, end) of cost reports. Reports without a period cover the current
 * calendar month in the configured zone.
 */
public record CostPeriod(Instant start, Instant end) {
    public CostPeriod {
        if (start == null || end == null) {
            throw new InvalidInputException("period", start + "/" + end, "needs both a start and an end");
        }
        if (!start.isBefore(end)) {
            throw new InvalidInputException("period.end", end, "must be after the start (" + start + ")");
        }
    }

    public static CostPeriod between(Instant start, Instant end) {
        return new CostPeriod(start, end);
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + ")";
    }
}
