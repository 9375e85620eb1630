package io.kavach.store.jdbi;

import io.kavach.model.BudgetPolicy;
import io.kavach.model.Ids;
import io.kavach.model.PolicyScope;
import io.kavach.model.PolicyUsage;
import io.kavach.model.UsageReservation;
import io.kavach.spi.PolicyQuery;
import io.kavach.spi.PolicyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * {@link PolicyStore} on {@code budget_policies}, {@code budget_pool_members}, {@code budget_counters}
 * and {@code budget_reservations} of one transaction.
 */
final class JdbiPolicyStore implements PolicyStore {
    private static final String USAGE = "SELECT " + PolicyUsageMapper.COLUMNS + " FROM budget_counters"
            + " WHERE policy_id = :policyId AND period = :period";
    private static final BudgetPolicyMapper POLICIES = new BudgetPolicyMapper();
    private static final PolicyUsageMapper USAGES = new PolicyUsageMapper();
    private static final BudgetPolicyMapper MAPPER = new BudgetPolicyMapper();
    /** A global policy: no identity field and no pool. */
    private static final String GLOBAL = "(p.agent_id IS NULL AND p.user_id IS NULL AND p.tenant_id IS NULL"
            + " AND p.pool_name IS NULL)";

    private final Handle handle;
    private PolicyDao dao;

    JdbiPolicyStore(Handle handle) {
        this.handle = handle;
    }

    /** Attached on first use: attaching costs more than most statements, and many units need no DAO. */
    private PolicyDao dao() {
        if (dao == null) {
            dao = handle.attach(PolicyDao.class);
        }
        return dao;
    }

    @Override
    public void insert(BudgetPolicy policy) {
        PolicyScope scope = policy.scope();
        dao().insert(policy, scope, policy.limits());
        for (String agentId : scope.poolAgentIds()) {
            dao().insertMember(policy.id(), agentId);
        }
    }

    @Override
    public Optional<BudgetPolicy> find(String policyId) {
        return dao().find(policyId);
    }

    @Override
    public boolean update(BudgetPolicy policy) {
        return dao().update(policy, policy.limits());
    }

    @Override
    public boolean delete(String policyId) {
        // The foreign keys cascade too; deleting explicitly does not depend on them being enforced.
        dao().deleteMembers(policyId);
        dao().deleteCounters(policyId);
        return dao().delete(policyId);
    }

    @Override
    public List<BudgetPolicy> applicableTo(String agentId, String ownerId, String tenantId) {
        // Fluent rather than through the DAO: authorize and budget reads run it on every cache miss,
        // and attaching the DAO cost more than the query.
        return handle.createQuery(PolicyDao.APPLICABLE_TO)
                .bind("agentId", agentId).bind("ownerId", ownerId).bind("tenantId", tenantId)
                .map(POLICIES).list();
    }

    /**
     * As specified: {@code userId} and {@code tenantId}, when set, must both match the scope's own
     * fields; {@code includeGlobal} then adds the global policies. Without either, every policy
     * (pools included) is listed.
     */
    @Override
    public List<BudgetPolicy> list(PolicyQuery query) {
        Where where = new Where();
        List<String> named = new ArrayList<>();
        if (query.userId() != null) {
            named.add("p.user_id = :userId");
            where.bind("userId", query.userId());
        }
        if (query.tenantId() != null) {
            named.add("p.tenant_id = :tenantId");
            where.bind("tenantId", query.tenantId());
        }
        if (!named.isEmpty()) {
            String scope = "(" + String.join(" AND ", named) + ")";
            where.condition(query.includeGlobal() ? "(" + scope + " OR " + GLOBAL + ")" : scope);
        }
        where.equal("p.status", "status", query.status() == null ? null : query.status().name());
        return where.select(handle, BudgetPolicyMapper.COLUMNS + " FROM budget_policies p",
                        "ORDER BY p.id LIMIT :limit")
                .bind("limit", query.limit())
                .map(MAPPER)
                .list();
    }

    @Override
    public PolicyUsage usage(String policyId, String period) {
        return handle.createQuery(USAGE).bind("policyId", policyId).bind("period", period)
                .map(USAGES).findOne().orElse(PolicyUsage.ZERO);
    }

    @Override
    public void addUsage(String policyId, String period, PolicyUsage delta) {
        addUsages(List.of(new UsageIncrement(policyId, period, delta)));
    }

    /** Deletes the row: no counters read as zero. */
    @Override
    public void clearUsage(String policyId, String period) {
        dao().clearUsage(policyId, period);
    }

    @Override
    public List<String> closeEarlierPeriods(String periodPrefix, String currentPeriod) {
        String end = afterPrefix(periodPrefix);
        List<String> closed = dao().findEarlierPeriods(periodPrefix, end, currentPeriod);
        if (!closed.isEmpty()) {
            dao().deleteEarlierPeriods(periodPrefix, end, currentPeriod);
        }
        return closed;
    }

    /**
     * The smallest string above every string that starts with {@code prefix}: its last character
     * one higher. Periods start with {@code D:} or {@code M:}.
     */
    static String afterPrefix(String prefix) {
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("the period prefix must not be empty");
        }
        int last = prefix.length() - 1;
        return prefix.substring(0, last) + (char) (prefix.charAt(last) + 1);
    }

    @Override
    public void insertReservation(UsageReservation reservation) {
        insertReservations(List.of(reservation));
    }

    @Override
    public void addUsages(List<UsageIncrement> increments) {
        JdbcBatches.addUsages(handle, increments);
    }

    @Override
    public void insertReservations(List<UsageReservation> reservations) {
        JdbcBatches.insertReservations(handle, reservations);
    }

    @Override
    public long deleteReservationsBefore(Instant cutoff) {
        return dao().deleteReservationsBelow(Ids.lowestAt(Ids.AUDIT, cutoff));
    }

    @Override
    public Optional<UsageReservation> findReservation(String usageId) {
        return dao().findReservation(usageId);
    }

    @Override
    public boolean updateReservation(UsageReservation reservation) {
        return dao().updateReservation(reservation);
    }
}
