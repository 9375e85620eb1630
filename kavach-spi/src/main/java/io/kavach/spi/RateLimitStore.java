package io.kavach.spi;

import java.time.Instant;

/** Timestamps of allowed calls, per agent and permission, for trailing-window rate limits. */
public interface RateLimitStore {

    /**
     * The calls recorded for the agent and permission key strictly after {@code since}: how many,
     * and the earliest of them (null when none).
     */
    RateWindow window(String agentId, String permissionKey, Instant since);

    /**
     * Records one allowed call at {@code at}, and forgets this agent and key's calls at or before
     * {@code forgetUntil}, which no window will ask for again.
     */
    void record(String agentId, String permissionKey, Instant at, Instant forgetUntil);

    /** The calls in a trailing window: their number and the earliest one's time (null when none). */
    record RateWindow(int count, Instant earliest) {
    }
}
