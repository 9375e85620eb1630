package io.kavach.store.jdbi;

import io.kavach.model.BudgetLimits;
import io.kavach.model.BudgetPolicy;
import io.kavach.model.PolicyAction;
import io.kavach.model.PolicyScope;
import io.kavach.model.PolicyStatus;
import io.kavach.spi.codec.JsonCodec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Maps a row selected with {@link #COLUMNS} from {@code budget_policies p} to a {@link BudgetPolicy},
 * a pool policy's agents gathered as a JSON array by the dialect's correlated subquery (one
 * primary-key range each; the Jdbi define {@value #POOL_AGENT_IDS}).
 */
public final class BudgetPolicyMapper implements RowMapper<BudgetPolicy> {
    /** The columns the mapper reads; the table must be aliased {@code p}. */
    static final String COLUMNS = "p.id, p.agent_id, p.user_id, p.tenant_id, p.pool_name,"
            + " p.max_tokens_cost_per_day, p.max_tokens_cost_per_month, p.max_calls_per_day, p.max_calls_per_month,"
            + " p.max_cost_per_day, p.max_cost_per_month, p.action, p.status, p.triggered_until, p.created_at,"
            + " p.updated_at,"
            + " CASE WHEN p.pool_name IS NULL THEN NULL ELSE <poolAgentIds> END AS pool_agent_ids";
    /** The define that each dialect sets to its JSON array of the agents of {@code p}'s pool. */
    public static final String POOL_AGENT_IDS = "poolAgentIds";

    @Override
    public BudgetPolicy map(ResultSet rs, StatementContext ctx) throws SQLException {
        PolicyScope scope = new PolicyScope(
                rs.getString("agent_id"),
                rs.getString("user_id"),
                rs.getString("tenant_id"),
                rs.getString("pool_name"),
                Set.copyOf(JsonCodec.stringsFromJson(rs.getString("pool_agent_ids"))));
        BudgetLimits limits = new BudgetLimits(
                Columns.longOrNull(rs, "max_tokens_cost_per_day"),
                Columns.longOrNull(rs, "max_tokens_cost_per_month"),
                Columns.longOrNull(rs, "max_calls_per_day"),
                Columns.longOrNull(rs, "max_calls_per_month"),
                Columns.longOrNull(rs, "max_cost_per_day"),
                Columns.longOrNull(rs, "max_cost_per_month"));
        return new BudgetPolicy(
                rs.getString("id"),
                scope,
                limits,
                PolicyAction.valueOf(rs.getString("action")),
                PolicyStatus.valueOf(rs.getString("status")),
                Columns.instant(rs, "triggered_until"),
                Columns.instant(rs, "created_at"),
                Columns.instant(rs, "updated_at"));
    }
}
