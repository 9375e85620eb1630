package io.kavach.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One delegation: permissions passed from one agent to another.
 *
 * @param id              {@code dlg_…}
 * @param fromAgentId     the delegating agent
 * @param toAgentId       the receiving agent
 * @param permissions     what the receiver holds through this chain, never more than the delegator held
 * @param parentChainIds  the chains through which the delegator held delegated permissions it passed
 *                        on; empty when it passed only its own
 * @param depth           1 for a delegation of own permissions, one more than the deepest parent otherwise
 * @param maxDepth        the deepest any chain derived from this one may be: the smallest limit along the chain
 * @param status          {@link DelegationStatus#ACTIVE} or {@link DelegationStatus#REVOKED} as stored
 * @param expiresAt       when the delegation ends; never later than the delegator's or any parent's expiry
 * @param createdAt       creation time
 * @param revokedAt       revocation time, or null
 */
public record DelegationChain(
        String id,
        String fromAgentId,
        String toAgentId,
        List<Permission> permissions,
        List<String> parentChainIds,
        int depth,
        int maxDepth,
        DelegationStatus status,
        Instant expiresAt,
        Instant createdAt,
        Instant revokedAt) {

    public DelegationChain {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fromAgentId, "fromAgentId");
        Objects.requireNonNull(toAgentId, "toAgentId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(expiresAt, "expiresAt");
        permissions = List.copyOf(permissions);
        parentChainIds = List.copyOf(parentChainIds);
    }

    /** The status at {@code now}, counting expiry. */
    public DelegationStatus statusAt(Instant now) {
        if (status == DelegationStatus.ACTIVE && !now.isBefore(expiresAt)) {
            return DelegationStatus.EXPIRED;
        }
        return status;
    }

    public boolean isActiveAt(Instant now) {
        return statusAt(now) == DelegationStatus.ACTIVE;
    }
}
