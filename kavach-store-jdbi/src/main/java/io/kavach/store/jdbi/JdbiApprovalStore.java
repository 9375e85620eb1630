package io.kavach.store.jdbi;

import io.kavach.model.Approval;
import io.kavach.model.ApprovalStatus;
import io.kavach.spi.ApprovalStore;
import io.kavach.spi.internal.Checks;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** {@link ApprovalStore} on the {@code approvals} table of one transaction. */
public final class JdbiApprovalStore implements ApprovalStore {
    private static final ApprovalMapper MAPPER = new ApprovalMapper();

    private final Handle handle;
    private ApprovalDao dao;

    public JdbiApprovalStore(Handle handle) {
        this.handle = handle;
    }

    /** Attached on first use: attaching costs more than most statements, and many units need no DAO. */
    private ApprovalDao dao() {
        if (dao == null) {
            dao = handle.attach(ApprovalDao.class);
        }
        return dao;
    }

    @Override
    public void insert(Approval approval) {
        dao().insert(approval);
    }

    @Override
    public Optional<Approval> find(String approvalId) {
        return dao().find(approvalId);
    }

    @Override
    public boolean update(Approval approval) {
        return dao().update(approval);
    }

    @Override
    public Optional<Approval> findUsable(String agentId, String action, String resource, Instant now) {
        return dao().findUsable(agentId, action, resource, now);
    }

    @Override
    public Optional<Approval> findPending(String agentId, String action, String resource) {
        return dao().findPending(agentId, action, resource);
    }

    /** As specified; a null {@code status} lists requests of every status. */
    @Override
    public List<Approval> list(String agentId, ApprovalStatus status, int limit) {
        Checks.positive("limit", limit);
        return new Where()
                .equal("status", "status", status == null ? null : status.name())
                .equal("agent_id", "agentId", agentId)
                .select(handle, ApprovalMapper.COLUMNS + " FROM approvals", "ORDER BY requested_at, id LIMIT :limit")
                .bind("limit", limit)
                .map(MAPPER)
                .list();
    }
}
