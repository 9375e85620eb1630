package io.kavach.store.jdbi;

import io.kavach.model.DelegationChain;
import io.kavach.model.DelegationStatus;
import io.kavach.spi.codec.JsonCodec;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Maps a row selected with {@link #COLUMNS} from {@code delegations d} to a {@link DelegationChain},
 * its parent ids gathered, in order, as a JSON array by the dialect's correlated subquery (the
 * Jdbi define {@value #PARENT_IDS}, see {@link JdbiDialect#defines()}).
 */
public final class DelegationMapper implements RowMapper<DelegationChain> {
    /** The columns the mapper reads; the table must be aliased {@code d}. */
    static final String COLUMNS = "d.id, d.from_agent_id, d.to_agent_id, d.permissions, d.depth, d.max_depth,"
            + " d.status, d.expires_at, d.created_at, d.revoked_at, <delegationParentIds> AS parent_ids";
    /** The define that each dialect sets to its JSON array of {@code d}'s parent ids, in order. */
    public static final String PARENT_IDS = "delegationParentIds";

    @Override
    public DelegationChain map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new DelegationChain(
                rs.getString("id"),
                rs.getString("from_agent_id"),
                rs.getString("to_agent_id"),
                JsonCodec.permissionsFromJson(rs.getString("permissions")),
                JsonCodec.stringsFromJson(rs.getString("parent_ids")),
                rs.getInt("depth"),
                rs.getInt("max_depth"),
                DelegationStatus.valueOf(rs.getString("status")),
                Columns.instant(rs, "expires_at"),
                Columns.instant(rs, "created_at"),
                Columns.instant(rs, "revoked_at"));
    }
}
