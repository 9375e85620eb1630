package io.kavach.store.jdbi;

import io.kavach.model.AuditEntry;
import io.kavach.model.UsageReservation;
import io.kavach.spi.PolicyStore.UsageIncrement;
import io.kavach.spi.codec.JsonCodec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The writes authorize makes for every decision, each as one JDBC batch with its columns bound
 * directly: binding through Jdbi cost more than SQLite's inserts. Same columns and encodings as
 * the stores' single-row statements, and the same SQL in both dialects. Each method runs inside the
 * handle's transaction; a failure surfaces as a Jdbi exception, which the session translates.
 */
public final class JdbcBatches {
    private static final String APPEND_AUDIT = "INSERT INTO audit_log (id, ts, agent_id, user_id, tenant_id, action,"
            + " resource, result, code, reason, tokens_cost, duration_micros, delegation_chain_id, policy_ids, ip,"
            + " user_agent, arguments, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_RESERVATION = "INSERT INTO budget_reservations (id, agent_id, policy_ids,"
            + " day_period, month_period, tokens_cost, created_at, settled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String ADD_USAGE = "INSERT INTO budget_counters (policy_id, period, tokens_cost, calls,"
            + " cost_micros) VALUES (?, ?, ?, ?, ?) ON CONFLICT (policy_id, period) DO UPDATE SET"
            + " tokens_cost = budget_counters.tokens_cost + excluded.tokens_cost,"
            + " calls = budget_counters.calls + excluded.calls,"
            + " cost_micros = budget_counters.cost_micros + excluded.cost_micros";
    private static final String TOUCH = "UPDATE agents SET last_active_at = ? WHERE id = ?";

    private JdbcBatches() {
    }

    /** Binds one row's parameters. */
    @FunctionalInterface
    private interface Binder<T> {
        void bind(PreparedStatement statement, T row) throws SQLException;
    }

    /** What to do with a cached statement. */
    @FunctionalInterface
    private interface Use<R> {
        R apply(PreparedStatement statement) throws SQLException;
    }

    /** Appends {@code entries} to {@code audit_log} in list order; the database assigns {@code seq}. */
    public static void appendAudit(Handle handle, List<AuditEntry> entries) {
        run(handle, APPEND_AUDIT, entries, (s, e) -> {
            s.setString(1, e.id());
            s.setLong(2, e.timestamp().toEpochMilli());
            s.setString(3, e.agentId());
            s.setString(4, e.userId());
            s.setString(5, e.tenantId());
            s.setString(6, e.action());
            s.setString(7, e.resource());
            s.setString(8, e.result().name());
            s.setString(9, e.code());
            s.setString(10, e.reason());
            setLong(s, 11, e.tokensCost());
            s.setLong(12, e.durationMicros());
            s.setString(13, e.delegationChainId());
            s.setString(14, JsonCodec.stringsToJson(e.policyIds()));
            s.setString(15, e.ip());
            s.setString(16, e.userAgent());
            s.setString(17, JsonCodec.mapToJson(e.arguments()));
            s.setString(18, e.previousHash());
            s.setString(19, e.hash());
        });
    }

    public static void insertReservations(Handle handle, List<UsageReservation> reservations) {
        run(handle, INSERT_RESERVATION, reservations, (s, r) -> {
            s.setString(1, r.id());
            s.setString(2, r.agentId());
            s.setString(3, JsonCodec.stringsToJson(r.policyIds()));
            s.setString(4, r.dayPeriod());
            s.setString(5, r.monthPeriod());
            s.setLong(6, r.tokensCost());
            s.setLong(7, r.createdAt().toEpochMilli());
            setLong(s, 8, r.settledAt() == null ? null : r.settledAt().toEpochMilli());
        });
    }

    /** Adds each increment to its counters, creating them at the increment; one statement per row. */
    public static void addUsages(Handle handle, List<UsageIncrement> increments) {
        run(handle, ADD_USAGE, increments, (s, i) -> {
            s.setString(1, i.policyId());
            s.setString(2, i.period());
            s.setLong(3, i.delta().tokensCost());
            s.setLong(4, i.delta().calls());
            s.setLong(5, i.delta().costMicros());
        });
    }

    public static void touchAll(Handle handle, Map<String, Instant> lastActiveAt) {
        run(handle, TOUCH, lastActiveAt.entrySet(), (s, e) -> {
            s.setLong(1, e.getValue().toEpochMilli());
            s.setString(2, e.getKey());
        });
    }

    /**
     * Runs one statement without parameters, such as {@code BEGIN IMMEDIATE} or {@code COMMIT}, on a
     * cached prepared statement.
     */
    public static void execute(Handle handle, String sql) {
        using(handle, sql, PreparedStatement::execute);
    }

    /** Counts a write unit and returns its write sequence (see {@link io.kavach.spi.StoreSession#writeSequence()}). */
    static long nextWriteSequence(Handle handle) {
        return using(handle, "UPDATE kavach_write_sequence SET value = value + 1 WHERE id = 1 RETURNING value",
                statement -> {
                    try (ResultSet next = statement.executeQuery()) {
                        if (!next.next()) {
                            throw new IllegalStateException("kavach_write_sequence has no row: the schema is damaged");
                        }
                        return next.getLong(1);
                    }
                });
    }

    private static <T> void run(Handle handle, String sql, Collection<T> rows, Binder<? super T> binder) {
        if (rows.isEmpty()) {
            return;
        }
        using(handle, sql, statement -> {
            if (rows.size() == 1) {
                binder.bind(statement, rows.iterator().next());
                return statement.execute();
            }
            for (T row : rows) {
                binder.bind(statement, row);
                statement.addBatch();
            }
            return statement.executeBatch();
        });
    }

    /** Runs {@code use} on the cached statement for {@code sql}; a driver failure becomes a Jdbi exception. */
    private static <R> R using(Handle handle, String sql, Use<R> use) {
        try {
            PreparedStatement statement = StatementCache.prepare(handle, sql);
            try {
                return use.apply(statement);
            } finally {
                StatementCache.release(handle, sql, statement);
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e.getMessage(), e, null);
        }
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }
}
