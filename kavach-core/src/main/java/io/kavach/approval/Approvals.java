package io.kavach.approval;

import io.kavach.error.InvalidStateException;
import io.kavach.error.NotFoundException;
import io.kavach.model.Approval;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Approval requests made by permissions with {@code requireApproval}: {@code kavach.approvals()}.
 * A denied call returns {@code APPROVAL_REQUIRED} with the request's id; once approved, one
 * matching call (same agent, action and resource) goes through within the approval's time to live.
 * Thread-safe; decisions are audited.
 */
public interface Approvals {

    /**
     * Approves a pending request for the configured time to live.
     *
     * @throws NotFoundException     when there is no such request
     * @throws InvalidStateException when it is not pending
     */
    Approval approve(String approvalId, String decidedBy);

    /** Approves a pending request for {@code ttl}. */
    Approval approve(String approvalId, String decidedBy, Duration ttl);

    /** Denies a pending request. */
    Approval deny(String approvalId, String decidedBy);

    Optional<Approval> find(String approvalId);

    /** Pending requests, oldest first; of one agent when {@code agentId} is not null. */
    List<Approval> listPending(String agentId, int limit);
}
