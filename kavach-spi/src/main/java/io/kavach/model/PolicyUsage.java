package io.kavach.model;

/**
 * What a policy counted in one period.
 *
 * @param tokensCost the summed token cost
 * @param calls      the counted calls
 * @param costMicros the summed dollar cost in microdollars
 */
public record PolicyUsage(long tokensCost, long calls, long costMicros) {
    public static final PolicyUsage ZERO = new PolicyUsage(0, 0, 0);

    /** The sum, failing on overflow rather than wrapping. */
    public PolicyUsage plus(PolicyUsage other) {
        return new PolicyUsage(Math.addExact(tokensCost, other.tokensCost), Math.addExact(calls, other.calls),
                Math.addExact(costMicros, other.costMicros));
    }
}
