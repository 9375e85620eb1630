package io.kavach.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A request for a human (or system) to approve one call that a permission with
 * {@code requireApproval} held back.
 *
 * @param id          {@code apr_…}
 * @param agentId     the agent whose call waits
 * @param action      the call's action
 * @param resource    the call's resource
 * @param status      where the request stands
 * @param requestedAt when the held-back call asked
 * @param decidedAt   when it was approved or denied, or null
 * @param decidedBy   who decided, or null
 * @param expiresAt   until when an approval lets the call through, or null while pending
 * @param consumedAt  when the approved call went through, or null
 */
public record Approval(
        String id,
        String agentId,
        String action,
        String resource,
        ApprovalStatus status,
        Instant requestedAt,
        Instant decidedAt,
        String decidedBy,
        Instant expiresAt,
        Instant consumedAt) {

    public Approval {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(status, "status");
    }

    /** Whether this approval lets a matching call through at {@code now}. */
    public boolean isUsableAt(Instant now) {
        return status == ApprovalStatus.APPROVED && expiresAt != null && now.isBefore(expiresAt);
    }
}
