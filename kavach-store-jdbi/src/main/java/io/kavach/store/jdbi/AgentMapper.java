package io.kavach.store.jdbi;

import io.kavach.model.Agent;
import io.kavach.model.AgentStatus;
import io.kavach.model.AgentType;
import io.kavach.spi.codec.JsonCodec;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps a row of {@code agents} (all of {@link #COLUMNS}) to an {@link Agent}. */
public final class AgentMapper implements RowMapper<Agent> {
    /** The columns the mapper reads. */
    public static final String COLUMNS = "id, owner_id, tenant_id, name, type, status, permissions, expires_at,"
            + " metadata, token_prefix, created_at, updated_at, last_active_at";

    @Override
    public Agent map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Agent(
                rs.getString("id"),
                rs.getString("owner_id"),
                rs.getString("tenant_id"),
                rs.getString("name"),
                AgentType.valueOf(rs.getString("type")),
                AgentStatus.valueOf(rs.getString("status")),
                JsonCodec.permissionsFromJson(rs.getString("permissions")),
                Columns.instant(rs, "expires_at"),
                JsonCodec.mapFromJson(rs.getString("metadata")),
                rs.getString("token_prefix"),
                Columns.instant(rs, "created_at"),
                Columns.instant(rs, "updated_at"),
                Columns.instant(rs, "last_active_at"));
    }
}
