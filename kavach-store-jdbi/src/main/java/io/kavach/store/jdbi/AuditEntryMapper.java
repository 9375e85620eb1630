package io.kavach.store.jdbi;

import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import io.kavach.spi.codec.JsonCodec;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps a row of {@code audit_log} (all of {@link #COLUMNS}) to an {@link AuditEntry}. */
public final class AuditEntryMapper implements RowMapper<AuditEntry> {
    /** The columns the mapper reads. */
    public static final String COLUMNS = "id, ts, agent_id, user_id, tenant_id, action, resource, result, code, reason,"
            + " tokens_cost, duration_micros, delegation_chain_id, policy_ids, ip, user_agent, arguments, previous_hash,"
            + " hash";

    @Override
    public AuditEntry map(ResultSet rs, StatementContext ctx) throws SQLException {
        long tokensCost = rs.getLong("tokens_cost");
        Long tokens = rs.wasNull() ? null : tokensCost;
        return new AuditEntry(
                rs.getString("id"),
                Columns.instant(rs, "ts"),
                rs.getString("agent_id"),
                rs.getString("user_id"),
                rs.getString("tenant_id"),
                rs.getString("action"),
                rs.getString("resource"),
                AuditResult.valueOf(rs.getString("result")),
                rs.getString("code"),
                rs.getString("reason"),
                tokens,
                rs.getLong("duration_micros"),
                rs.getString("delegation_chain_id"),
                JsonCodec.stringsFromJson(rs.getString("policy_ids")),
                rs.getString("ip"),
                rs.getString("user_agent"),
                JsonCodec.mapFromJson(rs.getString("arguments")),
                rs.getString("previous_hash"),
                rs.getString("hash"));
    }
}
