package io.kavach.agent;

import io.kavach.error.InvalidInputException;
import io.kavach.model.AgentStatus;
import io.kavach.model.AgentType;

/**
 * Which agents to list; null fields do not filter. Results come in creation order, at most
 * {@code limit}; pass the last id seen as {@code afterId} for the next page.
 */
public record AgentFilter(String ownerId, String tenantId, AgentStatus status, AgentType type, String afterId, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public AgentFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", limit, "must be between 1 and " + MAX_LIMIT);
        }
    }

    public static AgentFilter all() {
        return new AgentFilter(null, null, null, null, null, DEFAULT_LIMIT);
    }

    public static AgentFilter byOwner(String ownerId) {
        return all().withOwner(ownerId);
    }

    public AgentFilter withOwner(String owner) {
        return new AgentFilter(owner, tenantId, status, type, afterId, limit);
    }

    public AgentFilter withTenant(String tenant) {
        return new AgentFilter(ownerId, tenant, status, type, afterId, limit);
    }

    public AgentFilter withStatus(AgentStatus newStatus) {
        return new AgentFilter(ownerId, tenantId, newStatus, type, afterId, limit);
    }

    public AgentFilter withType(AgentType newType) {
        return new AgentFilter(ownerId, tenantId, status, newType, afterId, limit);
    }

    public AgentFilter after(String id) {
        return new AgentFilter(ownerId, tenantId, status, type, id, limit);
    }

    public AgentFilter withLimit(int newLimit) {
        return new AgentFilter(ownerId, tenantId, status, type, afterId, newLimit);
    }
}
