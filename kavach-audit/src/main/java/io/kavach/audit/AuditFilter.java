package io.kavach.audit;

import io.kavach.error.InvalidInputException;
import java.time.Instant;

/**
 * Which audit entries to read; null fields do not filter.
 *
 * @param agentId the agent, or null
 * @param since   the earliest timestamp, inclusive, or null
 * @param until   the latest timestamp, exclusive, or null
 * @param limit   the most entries, 1 to {@value #MAX_LIMIT}
 */
public record AuditFilter(String agentId, Instant since, Instant until, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 10_000;

    public AuditFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", limit, "must be between 1 and " + MAX_LIMIT);
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw new InvalidInputException("until", until, "must be after since (" + since + ")");
        }
    }

    public static AuditFilter all() {
        return new AuditFilter(null, null, null, DEFAULT_LIMIT);
    }

    public static AuditFilter forAgent(String agentId) {
        return new AuditFilter(agentId, null, null, DEFAULT_LIMIT);
    }

    /** This filter restricted to [since, until). */
    public AuditFilter between(Instant newSince, Instant newUntil) {
        return new AuditFilter(agentId, newSince, newUntil, limit);
    }

    public AuditFilter withLimit(int newLimit) {
        return new AuditFilter(agentId, since, until, newLimit);
    }
}
