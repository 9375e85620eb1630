package io.kavach.spi;

import io.kavach.model.AgentStatus;
import io.kavach.model.AgentType;
import java.time.Instant;
import java.util.Objects;

/**
 * Filters for listing agents; null fields do not filter.
 *
 * @param ownerId the owner, or null
 * @param tenantId the tenant, or null
 * @param status   the status at {@code asOf} ({@link AgentStatus#EXPIRED} selects stored-active agents past expiry)
 * @param type     the type, or null
 * @param afterId  list agents whose id sorts after this one (keyset paging), or null
 * @param limit    the most agents to return, at least 1
 * @param asOf     the moment at which {@code status} is judged
 */
public record AgentQuery(
        String ownerId, String tenantId, AgentStatus status, AgentType type, String afterId, int limit, Instant asOf) {
    public AgentQuery {
        Objects.requireNonNull(asOf, "asOf");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }
}
