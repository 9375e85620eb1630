package io.kavach.policy;

import io.kavach.error.InvalidInputException;
import io.kavach.model.PolicyStatus;

/**
 * Which policies to list. {@link #forAgent} lists every policy that applies to the agent (its own,
 * its owner's and tenant's, global ones and the pools it is in); {@link #forUser} and
 * {@link #forTenant} list the policies scoped to that user or tenant, with the global ones.
 */
public record PolicyFilter(String agentId, String userId, String tenantId, PolicyStatus status, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public PolicyFilter {
        int set = (agentId != null ? 1 : 0) + (userId != null ? 1 : 0) + (tenantId != null ? 1 : 0);
        if (set > 1) {
            throw new InvalidInputException("filter", agentId + "/" + userId + "/" + tenantId,
                    "filter by one of agentId, userId and tenantId at a time");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", limit, "must be between 1 and " + MAX_LIMIT);
        }
    }

    public static PolicyFilter all() {
        return new PolicyFilter(null, null, null, null, DEFAULT_LIMIT);
    }

    public static PolicyFilter forAgent(String agentId) {
        return new PolicyFilter(agentId, null, null, null, DEFAULT_LIMIT);
    }

    public static PolicyFilter forUser(String userId) {
        return new PolicyFilter(null, userId, null, null, DEFAULT_LIMIT);
    }

    public static PolicyFilter forTenant(String tenantId) {
        return new PolicyFilter(null, null, tenantId, null, DEFAULT_LIMIT);
    }

    /** Only policies in this status (as stored). */
    public PolicyFilter withStatus(PolicyStatus newStatus) {
        return new PolicyFilter(agentId, userId, tenantId, newStatus, limit);
    }

    public PolicyFilter withLimit(int newLimit) {
        return new PolicyFilter(agentId, userId, tenantId, status, newLimit);
    }
}
