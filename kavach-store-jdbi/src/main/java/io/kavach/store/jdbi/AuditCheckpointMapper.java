package io.kavach.store.jdbi;

import io.kavach.spi.AuditStore.AuditCheckpoint;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps the row of {@code audit_checkpoint} (all of {@link #COLUMNS}) to an {@link AuditCheckpoint}. */
public final class AuditCheckpointMapper implements RowMapper<AuditCheckpoint> {
    /** The columns the mapper reads. */
    public static final String COLUMNS = "hash, deleted_until, deleted";

    @Override
    public AuditCheckpoint map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new AuditCheckpoint(rs.getString("hash"), Columns.instant(rs, "deleted_until"), rs.getLong("deleted"));
    }
}
