package io.kavach.store.sqlite.internal;

import io.kavach.store.jdbi.EpochMillisArgumentFactory;
import static org.assertj.core.api.Assertions.assertThat;

import io.kavach.model.AuditResult;
import io.kavach.spi.AuditQuery;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import io.kavach.testkit.AuditQueries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query plans of the audit store's statements, as SQLite makes them on the migrated schema
 * (with no statistics, as a store has): every read path seeks the index meant for it, and none
 * sorts in a temporary B-tree, so a page reads about as many rows as it returns and a scan streams.
 */
class SqliteAuditQueryPlanTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private static final String TEMP_SORT = "TEMP B-TREE";

    @TempDir
    Path dir;

    private Handle handle;
    private SqliteAuditStore audit;
    /** The SQL (with ? placeholders) of every statement run since the last {@link #plans} call. */
    private final List<String> executed = new ArrayList<>();

    @BeforeEach
    void open() {
        Path file = dir.resolve("kavach.db");
        SqliteDatabase.open(new StoreOptions(file, Duration.ofSeconds(5), 1, false)).close();
        Jdbi jdbi = Jdbi.create("jdbc:sqlite:" + file.toAbsolutePath());
        jdbi.installPlugin(new SqlObjectPlugin());
        jdbi.registerArgument(new EpochMillisArgumentFactory());
        jdbi.setSqlLogger(new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext context) {
                executed.add(context.getParsedSql().getSql());
            }
        });
        handle = jdbi.open();
        audit = new SqliteAuditStore(handle);
    }

    @AfterEach
    void close() {
        if (handle != null) {
            handle.close();
        }
    }

    @Test
    void aQueryByAgentUserOrTenantSeeksItsIndexInOrder() {
        assertThat(queryPlan(q().agent("agt_1"))).contains("INDEX audit_log_agent_ts (agent_id=?)").doesNotContain(TEMP_SORT);
        assertThat(queryPlan(q().user("user-1"))).contains("INDEX audit_log_user_ts (user_id=?)").doesNotContain(TEMP_SORT);
        assertThat(queryPlan(q().tenant("tenant-1"))).contains("INDEX audit_log_tenant_ts (tenant_id=?)")
                .doesNotContain(TEMP_SORT);
    }

    @Test
    void theMostSelectiveIdentityDrivesAndOtherFiltersOnlyFilter() {
        assertThat(queryPlan(q().agent("agt_1").user("user-1").tenant("t").actions("read")))
                .contains("INDEX audit_log_agent_ts (agent_id=?)").doesNotContain(TEMP_SORT);
        assertThat(queryPlan(q().agent("agt_1").actions("read", "write").since(T0).until(T0.plusSeconds(9))
                .before(T0.plusSeconds(5), "aud_x")))
                .contains("INDEX audit_log_agent_ts (agent_id=? AND ts>? AND ts<").doesNotContain(TEMP_SORT);
        assertThat(queryPlan(q().user("user-1").tenant("t").actions("read", "write", "execute")))
                .contains("INDEX audit_log_user_ts (user_id=?)").doesNotContain(TEMP_SORT);
        assertThat(queryPlan(q().tenant("t").actions("read")))
                .contains("INDEX audit_log_tenant_ts (tenant_id=?)").doesNotContain(TEMP_SORT);
    }

    @Test
    void aQueryByTimeRangeOrCursorSeeksTheTimestampIndex() {
        assertThat(queryPlan(q().since(T0).until(T0.plusSeconds(60))))
                .contains("INDEX audit_log_ts (ts>? AND ts<?)").doesNotContain(TEMP_SORT);
        assertThat(queryPlan(q().before(T0, "aud_x"))).contains("INDEX audit_log_ts (ts<?)").doesNotContain(TEMP_SORT);
        assertThat(queryPlan(q().results(AuditResult.DENIED).codes("RATE_LIMITED").resourcePrefix("db:")))
                .contains("INDEX audit_log_ts").doesNotContain(TEMP_SORT);
        assertThat(queryPlan(q())).contains("INDEX audit_log_ts").doesNotContain(TEMP_SORT);
    }

    @Test
    void aQueryByActionsSeeksTheActionIndexAndMergesSeveralInOrder() {
        assertThat(queryPlan(q().actions("read").since(T0)))
                .contains("INDEX audit_log_action_ts (action=? AND ts>?)").doesNotContain(TEMP_SORT);
        String several = queryPlan(q().actions("read", "write", "execute").before(T0, "aud_x"));
        assertThat(several).contains("MERGE (UNION ALL)").doesNotContain(TEMP_SORT).doesNotContain("SCAN");
        assertThat(several.lines().filter(line -> line.contains("INDEX audit_log_action_ts (action=? AND ts<?)")))
                .hasSize(3);
    }

    @Test
    void aScanStreamsFromTheSameIndexesOldestFirst() {
        assertThat(scanPlan(q().agent("agt_1"))).contains("INDEX audit_log_agent_ts (agent_id=?)").doesNotContain(TEMP_SORT);
        assertThat(scanPlan(q())).contains("INDEX audit_log_ts").doesNotContain(TEMP_SORT);
        assertThat(scanPlan(q().actions("read", "write"))).contains("MERGE (UNION ALL)").doesNotContain(TEMP_SORT);
        assertThat(scanPlan(q().since(T0).until(T0.plusSeconds(1)))).contains("INDEX audit_log_ts (ts>? AND ts<?)")
                .doesNotContain(TEMP_SORT);
    }

    @Test
    void theChainIsReadInRowidOrderAndItsEndsAreFoundWithoutScanning() {
        List<String> all = plans(() -> audit.scanChain(null, null, e -> { }));
        assertThat(all).singleElement().asString().contains("SCAN audit_log").doesNotContain(TEMP_SORT);

        // An empty range is answered by the first statement alone.
        assertThat(plans(() -> audit.scanChain(T0, T0.plusSeconds(60), e -> { }))).hasSize(1);
        insertEntry();
        List<String> bounded = plans(() -> audit.scanChain(T0, T0.plusSeconds(60), e -> { }));
        assertThat(bounded).hasSize(2);
        assertThat(bounded.get(0)).contains("COVERING INDEX audit_log_ts (ts>? AND ts<?)");
        assertThat(bounded.get(1)).contains("INTEGER PRIMARY KEY (rowid>? AND rowid<?)").doesNotContain(TEMP_SORT);

        assertThat(plans(() -> audit.headHash())).first().asString().contains("SCAN audit_log")
                .doesNotContain(TEMP_SORT);
        List<String> cleanup = plans(() -> audit.deleteBefore(T0.plusSeconds(60)));
        assertThat(cleanup).allSatisfy(plan -> assertThat(plan).doesNotContain(TEMP_SORT).doesNotContain("INDEX"));
        assertThat(String.join("\n", cleanup)).contains("INTEGER PRIMARY KEY (rowid<?)");
    }

    // --- helpers ---------------------------------------------------------------------------------

    private String queryPlan(AuditQueries query) {
        return String.join("\n", plans(() -> audit.query(query.query())));
    }

    private String scanPlan(AuditQueries query) {
        Consumer<io.kavach.model.AuditEntry> ignore = e -> { };
        return String.join("\n", plans(() -> audit.scan(query.query(), ignore)));
    }

    /** The plans of the SELECT and DELETE statements {@code work} runs, one string each. */
    private List<String> plans(Runnable work) {
        executed.clear();
        work.run();
        List<String> plans = new ArrayList<>();
        for (String sql : executed) {
            if (sql.startsWith("SELECT") || sql.startsWith("DELETE")) {
                plans.add(explain(sql));
            }
        }
        executed.clear();
        return plans;
    }

    /** EXPLAIN QUERY PLAN of {@code sql}, every parameter NULL (plans do not depend on values here). */
    private String explain(String sql) {
        Connection connection = handle.getConnection();
        try (PreparedStatement statement = connection.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            int parameters = statement.getParameterMetaData().getParameterCount();
            for (int i = 1; i <= parameters; i++) {
                statement.setNull(i, Types.NULL);
            }
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString("detail"));
                }
            }
            return String.join("\n", lines);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot explain " + sql, e);
        }
    }

    private void insertEntry() {
        handle.execute("INSERT INTO audit_log (id, ts, result, duration_micros, policy_ids, arguments, previous_hash,"
                + " hash) VALUES ('aud_1', ?, 'ALLOWED', 0, '[]', '{}', '', '')", T0.toEpochMilli());
    }

    private static AuditQueries q() {
        return AuditQueries.builder().limit(10);
    }

    /** A mutable builder of {@link AuditQuery}s. */
}
