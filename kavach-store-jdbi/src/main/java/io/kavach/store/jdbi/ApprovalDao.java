package io.kavach.store.jdbi;

import io.kavach.model.Approval;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The fixed statements on {@code approvals}. "Oldest" is by request time, then id. */
@RegisterRowMapper(ApprovalMapper.class)
public interface ApprovalDao {

    @SqlUpdate("INSERT INTO approvals (id, agent_id, action, resource, status, requested_at, decided_at,"
            + " decided_by, expires_at, consumed_at) VALUES (:a.id, :a.agentId, :a.action, :a.resource, :a.status,"
            + " :a.requestedAt, :a.decidedAt, :a.decidedBy, :a.expiresAt, :a.consumedAt)")
    public void insert(@BindMethods("a") Approval approval);

    @SqlQuery("SELECT " + ApprovalMapper.COLUMNS + " FROM approvals WHERE id = :id")
    public Optional<Approval> find(@Bind("id") String id);

    @SqlUpdate("UPDATE approvals SET status = :a.status, decided_at = :a.decidedAt, decided_by = :a.decidedBy,"
            + " expires_at = :a.expiresAt, consumed_at = :a.consumedAt WHERE id = :a.id")
    public boolean update(@BindMethods("a") Approval approval);

    @SqlQuery("SELECT " + ApprovalMapper.COLUMNS + " FROM approvals WHERE agent_id = :agentId AND action = :action"
            + " AND resource = :resource AND status = 'APPROVED' AND expires_at > :now"
            + " ORDER BY requested_at, id LIMIT 1")
    public Optional<Approval> findUsable(@Bind("agentId") String agentId, @Bind("action") String action,
            @Bind("resource") String resource, @Bind("now") Instant now);

    @SqlQuery("SELECT " + ApprovalMapper.COLUMNS + " FROM approvals WHERE agent_id = :agentId AND action = :action"
            + " AND resource = :resource AND status = 'PENDING' ORDER BY requested_at, id LIMIT 1")
    public Optional<Approval> findPending(@Bind("agentId") String agentId, @Bind("action") String action,
            @Bind("resource") String resource);
}
