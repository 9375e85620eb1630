package io.kavach.audit;

import io.kavach.error.InvalidInputException;
import io.kavach.model.AuditResult;
import java.time.Instant;
import java.util.Set;

/**
 * Which audit entries to read; null or empty fields do not filter. Every filter runs in the
 * database, before the limit, so a page is always full when enough entries match.
 *
 * @param agentId        the agent, or null
 * @param userId         the agent's owner, or null
 * @param tenantId       the agent's tenant, or null
 * @param actions        any of these actions (such as {@code execute} or {@code agent.created})
 * @param results        any of these results
 * @param codes          any of these codes (such as {@code RATE_LIMITED})
 * @param resourcePrefix resources starting with this text, or null
 * @param since          the earliest timestamp, inclusive, or null
 * @param until          the latest timestamp, exclusive, or null
 * @param limit          entries per page, 1 to {@value #MAX_LIMIT} (ignored by export, which has no cap)
 * @param cursor         where the previous page ended ({@link AuditPage#nextCursor()}), or null for the first page
 */
public record AuditFilter(String agentId, String userId, String tenantId, Set<String> actions, Set<AuditResult> results,
                          Set<String> codes, String resourcePrefix, Instant since, Instant until, int limit,
                          String cursor) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 10_000;

    public AuditFilter {
        actions = actions == null ? Set.of() : Set.copyOf(actions);
        results = results == null ? Set.of() : Set.copyOf(results);
        codes = codes == null ? Set.of() : Set.copyOf(codes);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", limit, "must be between 1 and " + MAX_LIMIT);
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw new InvalidInputException("until", until, "must be after since (" + since + ")");
        }
        if (cursor != null) {
            AuditCursor.decode(cursor); // rejects a malformed cursor now, naming the field
        }
    }

    public static AuditFilter all() {
        return new AuditFilter(null, null, null, null, null, null, null, null, null, DEFAULT_LIMIT, null);
    }

    public static AuditFilter forAgent(String agentId) {
        return all().withAgent(agentId);
    }

    public AuditFilter withAgent(String id) {
        return new AuditFilter(id, userId, tenantId, actions, results, codes, resourcePrefix, since, until, limit, cursor);
    }

    public AuditFilter withUser(String id) {
        return new AuditFilter(agentId, id, tenantId, actions, results, codes, resourcePrefix, since, until, limit, cursor);
    }

    public AuditFilter withTenant(String id) {
        return new AuditFilter(agentId, userId, id, actions, results, codes, resourcePrefix, since, until, limit, cursor);
    }

    public AuditFilter withActions(String... names) {
        return new AuditFilter(agentId, userId, tenantId, Set.of(names), results, codes, resourcePrefix, since, until, limit, cursor);
    }

    public AuditFilter withResults(AuditResult... wanted) {
        return new AuditFilter(agentId, userId, tenantId, actions, Set.of(wanted), codes, resourcePrefix, since, until, limit, cursor);
    }

    public AuditFilter withCodes(String... wanted) {
        return new AuditFilter(agentId, userId, tenantId, actions, results, Set.of(wanted), resourcePrefix, since, until, limit, cursor);
    }

    public AuditFilter withResourcePrefix(String prefix) {
        return new AuditFilter(agentId, userId, tenantId, actions, results, codes, prefix, since, until, limit, cursor);
    }

    /** This filter restricted to [since, until). */
    public AuditFilter between(Instant newSince, Instant newUntil) {
        return new AuditFilter(agentId, userId, tenantId, actions, results, codes, resourcePrefix, newSince, newUntil, limit, cursor);
    }

    public AuditFilter withLimit(int newLimit) {
        return new AuditFilter(agentId, userId, tenantId, actions, results, codes, resourcePrefix, since, until, newLimit, cursor);
    }

    /** The page after the one that returned {@code nextCursor}. */
    public AuditFilter after(String nextCursor) {
        return new AuditFilter(agentId, userId, tenantId, actions, results, codes, resourcePrefix, since, until, limit, nextCursor);
    }
}
