package io.kavach.spi;

import io.kavach.model.AuditResult;
import java.time.Instant;
import java.util.Set;

/**
 * Filters for reading the audit log; null (or empty) fields do not filter. Every filter must run
 * in the database, before the limit.
 *
 * @param agentId        the agent, or null
 * @param userId         the agent's owner, or null
 * @param tenantId       the agent's tenant, or null
 * @param actions        any of these actions (decisions' actions or event names), or empty
 * @param results        any of these results, or empty
 * @param codes          any of these codes, or empty
 * @param resourcePrefix resources starting with this text (compared exactly, case-sensitive), or null
 * @param since          the earliest timestamp, inclusive, or null
 * @param until          the latest timestamp, exclusive, or null
 * @param before         keyset cursor: only entries that sort after this position in newest-first
 *                       order (older timestamp, or the same timestamp and a smaller id), or null
 * @param limit          the most entries to return, at least 1
 */
public record AuditQuery(String agentId, String userId, String tenantId, Set<String> actions,
                         Set<AuditResult> results, Set<String> codes, String resourcePrefix, Instant since,
                         Instant until, Position before, int limit) {

    /** A position in newest-first order: a timestamp and an id. */
    public record Position(Instant timestamp, String id) {
    }

    public AuditQuery {
        actions = actions == null ? Set.of() : Set.copyOf(actions);
        results = results == null ? Set.of() : Set.copyOf(results);
        codes = codes == null ? Set.of() : Set.copyOf(codes);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    /** A query with only an agent, a time range and a limit. */
    public static AuditQuery of(String agentId, Instant since, Instant until, int limit) {
        return new AuditQuery(agentId, null, null, null, null, null, null, since, until, null, limit);
    }
}
