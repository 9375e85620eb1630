package io.kavach.store.jdbi;

import io.kavach.spi.CostStore.AgentTotal;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps an agent's sums of {@code cost_events} (all of {@link #COLUMNS}) to an {@link AgentTotal}. */
public final class AgentTotalMapper implements RowMapper<AgentTotal> {
    /** The columns the mapper reads. */
    public static final String COLUMNS = "agent_id, owner_id, " + CostTotalsMapper.COLUMNS;

    @Override
    public AgentTotal map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new AgentTotal(rs.getString("agent_id"), rs.getString("owner_id"), CostTotalsMapper.totals(rs));
    }
}
