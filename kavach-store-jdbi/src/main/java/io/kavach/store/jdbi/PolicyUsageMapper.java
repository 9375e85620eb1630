package io.kavach.store.jdbi;

import io.kavach.model.PolicyUsage;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps a row of {@code budget_counters} (all of {@link #COLUMNS}) to a {@link PolicyUsage}. */
public final class PolicyUsageMapper implements RowMapper<PolicyUsage> {
    /** The columns the mapper reads. */
    public static final String COLUMNS = "tokens_cost, calls, cost_micros";

    @Override
    public PolicyUsage map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new PolicyUsage(rs.getLong("tokens_cost"), rs.getLong("calls"), rs.getLong("cost_micros"));
    }
}
