package io.kavach.model;

import io.kavach.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Conditions a permission adds to its resource and actions. Every condition that is set must pass
 * for the permission to allow a call.
 *
 * @param maxCallsPerHour    allowed calls in the trailing 60 minutes, per agent and permission; null for no limit
 * @param allowedArgPatterns globs; when not empty, every string argument must match one of them
 * @param requireApproval    whether each call needs a granted approval
 * @param timeWindow         the daily window in which calls are allowed; null for any time
 * @param ipAllowlist        addresses and CIDR ranges; when not empty, the request's client IP must be in one
 */
public record Constraints(
        Integer maxCallsPerHour,
        List<Glob> allowedArgPatterns,
        boolean requireApproval,
        TimeWindow timeWindow,
        List<IpRange> ipAllowlist) {

    /** No conditions. */
    public static final Constraints NONE = new Constraints(null, List.of(), false, null, List.of());

    /** The most argument patterns or allowlist entries one permission may carry. */
    public static final int MAX_ENTRIES = 256;

    public Constraints {
        if (maxCallsPerHour != null && maxCallsPerHour < 0) {
            throw new InvalidInputException("maxCallsPerHour", maxCallsPerHour, "must not be negative");
        }
        allowedArgPatterns = copy("allowedArgPatterns", allowedArgPatterns);
        ipAllowlist = copy("ipAllowlist", ipAllowlist);
    }

    private static <T> List<T> copy(String field, List<T> values) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_ENTRIES) {
            throw new InvalidInputException(field, values.size() + " entries", "must have at most " + MAX_ENTRIES + " entries");
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new InvalidInputException(field + "[" + i + "]", null, "must not be null");
            }
        }
        return List.copyOf(values);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether no condition is set. */
    public boolean isEmpty() {
        return equals(NONE);
    }

    public Optional<TimeWindow> window() {
        return Optional.ofNullable(timeWindow);
    }

    /** A builder; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private Integer maxCallsPerHour;
        private final List<Glob> allowedArgPatterns = new ArrayList<>();
        private boolean requireApproval;
        private TimeWindow timeWindow;
        private final List<IpRange> ipAllowlist = new ArrayList<>();

        private Builder() {
        }

        public Builder maxCallsPerHour(int max) {
            if (max < 0) {
                throw new InvalidInputException("maxCallsPerHour", max, "must not be negative");
            }
            this.maxCallsPerHour = max;
            return this;
        }

        /** Adds argument globs ({@code *} any run of characters, {@code ?} one character). */
        public Builder allowedArgPatterns(String... globs) {
            for (String glob : globs) {
                allowedArgPatterns.add(Glob.parse("allowedArgPatterns[" + allowedArgPatterns.size() + "]", glob));
            }
            return this;
        }

        public Builder requireApproval(boolean required) {
            this.requireApproval = required;
            return this;
        }

        /** {@code HH:MM-HH:MM} in UTC. */
        public Builder timeWindow(String window) {
            return timeWindow(window, null);
        }

        /** {@code HH:MM-HH:MM} in {@code zone}, such as {@code Europe/Berlin}. */
        public Builder timeWindow(String window, String zone) {
            this.timeWindow = TimeWindow.parse(window, zone);
            return this;
        }

        /** Adds IPv4 or IPv6 addresses or CIDR ranges. */
        public Builder ipAllowlist(String... ranges) {
            for (String range : ranges) {
                ipAllowlist.add(IpRange.parse("ipAllowlist[" + ipAllowlist.size() + "]", range));
            }
            return this;
        }

        public Constraints build() {
            return new Constraints(maxCallsPerHour, allowedArgPatterns, requireApproval, timeWindow, ipAllowlist);
        }
    }
}
