package io.kavach.store.jdbi;

import io.kavach.spi.RateLimitStore.RateWindow;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps {@code COUNT(*) AS count, MIN(at) AS earliest} to a {@link RateWindow}. */
public final class RateWindowMapper implements RowMapper<RateWindow> {

    @Override
    public RateWindow map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new RateWindow(rs.getInt("count"), Columns.instant(rs, "earliest"));
    }
}
