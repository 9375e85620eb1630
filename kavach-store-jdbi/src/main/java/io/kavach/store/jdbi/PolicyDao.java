package io.kavach.store.jdbi;

import io.kavach.model.BudgetLimits;
import io.kavach.model.BudgetPolicy;
import io.kavach.model.PolicyScope;
import io.kavach.model.UsageReservation;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The fixed statements on {@code budget_policies}, {@code budget_pool_members}, {@code budget_counters}
 * and {@code budget_reservations}.
 */
@RegisterRowMapper(BudgetPolicyMapper.class)
@RegisterRowMapper(PolicyUsageMapper.class)
@RegisterRowMapper(UsageReservationMapper.class)
interface PolicyDao {

    /**
     * The policies that apply to an agent, as five disjoint branches that each seek one index:
     * agent policies, user policies without agent, tenant-only policies, global policies, and the
     * pool policies listing the agent. Together they are exactly the identity policies whose set
     * fields all match, plus the pools. A NULL {@code tenantId} equals nothing, so tenant-scoped
     * policies never apply to an agent without tenant.
     */
    String APPLICABLE_TO = "SELECT " + BudgetPolicyMapper.COLUMNS + " FROM budget_policies p"
            + " WHERE p.agent_id = :agentId AND (p.user_id IS NULL OR p.user_id = :ownerId)"
            + " AND (p.tenant_id IS NULL OR p.tenant_id = :tenantId)"
            + " UNION ALL SELECT " + BudgetPolicyMapper.COLUMNS + " FROM budget_policies p"
            + " WHERE p.agent_id IS NULL AND p.user_id = :ownerId AND (p.tenant_id IS NULL OR p.tenant_id = :tenantId)"
            + " UNION ALL SELECT " + BudgetPolicyMapper.COLUMNS + " FROM budget_policies p"
            + " WHERE p.agent_id IS NULL AND p.user_id IS NULL AND p.tenant_id = :tenantId"
            + " UNION ALL SELECT " + BudgetPolicyMapper.COLUMNS + " FROM budget_policies p"
            + " WHERE p.agent_id IS NULL AND p.user_id IS NULL AND p.tenant_id IS NULL AND p.pool_name IS NULL"
            + " UNION ALL SELECT " + BudgetPolicyMapper.COLUMNS
            + " FROM budget_pool_members pm JOIN budget_policies p ON p.id = pm.policy_id"
            + " WHERE pm.agent_id = :agentId"
            + " ORDER BY id";

    /**
     * The counters of periods in [{@code :from}, {@code :to}) other than {@code :current}, of policies
     * not disabled: a prefix as a range of the primary key, compared byte by byte in both dialects.
     */
    String EARLIER_PERIODS = " FROM budget_counters AS c WHERE c.period >= :from AND c.period < :to"
            + " AND c.period <> :current"
            + " AND c.policy_id IN (SELECT id FROM budget_policies WHERE status <> 'DISABLED')";

    @SqlUpdate("INSERT INTO budget_policies (id, agent_id, user_id, tenant_id, pool_name, max_tokens_cost_per_day,"
            + " max_tokens_cost_per_month, max_calls_per_day, max_calls_per_month, max_cost_per_day,"
            + " max_cost_per_month, action, status, triggered_until, created_at, updated_at)"
            + " VALUES (:p.id, :s.agentId, :s.userId, :s.tenantId, :s.poolName, :l.maxTokensCostPerDay,"
            + " :l.maxTokensCostPerMonth, :l.maxCallsPerDay, :l.maxCallsPerMonth, :l.maxCostPerDay, :l.maxCostPerMonth,"
            + " :p.action, :p.status, :p.triggeredUntil, :p.createdAt, :p.updatedAt)")
    void insert(@BindMethods("p") BudgetPolicy policy, @BindMethods("s") PolicyScope scope,
            @BindMethods("l") BudgetLimits limits);

    @SqlUpdate("INSERT INTO budget_pool_members (policy_id, agent_id) VALUES (:policyId, :agentId)")
    void insertMember(@Bind("policyId") String policyId, @Bind("agentId") String agentId);

    @SqlQuery("SELECT " + BudgetPolicyMapper.COLUMNS + " FROM budget_policies p WHERE p.id = :id")
    Optional<BudgetPolicy> find(@Bind("id") String id);

    @SqlUpdate("UPDATE budget_policies SET max_tokens_cost_per_day = :l.maxTokensCostPerDay,"
            + " max_tokens_cost_per_month = :l.maxTokensCostPerMonth, max_calls_per_day = :l.maxCallsPerDay,"
            + " max_calls_per_month = :l.maxCallsPerMonth, max_cost_per_day = :l.maxCostPerDay,"
            + " max_cost_per_month = :l.maxCostPerMonth, action = :p.action, status = :p.status,"
            + " triggered_until = :p.triggeredUntil, updated_at = :p.updatedAt WHERE id = :p.id")
    boolean update(@BindMethods("p") BudgetPolicy policy, @BindMethods("l") BudgetLimits limits);

    @SqlUpdate("DELETE FROM budget_pool_members WHERE policy_id = :id")
    void deleteMembers(@Bind("id") String id);

    @SqlUpdate("DELETE FROM budget_counters WHERE policy_id = :id")
    void deleteCounters(@Bind("id") String id);

    @SqlUpdate("DELETE FROM budget_policies WHERE id = :id")
    boolean delete(@Bind("id") String id);

    @SqlUpdate("DELETE FROM budget_counters WHERE policy_id = :policyId AND period = :period")
    void clearUsage(@Bind("policyId") String policyId, @Bind("period") String period);

    @SqlQuery("SELECT DISTINCT c.policy_id" + EARLIER_PERIODS + " ORDER BY c.policy_id")
    List<String> findEarlierPeriods(@Bind("from") String from, @Bind("to") String to,
            @Bind("current") String currentPeriod);

    @SqlUpdate("DELETE" + EARLIER_PERIODS)
    int deleteEarlierPeriods(@Bind("from") String from, @Bind("to") String to, @Bind("current") String currentPeriod);

    /** By id range, on the primary key: ids sort by the time they were made. */
    @SqlUpdate("DELETE FROM budget_reservations WHERE id < :bound")
    int deleteReservationsBelow(@Bind("bound") String lowestKeptId);

    @SqlQuery("SELECT " + UsageReservationMapper.COLUMNS + " FROM budget_reservations WHERE id = :id")
    Optional<UsageReservation> findReservation(@Bind("id") String id);

    @SqlUpdate("UPDATE budget_reservations SET tokens_cost = :r.tokensCost, settled_at = :r.settledAt WHERE id = :r.id")
    boolean updateReservation(@BindMethods("r") UsageReservation reservation);
}
