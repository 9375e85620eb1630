package io.kavach.store.jdbi;

import io.kavach.model.Approval;
import io.kavach.model.ApprovalStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps a row of {@code approvals} (all of {@link #COLUMNS}) to an {@link Approval}. */
public final class ApprovalMapper implements RowMapper<Approval> {
    /** The columns the mapper reads. */
    public static final String COLUMNS = "id, agent_id, action, resource, status, requested_at, decided_at, decided_by,"
            + " expires_at, consumed_at";

    @Override
    public Approval map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Approval(
                rs.getString("id"),
                rs.getString("agent_id"),
                rs.getString("action"),
                rs.getString("resource"),
                ApprovalStatus.valueOf(rs.getString("status")),
                Columns.instant(rs, "requested_at"),
                Columns.instant(rs, "decided_at"),
                rs.getString("decided_by"),
                Columns.instant(rs, "expires_at"),
                Columns.instant(rs, "consumed_at"));
    }
}
