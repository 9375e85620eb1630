package io.kavach.store.jdbi;

import io.kavach.spi.CostStore.Totals;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Maps the sums of a group of {@code cost_events} or {@code cost_rollups} (all of {@link #COLUMNS})
 * to {@link Totals}. The summed columns are 64-bit integers in every dialect (SQLite STRICT INTEGER,
 * PostgreSQL BIGINT), summed exactly, and read as longs.
 */
public final class CostTotalsMapper implements RowMapper<Totals> {
    /** The columns the mapper reads. */
    public static final String COLUMNS = "cost_micros, calls, input_tokens, output_tokens";
    /** The sums of a group of events, named as {@link #COLUMNS}; zero for no events. */
    public static final String EVENT_SUMS = "COALESCE(SUM(cost_micros), 0) AS cost_micros, COUNT(*) AS calls,"
            + " COALESCE(SUM(input_tokens), 0) AS input_tokens, COALESCE(SUM(output_tokens), 0) AS output_tokens";
    /** The sums of a group of rollups, named as {@link #COLUMNS}; zero for no rollups. */
    public static final String ROLLUP_SUMS = "COALESCE(SUM(cost_micros), 0) AS cost_micros, COALESCE(SUM(calls), 0) AS calls,"
            + " COALESCE(SUM(input_tokens), 0) AS input_tokens, COALESCE(SUM(output_tokens), 0) AS output_tokens";

    @Override
    public Totals map(ResultSet rs, StatementContext ctx) throws SQLException {
        return totals(rs);
    }

    public static Totals totals(ResultSet rs) throws SQLException {
        return new Totals(rs.getLong("cost_micros"), rs.getLong("calls"), rs.getLong("input_tokens"),
                rs.getLong("output_tokens"));
    }
}
