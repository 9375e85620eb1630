package io.kavach.spi;

import java.time.Instant;

/**
 * Filters for reading the audit log; null fields do not filter.
 *
 * @param agentId the agent, or null
 * @param since   the earliest timestamp, inclusive, or null
 * @param until   the latest timestamp, exclusive, or null
 * @param limit   the most entries to return, at least 1
 */
public record AuditQuery(String agentId, Instant since, Instant until, int limit) {
    public AuditQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }
}
