package io.kavach.spi;

import io.kavach.model.Approval;
import io.kavach.model.ApprovalStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Approval requests. */
public interface ApprovalStore {

    void insert(Approval approval);

    Optional<Approval> find(String approvalId);

    /** Replaces the stored request's status and decision fields; false when no such request exists. */
    boolean update(Approval approval);

    /** The oldest approval for this agent, action and resource that is approved and unexpired at {@code now}. */
    Optional<Approval> findUsable(String agentId, String action, String resource, Instant now);

    /** The oldest pending request for this agent, action and resource. */
    Optional<Approval> findPending(String agentId, String action, String resource);

    /** Requests with this status (and agent, when not null), oldest first, at most {@code limit}. */
    List<Approval> list(String agentId, ApprovalStatus status, int limit);
}
