package io.kavach.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kavach.error.InvalidInputException;
import io.kavach.error.KavachException;
import io.kavach.error.StoreException;
import io.kavach.model.Agent;
import io.kavach.model.AgentStatus;
import io.kavach.model.AgentType;
import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import io.kavach.model.DelegationChain;
import io.kavach.model.DelegationStatus;
import io.kavach.spi.AuditQuery;
import io.kavach.spi.StoreSession;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SQLite store does beyond the storage contract: options, schema, locking, errors. */
class SqliteStoreTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("kavach.db");
    }

    // --- options ---------------------------------------------------------------------------------

    @Test
    void theBuilderRejectsBadValuesAtOnceNamingTheOption() {
        SqliteStore.Builder builder = SqliteStore.builder(file());

        assertRejected(() -> SqliteStore.builder(null), "file");
        assertRejected(() -> SqliteStore.open(null), "file");
        assertRejected(() -> SqliteStore.builder(dir.resolve("kavach.db?mode=memory")), "file");
        assertRejected(() -> builder.busyTimeout(null), "busyTimeout");
        assertRejected(() -> builder.busyTimeout(Duration.ZERO), "busyTimeout");
        assertRejected(() -> builder.busyTimeout(Duration.ofMillis(-5)), "busyTimeout");
        assertRejected(() -> builder.busyTimeout(Duration.ofNanos(999_999)), "busyTimeout");
        assertRejected(() -> builder.busyTimeout(Duration.ofDays(365)), "busyTimeout");
        assertRejected(() -> builder.readPoolSize(0), "readPoolSize");
        assertRejected(() -> builder.readPoolSize(-1), "readPoolSize");
        assertRejected(() -> builder.synchronous(null), "synchronous");
        assertThat(file()).doesNotExist();
    }

    private static void assertRejected(Runnable call, String field) {
        assertThatThrownBy(call::run)
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field))
                .hasMessageContaining(field);
    }

    @Test
    void aStoreOpensWithEveryOptionSet() {
        try (SqliteStore store = SqliteStore.builder(file())
                .busyTimeout(Duration.ofSeconds(5))
                .readPoolSize(1)
                .synchronous(SqliteStore.Synchronous.FULL)
                .build()) {
            Agent agent = agent();
            store.write(s -> insert(s, agent));

            assertThat(find(store, agent.id())).contains(agent);
        }
    }

    // --- schema ----------------------------------------------------------------------------------

    @Test
    void migrationsAreRecordedOnOpenAndNotAppliedAgain() throws SQLException {
        Agent agent = agent();
        try (SqliteStore store = SqliteStore.open(file())) {
            store.write(s -> insert(s, agent));
        }
        List<String> recorded = schemaVersions();

        try (SqliteStore store = SqliteStore.open(file())) {
            assertThat(find(store, agent.id())).contains(agent);
        }
        try (SqliteStore store = SqliteStore.open(file())) {
            assertThat(find(store, agent.id())).contains(agent);
        }

        assertThat(recorded).extracting(row -> row.substring(0, row.lastIndexOf(' ')))
                .containsExactly("1 identity", "2 delegation", "3 rate_limits", "4 approvals", "5 audit",
                        "6 budget_policies", "7 audit_chain", "8 costs", "9 write_sequence");
        assertThat(schemaVersions()).isEqualTo(recorded);
    }

    @Test
    void twoStoresOpeningANewFileAtOnceApplyEachMigrationOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<SqliteStore>> opening = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                opening.add(pool.submit(() -> {
                    start.await();
                    return SqliteStore.open(file());
                }));
            }
            start.countDown();
            for (Future<SqliteStore> future : opening) {
                future.get(1, TimeUnit.MINUTES).close();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(schemaVersions()).hasSize(9);
    }

    @Test
    void aVersion6AuditLogIsCarriedIntoTheChainInItsAppendOrder() throws Exception {
        // A file as version 6 left it, its entries appended out of timestamp order.
        Jdbi jdbi = Jdbi.create("jdbc:sqlite:" + file().toAbsolutePath());
        jdbi.useHandle(handle -> {
            handle.execute("CREATE TABLE kavach_schema_version (version INTEGER PRIMARY KEY,"
                    + " description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
            List<String> names = List.of("identity", "delegation", "rate_limits", "approvals", "audit",
                    "budget_policies");
            for (int version = 1; version <= names.size(); version++) {
                String resource = "/io/kavach/store/sqlite/migrations/V" + version + "__" + names.get(version - 1)
                        + ".sql";
                try (InputStream in = SqliteStoreTest.class.getResourceAsStream(resource)) {
                    assertThat(in).as(resource).isNotNull();
                    handle.createScript(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                            .executeAsSeparateStatements();
                }
                handle.execute("INSERT INTO kavach_schema_version VALUES (?, ?, 0)", version, names.get(version - 1));
            }
            for (String[] row : new String[][] {{"aud_B", "5000"}, {"aud_A", "3000"}, {"aud_C", "4000"}}) {
                handle.execute("INSERT INTO audit_log (id, ts, agent_id, action, resource, result, duration_micros,"
                        + " policy_ids, arguments) VALUES (?, ?, 'agt_1', 'read', 'db:x', 'ALLOWED', 7, '[]', '{}')",
                        row[0], Long.parseLong(row[1]));
            }
        });

        try (SqliteStore store = SqliteStore.open(file())) {
            List<AuditEntry> chain = store.read(s -> {
                List<AuditEntry> entries = new ArrayList<>();
                s.audit().scanChain(null, null, entries::add);
                return entries;
            });
            assertThat(chain).extracting(AuditEntry::id).containsExactly("aud_B", "aud_A", "aud_C");
            assertThat(chain).allSatisfy(e -> {
                assertThat(e.previousHash()).isEmpty();
                assertThat(e.hash()).isEmpty();
                assertThat(e.durationMicros()).isEqualTo(7);
            });
            List<AuditEntry> newestFirst = store.read(s -> s.audit().query(AuditQuery.of("agt_1", null, null, 10)));
            assertThat(newestFirst).extracting(AuditEntry::id).containsExactly("aud_B", "aud_C", "aud_A");

            AuditEntry next = new AuditEntry("aud_D", Instant.ofEpochMilli(1000), "agt_1", null, null, "read", "db:x",
                    AuditResult.ALLOWED, "ALLOWED", null, null, 1, null, List.of(), null, null, Map.of(), "",
                    "0".repeat(63) + "1");
            store.write(s -> {
                s.audit().append(next);
                return null;
            });
            Optional<String> head = store.read(s -> s.audit().headHash());
            assertThat(head).contains(next.hash());
            long deleted = store.write(s -> s.audit().deleteBefore(Instant.ofEpochMilli(4500)));
            assertThat(deleted).as("aud_B, first in the chain, is not old").isZero();
        }
        assertThat(schemaVersions()).hasSize(9);
    }

    @Test
    void aDatabaseWithANewerSchemaIsRefusedNamingBothVersions() throws SQLException {
        SqliteStore.open(file()).close();
        execute("INSERT INTO kavach_schema_version (version, description, applied_at) VALUES (10, 'future', 0)");

        assertThatThrownBy(() -> SqliteStore.open(file()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 10")
                .hasMessageContaining("version 9");
    }

    @Test
    void theDatabaseIsInWalModeAndEnforcesForeignKeys() throws SQLException {
        try (SqliteStore store = SqliteStore.open(file())) {
            Agent agent = agent();
            store.write(s -> insert(s, agent));
            DelegationChain toNobody = new DelegationChain("dlg_1", agent.id(), "agt_nobody", List.of(), List.of(),
                    1, 1, DelegationStatus.ACTIVE, T0.plusSeconds(60), T0, null);

            assertThatThrownBy(() -> store.write(s -> {
                s.delegations().insert(toNobody);
                return null;
            })).isInstanceOf(StoreException.class).hasMessageContaining("FOREIGN KEY");

            try (Connection connection = connect(); Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("PRAGMA journal_mode")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
        }
    }

    @Test
    void anExpiredStatusIsNeverStored() {
        try (SqliteStore store = SqliteStore.open(file())) {
            Agent expired = new Agent("agt_expired", "user-1", null, "x", AgentType.AUTONOMOUS, AgentStatus.EXPIRED,
                    List.of(), T0, Map.of(), "kv_expired0", T0, T0, null);

            assertThatThrownBy(() -> store.write(s -> insert(s, expired)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("status");
        }
    }

    // --- concurrency and locking -----------------------------------------------------------------

    @Test
    void twoStoresOnOneFileSerializeTheirWritesAndLoseNoUpdate() throws Exception {
        int threadsPerStore = 8;
        int unitsPerThread = 100;
        Agent counter = agent();
        try (SqliteStore first = SqliteStore.open(file()); SqliteStore second = SqliteStore.open(file())) {
            first.write(s -> insert(s, counter));
            ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerStore);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 2 * threadsPerStore; t++) {
                    SqliteStore store = t % 2 == 0 ? first : second;
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < unitsPerThread; i++) {
                            store.write(s -> increment(s, counter.id()));
                            store.read(s -> s.agents().find(counter.id()));
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> future : futures) {
                    future.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }

            int total = 2 * threadsPerStore * unitsPerThread;
            assertThat(second.read(s -> s.agents().find(counter.id())).orElseThrow().metadata())
                    .containsEntry("n", total);
            int calls = first.read(s -> s.rateLimits().window(counter.id(), "k", Instant.EPOCH).count());
            assertThat(calls).isEqualTo(total);
        }
    }

    /** Reads the counter and the number of recorded calls, and writes both back one higher. */
    private static Void increment(StoreSession s, String agentId) {
        Agent agent = s.agents().find(agentId).orElseThrow();
        int n = ((Number) agent.metadata().get("n")).intValue();
        s.agents().update(new Agent(agent.id(), agent.ownerId(), agent.tenantId(), agent.name(), agent.type(),
                agent.status(), agent.permissions(), agent.expiresAt(), Map.of("n", n + 1), agent.tokenPrefix(),
                agent.createdAt(), agent.updatedAt(), agent.lastActiveAt()));
        s.rateLimits().record(agentId, "k", T0.plusMillis(n), Instant.EPOCH);
        return null;
    }

    @Test
    void aWriteWaitsForAnotherProcessHoldingTheWriteLockAndThenSucceeds() throws Exception {
        try (SqliteStore store = SqliteStore.builder(file()).busyTimeout(Duration.ofMillis(200)).build()) {
            Agent agent = agent();
            CompletableFuture<Void> held = holdWriteLock(Duration.ofMillis(300));

            store.write(s -> insert(s, agent));

            held.get(1, TimeUnit.MINUTES);
            assertThat(find(store, agent.id())).contains(agent);
        }
    }

    @Test
    void aWriteLockHeldBeyondTheRetryBudgetFailsWithAStoreException() throws Exception {
        try (SqliteStore store = SqliteStore.builder(file()).busyTimeout(Duration.ofMillis(50)).build()) {
            Agent agent = agent();
            CompletableFuture<Void> held = holdWriteLock(Duration.ofSeconds(2));

            Throwable thrown = catchThrowable(() -> store.write(s -> insert(s, agent)));

            assertThat(thrown).isInstanceOf(StoreException.class).hasMessageContaining("stayed locked");
            held.get(1, TimeUnit.MINUTES);
            store.write(s -> insert(s, agent));
            assertThat(find(store, agent.id())).contains(agent);
        }
    }

    /** Takes the file's write lock on a plain connection, as another process would, for {@code duration}. */
    private CompletableFuture<Void> holdWriteLock(Duration duration) throws Exception {
        CountDownLatch locked = new CountDownLatch(1);
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("BEGIN IMMEDIATE");
                statement.execute("INSERT INTO rate_events (agent_id, permission_key, at) VALUES ('other', 'k', 0)");
                locked.countDown();
                Thread.sleep(duration.toMillis());
                statement.execute("COMMIT");
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(locked.await(1, TimeUnit.MINUTES)).isTrue();
        return done;
    }

    @Test
    void aReadDoesNotWaitForAWriteInProgressAndSeesTheLastCommittedState() throws Exception {
        try (SqliteStore store = SqliteStore.open(file())) {
            Agent agent = agent();
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> store.write(s -> {
                insert(s, agent);
                inside.countDown();
                await(release);
                return null;
            }));
            assertThat(inside.await(1, TimeUnit.MINUTES)).isTrue();

            assertThat(find(store, agent.id())).isEmpty();

            release.countDown();
            writing.get(1, TimeUnit.MINUTES);
            assertThat(find(store, agent.id())).contains(agent);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(1, TimeUnit.MINUTES)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void writeUnitsMustNotNest() {
        try (SqliteStore store = SqliteStore.open(file())) {
            Agent agent = agent();

            Throwable thrown = catchThrowable(() -> store.write(s -> {
                insert(s, agent);
                return store.write(inner -> null);
            }));

            assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("nested");
            assertThat(find(store, agent.id())).isEmpty();
        }
    }

    @Test
    void aSessionCannotBeUsedAfterItsUnitOfWork() {
        try (SqliteStore store = SqliteStore.open(file())) {
            AtomicReference<StoreSession> leaked = new AtomicReference<>();
            store.write(s -> {
                leaked.set(s);
                return s.agents().find("agt_x");
            });

            assertThatThrownBy(() -> leaked.get().agents().find("agt_x")).isInstanceOf(IllegalStateException.class);
        }
    }

    // --- errors and lifecycle --------------------------------------------------------------------

    @Test
    void aFileInAMissingDirectoryFailsWithAStoreException() {
        Path missing = dir.resolve("no-such-dir").resolve("kavach.db");

        Throwable thrown = catchThrowable(() -> SqliteStore.open(missing));

        assertThat(thrown).isInstanceOf(StoreException.class).hasMessageContaining(missing.toString());
        assertThat(((KavachException) thrown).code()).isEqualTo(io.kavach.error.ErrorCode.STORE_FAILURE);
    }

    @Test
    void aFileThatIsNotADatabaseFailsWithAStoreException() throws Exception {
        Files.writeString(file(), "this is not a database, just some text that is long enough to fill a header\n"
                .repeat(20));

        assertThatThrownBy(() -> SqliteStore.open(file()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("not a database");
    }

    @Test
    void closeIsIdempotentAndAClosedStoreRefusesWork() {
        SqliteStore store = SqliteStore.open(file());
        store.close();
        store.close();

        assertThatThrownBy(() -> store.read(s -> s.agents().find("agt_x")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> store.write(s -> null)).isInstanceOf(StoreException.class);
    }

    // --- helpers ---------------------------------------------------------------------------------

    private int agents;

    private Agent agent() {
        return new Agent(String.format("agt_%026d", ++agents), "user-1", null, "counter", AgentType.SERVICE,
                AgentStatus.ACTIVE, List.of(), null, Map.of("n", 0), "kv_abcdefgh", T0, T0, null);
    }

    private static Void insert(StoreSession s, Agent agent) {
        s.agents().insert(agent, "hash-of-" + agent.id());
        return null;
    }

    private static Optional<Agent> find(SqliteStore store, String agentId) {
        return store.read(s -> s.agents().find(agentId));
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file().toAbsolutePath());
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The rows of the schema version table as "version description applied_at", in order. */
    private List<String> schemaVersions() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT version, description, applied_at FROM kavach_schema_version ORDER BY version")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getLong(3));
            }
        }
        return rows;
    }
}
