package io.kavach.model;

import io.kavach.error.InvalidInputException;

/**
 * A policy's limits, each optional (null) and non-negative. Token cost and dollars are different
 * units and never mixed: token limits count the {@code tokensCost} of calls, dollar limits count
 * integer microdollars recorded by the cost module. A call fits while usage + cost ≤ limit.
 */
public record BudgetLimits(
        Long maxTokensCostPerDay,
        Long maxTokensCostPerMonth,
        Long maxCallsPerDay,
        Long maxCallsPerMonth,
        Long maxCostPerDay,
        Long maxCostPerMonth) {

    public BudgetLimits {
        check("maxTokensCostPerDay", maxTokensCostPerDay);
        check("maxTokensCostPerMonth", maxTokensCostPerMonth);
        check("maxCallsPerDay", maxCallsPerDay);
        check("maxCallsPerMonth", maxCallsPerMonth);
        check("maxCostPerDay", maxCostPerDay);
        check("maxCostPerMonth", maxCostPerMonth);
    }

    private static void check(String field, Long value) {
        if (value != null && value < 0) {
            throw new InvalidInputException("limits." + field, value, "must not be negative");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether no limit is set. */
    public boolean isEmpty() {
        return maxTokensCostPerDay == null && maxTokensCostPerMonth == null && maxCallsPerDay == null
                && maxCallsPerMonth == null && maxCostPerDay == null && maxCostPerMonth == null;
    }

    /** These limits with the set values of {@code changes} replacing their own. */
    public BudgetLimits merge(BudgetLimits changes) {
        return new BudgetLimits(
                or(changes.maxTokensCostPerDay, maxTokensCostPerDay), or(changes.maxTokensCostPerMonth, maxTokensCostPerMonth),
                or(changes.maxCallsPerDay, maxCallsPerDay), or(changes.maxCallsPerMonth, maxCallsPerMonth),
                or(changes.maxCostPerDay, maxCostPerDay), or(changes.maxCostPerMonth, maxCostPerMonth));
    }

    private static Long or(Long preferred, Long fallback) {
        return preferred != null ? preferred : fallback;
    }

    /** A builder; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private Long tokensPerDay;
        private Long tokensPerMonth;
        private Long callsPerDay;
        private Long callsPerMonth;
        private Long costPerDay;
        private Long costPerMonth;

        private Builder() {
        }

        public Builder maxTokensCostPerDay(long limit) {
            check("maxTokensCostPerDay", limit);
            tokensPerDay = limit;
            return this;
        }

        public Builder maxTokensCostPerMonth(long limit) {
            check("maxTokensCostPerMonth", limit);
            tokensPerMonth = limit;
            return this;
        }

        public Builder maxCallsPerDay(long limit) {
            check("maxCallsPerDay", limit);
            callsPerDay = limit;
            return this;
        }

        public Builder maxCallsPerMonth(long limit) {
            check("maxCallsPerMonth", limit);
            callsPerMonth = limit;
            return this;
        }

        /** In microdollars ($1 = 1,000,000). */
        public Builder maxCostPerDay(long microdollars) {
            check("maxCostPerDay", microdollars);
            costPerDay = microdollars;
            return this;
        }

        /** In microdollars ($1 = 1,000,000). */
        public Builder maxCostPerMonth(long microdollars) {
            check("maxCostPerMonth", microdollars);
            costPerMonth = microdollars;
            return this;
        }

        public BudgetLimits build() {
            return new BudgetLimits(tokensPerDay, tokensPerMonth, callsPerDay, callsPerMonth, costPerDay, costPerMonth);
        }
    }
}
