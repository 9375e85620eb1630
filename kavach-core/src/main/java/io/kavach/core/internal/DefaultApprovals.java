package io.kavach.core.internal;

import io.kavach.approval.Approvals;
import io.kavach.error.InvalidInputException;
import io.kavach.error.InvalidStateException;
import io.kavach.error.NotFoundException;
import io.kavach.model.Approval;
import io.kavach.model.ApprovalStatus;
import io.kavach.model.AuditResult;
import io.kavach.model.Ids;
import io.kavach.spi.internal.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The approval service behind {@code kavach.approvals()}. */
public final class DefaultApprovals implements Approvals {
    public static final int MAX_LIMIT = 1000;

    private final Context context;

    public DefaultApprovals(Context context) {
        this.context = context;
    }

    @Override
    public Approval approve(String approvalId, String decidedBy) {
        return approve(approvalId, decidedBy, context.settings().approvalTtl());
    }

    @Override
    public Approval approve(String approvalId, String decidedBy, Duration ttl) {
        Checks.notNull("ttl", ttl);
        if (ttl.isNegative() || ttl.isZero()) {
            throw new InvalidInputException("ttl", ttl, "must be positive");
        }
        return decide(approvalId, decidedBy, ApprovalStatus.APPROVED, ttl);
    }

    @Override
    public Approval deny(String approvalId, String decidedBy) {
        return decide(approvalId, decidedBy, ApprovalStatus.DENIED, null);
    }

    private Approval decide(String approvalId, String decidedBy, ApprovalStatus status, Duration ttl) {
        Checks.id("approvalId", approvalId, Ids.APPROVAL);
        Checks.text("decidedBy", decidedBy, Checks.MAX_IDENTIFIER);
        Instant now = context.now();
        return context.store().write(session -> {
            Approval current = session.approvals().find(approvalId)
                    .orElseThrow(() -> new NotFoundException("approval", approvalId));
            if (current.status() != ApprovalStatus.PENDING) {
                throw new InvalidStateException(approvalId, current.status().name().toLowerCase(Locale.ROOT),
                        "only a pending approval request can be decided");
            }
            Approval decided = new Approval(current.id(), current.agentId(), current.action(), current.resource(),
                    status, current.requestedAt(), now, decidedBy, ttl == null ? null : now.plus(ttl), null);
            session.approvals().update(decided);
            String event = status == ApprovalStatus.APPROVED ? "approval.approved" : "approval.denied";
            String reason = status == ApprovalStatus.APPROVED
                    ? decidedBy + " approved " + current.action() + " on " + current.resource() + " until " + decided.expiresAt()
                    : decidedBy + " denied " + current.action() + " on " + current.resource();
            context.auditor().event(session, now, session.agents().find(current.agentId()).orElse(null), event,
                    approvalId, AuditResult.SUCCESS, status == ApprovalStatus.APPROVED ? "APPROVAL_GRANTED" : "APPROVAL_DENIED",
                    reason);
            return decided;
        });
    }

    @Override
    public Optional<Approval> find(String approvalId) {
        Checks.id("approvalId", approvalId, Ids.APPROVAL);
        return context.store().read(session -> session.approvals().find(approvalId));
    }

    @Override
    public List<Approval> listPending(String agentId, int limit) {
        if (agentId != null) {
            Checks.id("agentId", agentId, Ids.AGENT);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", limit, "must be between 1 and " + MAX_LIMIT);
        }
        return context.store().read(session -> session.approvals().list(agentId, ApprovalStatus.PENDING, limit));
    }
}
