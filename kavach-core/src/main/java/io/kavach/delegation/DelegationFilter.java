package io.kavach.delegation;

import io.kavach.error.InvalidInputException;
import io.kavach.model.DelegationStatus;

/** Which chains to list; null fields do not filter. Creation order, at most {@code limit}. */
public record DelegationFilter(String fromAgentId, String toAgentId, DelegationStatus status, String afterId, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public DelegationFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", limit, "must be between 1 and " + MAX_LIMIT);
        }
    }

    public static DelegationFilter all() {
        return new DelegationFilter(null, null, null, null, DEFAULT_LIMIT);
    }

    public static DelegationFilter from(String agentId) {
        return new DelegationFilter(agentId, null, null, null, DEFAULT_LIMIT);
    }

    public static DelegationFilter to(String agentId) {
        return new DelegationFilter(null, agentId, null, null, DEFAULT_LIMIT);
    }

    public DelegationFilter withStatus(DelegationStatus newStatus) {
        return new DelegationFilter(fromAgentId, toAgentId, newStatus, afterId, limit);
    }

    public DelegationFilter after(String id) {
        return new DelegationFilter(fromAgentId, toAgentId, status, id, limit);
    }

    public DelegationFilter withLimit(int newLimit) {
        return new DelegationFilter(fromAgentId, toAgentId, status, afterId, newLimit);
    }
}
