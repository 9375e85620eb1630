package io.kavach.bench;

import io.kavach.AuthorizeRequest;
import io.kavach.Decision;
import io.kavach.Kavach;
import io.kavach.agent.AgentCredentials;
import io.kavach.agent.CreateAgentRequest;
import io.kavach.audit.AuditFilter;
import io.kavach.audit.ExportFormat;
import io.kavach.bench.jmh.BudgetEvaluatorBenchmark;
import io.kavach.cost.CostBudgetCheck;
import io.kavach.cost.CostReport;
import io.kavach.cost.RecordCostRequest;
import io.kavach.model.Permission;
import io.kavach.model.PolicyAction;
import io.kavach.policy.BudgetEvaluator;
import io.kavach.policy.BudgetEvaluator.PolicyState;
import io.kavach.policy.BudgetPeriods;
import io.kavach.policy.CreatePolicyRequest;
import io.kavach.store.sqlite.SqliteStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.sqlite.SQLiteConfig;

/**
 * The load harness: runs one scenario for a while on N caller threads and prints one JSON line.
 *
 * <pre>
 * java -jar kavach-bench/target/kavach-bench.jar --scenario NAME --threads N --seconds S [--db PATH]
 *      [--warmup S] [--agents N] [--events N] [--entries N] [--batch N]
 * </pre>
 *
 * Scenarios:
 * <ul>
 *   <li>{@code durable-sqlite}, {@code durable-sqlite-full}: {@code kavach.authorize} with a token
 *       cost on a fresh SQLite file (WAL, synchronous NORMAL or FULL), {@code --agents} agents
 *       with four permissions and three stacked policies each (agent, user, global) that never
 *       deny during the run;</li>
 *   <li>{@code raw-sqlite-insert}: the baseline, one JDBC connection inserting audit-sized rows
 *       into a table shaped and indexed like the audit log, {@code --batch} rows per transaction,
 *       same pragmas; ops are rows, latencies are per batch;</li>
 *   <li>{@code memory-eval}: no store; the agent's grants ({@link Permission#grants}) and
 *       {@link BudgetEvaluator#evaluate} over three policies;</li>
 *   <li>{@code spend-read}: {@code --events} cost events filled through the store SPI, then
 *       {@code costs().getAgentCost} and {@code costs().checkBudget}, alternately;</li>
 *   <li>{@code export-csv}: {@code --entries} chained audit entries filled through the SPI, then
 *       one {@code audit().export} as CSV to a null stream (threads and seconds are ignored).</li>
 * </ul>
 * Every line carries {@code scenario, threads, seconds} (measured), {@code ops, opsPerSecond,
 * p50Micros, p99Micros}, then fields of the scenario. Latencies are sampled per thread (all of them
 * up to {@value Latencies#CAPACITY} calls, then a uniform sample).
 */
public final class LoadHarness {
    static final String USAGE = "usage: java -jar kavach-bench.jar --scenario NAME --threads N --seconds S [--db PATH]"
            + " [--warmup S] [--agents N] [--events N] [--entries N] [--batch N]\n"
            + "scenarios: durable-sqlite, durable-sqlite-full, raw-sqlite-insert, memory-eval, spend-read, export-csv";

    private LoadHarness() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.jboss.logging.provider") == null) {
            // Hibernate Validator logs through JBoss Logging: send it to SLF4J, kept to warnings.
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
        try {
            run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    /** Runs the scenario the arguments name, prints its JSON line to {@code out} and returns it. */
    public static String run(String[] args, PrintStream out) throws Exception {
        Options options = Options.parse(args);
        Map<String, Object> fields = switch (options.scenario) {
            case "durable-sqlite" -> Scenarios.durable(options, SqliteStore.Synchronous.NORMAL);
            case "durable-sqlite-full" -> Scenarios.durable(options, SqliteStore.Synchronous.FULL);
            case "raw-sqlite-insert" -> Scenarios.rawInsert(options);
            case "memory-eval" -> Scenarios.memoryEval(options);
            case "spend-read" -> Scenarios.spendRead(options);
            case "export-csv" -> Scenarios.exportCsv(options);
            default -> throw new IllegalArgumentException("unknown scenario: " + options.scenario);
        };
        String line = Json.line(fields);
        out.println(line);
        out.flush();
        return line;
    }

    /** The command line. */
    static final class Options {
        String scenario;
        int threads = 1;
        double seconds = 10;
        double warmup = -1;
        Path db;
        int agents = -1;
        long events = 200_000;
        long entries = 200_000;
        int batch = 1_000;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + name);
                }
                String value = args[++i];
                try {
                    switch (name) {
                        case "--scenario" -> o.scenario = value;
                        case "--threads" -> o.threads = positive(name, Integer.parseInt(value));
                        case "--seconds" -> o.seconds = Double.parseDouble(value);
                        case "--warmup" -> o.warmup = Double.parseDouble(value);
                        case "--db" -> o.db = Path.of(value);
                        case "--agents" -> o.agents = positive(name, Integer.parseInt(value));
                        case "--events" -> o.events = positive(name, Long.parseLong(value));
                        case "--entries" -> o.entries = positive(name, Long.parseLong(value));
                        case "--batch" -> o.batch = positive(name, Integer.parseInt(value));
                        default -> throw new IllegalArgumentException("unknown option: " + name);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a number for " + name + ": " + value, e);
                }
            }
            if (o.scenario == null) {
                throw new IllegalArgumentException("--scenario is required");
            }
            if (!(o.seconds > 0)) {
                throw new IllegalArgumentException("--seconds must be positive");
            }
            if (o.warmup < 0) {
                // Default: a fifth of the run, at most 3 s, for the JIT and the caches.
                o.warmup = Math.min(3, o.seconds / 5);
            }
            return o;
        }

        int agents(int fallback) {
            return agents > 0 ? agents : fallback;
        }

        /** The database file: the one given, which must not exist yet, or a new temporary one. */
        Path freshDb(String prefix) throws IOException {
            if (db != null) {
                if (Files.exists(db)) {
                    throw new IllegalArgumentException(db + " exists; --db must name a new file");
                }
                return db;
            }
            return Files.createTempDirectory(prefix).resolve(prefix + ".db");
        }

        private static <N extends Number> N positive(String name, N n) {
            if (n.longValue() < 1) {
                throw new IllegalArgumentException(name + " must be at least 1");
            }
            return n;
        }
    }

    /** One call of a scenario on one caller thread; returns how many operations it did (rows for a batch). */
    @FunctionalInterface
    interface Op {
        long call(int thread, long iteration) throws Exception;
    }

    /** What a timed loop measured. */
    record Measured(long ops, double seconds, long[] sortedNanos, List<long[]> sortedNanosByKind) {
        double opsPerSecond() {
            return ops / seconds;
        }

        void into(Map<String, Object> fields) {
            fields.put("seconds", seconds);
            fields.put("ops", ops);
            fields.put("opsPerSecond", opsPerSecond());
            fields.put("p50Micros", Latencies.percentileMicros(sortedNanos, 50));
            fields.put("p99Micros", Latencies.percentileMicros(sortedNanos, 99));
            fields.put("p999Micros", Latencies.percentileMicros(sortedNanos, 99.9));
            fields.put("maxMicros", sortedNanos.length == 0 ? 0.0 : sortedNanos[sortedNanos.length - 1] / 1_000.0);
        }
    }

    /**
     * Runs {@code op} on {@code threads} threads: {@code warmup} seconds unmeasured, then
     * {@code seconds} measured. Call {@code i} of a thread is of kind {@code i % kinds}, whose
     * latencies are also kept apart.
     */
    static Measured loop(int threads, double warmup, double seconds, int kinds, Op op) throws Exception {
        List<List<Latencies>> byKind = new ArrayList<>();
        for (int k = 0; k < kinds; k++) {
            List<Latencies> perThread = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                perThread.add(new Latencies());
            }
            byKind.add(perThread);
        }
        AtomicLong ops = new AtomicLong();
        AtomicLong lastFinish = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        long[] times = new long[2];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    ready.countDown();
                    go.await();
                    long warmEnd = times[0];
                    long end = times[1];
                    long i = 0;
                    while (System.nanoTime() < warmEnd && failure.get() == null) {
                        op.call(thread, i++);
                    }
                    long done = 0;
                    long now = System.nanoTime();
                    while (now < end && failure.get() == null) {
                        long kind = i % kinds;
                        done += op.call(thread, i++);
                        long after = System.nanoTime();
                        byKind.get((int) kind).get(thread).record(after - now);
                        now = after;
                    }
                    ops.addAndGet(done);
                    lastFinish.accumulateAndGet(now, Math::max);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "kavach-bench-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        ready.await();
        long start = System.nanoTime();
        times[0] = start + (long) (warmup * 1e9);
        times[1] = times[0] + (long) (seconds * 1e9);
        go.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        Throwable failed = failure.get();
        if (failed instanceof Exception e) {
            throw e;
        } else if (failed != null) {
            throw new IllegalStateException(failed);
        }
        List<Latencies> all = new ArrayList<>();
        List<long[]> sortedByKind = new ArrayList<>();
        for (List<Latencies> kind : byKind) {
            all.addAll(kind);
            sortedByKind.add(Latencies.merge(kind));
        }
        double measured = Math.max(1, lastFinish.get() - times[0]) / 1e9;
        return new Measured(ops.get(), measured, Latencies.merge(all), sortedByKind);
    }

    /** The scenarios. */
    static final class Scenarios {
        static final long NEVER = 1_000_000_000_000L;
        static final Instant NOW = Instant.parse("2026-03-31T12:00:00Z");
        static final List<Permission> GRANTS = List.of(
                Permission.of("mcp:github:*", "read"),
                Permission.of("mcp:slack:channels:*", "read", "write"),
                Permission.of("db:orders:**", "read"),
                Permission.of("llm:**", "execute"));

        private Scenarios() {
        }

        static Map<String, Object> durable(Options o, SqliteStore.Synchronous synchronous) throws Exception {
            Path db = o.freshDb("kavach-durable");
            int agentCount = o.agents(64);
            int users = Math.max(1, agentCount / 8);
            Map<String, Object> fields = head(o, o.threads);
            AtomicLong denied = new AtomicLong();
            Measured m;
            try (Kavach kavach = Kavach.builder().store(SqliteStore.builder(db).synchronous(synchronous).build()).build()) {
                String[] agents = new String[agentCount];
                kavach.policy().create(CreatePolicyRequest.global().maxCallsPerDay(NEVER).action(PolicyAction.WARN).build());
                for (int u = 0; u < users; u++) {
                    kavach.policy().create(CreatePolicyRequest.forUser("user-" + u).maxTokensCostPerDay(NEVER)
                            .action(PolicyAction.THROTTLE).build());
                }
                for (int a = 0; a < agentCount; a++) {
                    AgentCredentials created = kavach.agents().create(CreateAgentRequest.builder("user-" + (a % users), "bench-" + a)
                            .permissions(GRANTS).build());
                    agents[a] = created.agent().id();
                    kavach.policy().create(CreatePolicyRequest.forAgent(agents[a]).maxTokensCostPerMonth(NEVER)
                            .maxCallsPerMonth(NEVER).action(PolicyAction.BLOCK).build());
                }
                AuthorizeRequest request = AuthorizeRequest.builder("execute", "llm:openai:chat").tokensCost(10).build();
                int threads = o.threads;
                m = loop(threads, o.warmup, o.seconds, 1, (thread, i) -> {
                    Decision d = kavach.authorize(agents[(int) ((thread + i * threads) % agentCount)], request);
                    if (!d.allowed()) {
                        denied.incrementAndGet();
                    }
                    return 1;
                });
            }
            m.into(fields);
            fields.put("synchronous", synchronous.name());
            fields.put("agents", agentCount);
            fields.put("policiesPerCall", 3);
            fields.put("denied", denied.get());
            fields.put("dbMegabytes", Files.size(db) >> 20);
            cleanup(o, db);
            return fields;
        }

        static Map<String, Object> rawInsert(Options o) throws Exception {
            Path db = o.freshDb("kavach-raw");
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.setBusyTimeout(5_000);
            Map<String, Object> fields = head(o, 1);
            int batch = o.batch;
            Measured m;
            try (Connection connection = config.createConnection("jdbc:sqlite:" + db.toAbsolutePath())) {
                try (Statement ddl = connection.createStatement()) {
                    ddl.executeUpdate(RawSql.CREATE);
                    for (String index : RawSql.INDEXES) {
                        ddl.executeUpdate(index);
                    }
                }
                connection.setAutoCommit(false);
                long[] seq = {0};
                long base = NOW.toEpochMilli();
                try (PreparedStatement insert = connection.prepareStatement(RawSql.INSERT)) {
                    // One writer: SQLite serializes writers, more threads would only queue on its lock.
                    m = loop(1, o.warmup, o.seconds, 1, (thread, i) -> {
                        for (int r = 0; r < batch; r++) {
                            RawSql.bind(insert, seq[0]++, base);
                            insert.addBatch();
                        }
                        insert.executeBatch();
                        connection.commit();
                        return batch;
                    });
                }
                connection.setAutoCommit(true);
            }
            m.into(fields);
            fields.put("synchronous", "NORMAL");
            fields.put("batch", batch);
            fields.put("latencyPer", "batch");
            fields.put("writerThreads", 1);
            fields.put("dbMegabytes", Files.size(db) >> 20);
            cleanup(o, db);
            return fields;
        }

        static Map<String, Object> memoryEval(Options o) throws Exception {
            int agentCount = o.agents(1_000);
            Map<String, List<Permission>> grants = new HashMap<>();
            Map<String, List<PolicyState>> policies = new HashMap<>();
            String[] ids = new String[agentCount];
            for (int a = 0; a < agentCount; a++) {
                ids[a] = String.format(Locale.ROOT, "agt_01KA%022d", a);
                grants.put(ids[a], GRANTS);
                policies.put(ids[a], BudgetEvaluatorBenchmark.stackedPolicies(ids[a], "user-" + (a % 100)));
            }
            BudgetEvaluator evaluator = new BudgetEvaluator(new BudgetPeriods(ZoneOffset.UTC));
            Clock clock = Clock.systemUTC();
            AtomicLong denied = new AtomicLong();
            int threads = o.threads;
            Map<String, Object> fields = head(o, threads);
            Measured m = loop(threads, o.warmup, o.seconds, 1, (thread, i) -> {
                String agent = ids[(int) ((thread + i * threads) % agentCount)];
                Permission granted = null;
                for (Permission p : grants.get(agent)) {
                    if (p.grants("execute", "llm:openai:chat")) {
                        granted = p;
                        break;
                    }
                }
                if (granted == null || evaluator.evaluate(policies.get(agent), 10, 1, 0, clock.instant()).denies()) {
                    denied.incrementAndGet();
                }
                return 1;
            });
            m.into(fields);
            fields.put("agents", agentCount);
            fields.put("grantsPerAgent", GRANTS.size());
            fields.put("policiesPerCall", 3);
            fields.put("denied", denied.get());
            return fields;
        }

        static Map<String, Object> spendRead(Options o) throws Exception {
            Path db = o.freshDb("kavach-spend");
            int agentCount = o.agents(1_000);
            long fillStart = System.nanoTime();
            List<String> agents;
            try (SqliteStore store = SqliteStore.open(db)) {
                agents = Fill.costEvents(store, o.events, agentCount, 30, NOW);
            }
            double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
            Map<String, Object> fields = head(o, o.threads);
            Measured m;
            try (Kavach kavach = Kavach.builder().store(SqliteStore.open(db)).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()) {
                int sampledCount = Math.min(100, agents.size());
                String[] sampled = new String[sampledCount];
                for (int i = 0; i < sampledCount; i++) {
                    sampled[i] = agents.get(i * agents.size() / sampledCount);
                    kavach.policy().create(CreatePolicyRequest.forAgent(sampled[i]).maxCostPerDay(50_000_000)
                            .action(PolicyAction.BLOCK).build());
                    kavach.costs().recordCost(RecordCostRequest.builder(sampled[i], "openai:gpt-4o").tokens(1_000, 200)
                            .costUsd("0.0045").build());
                }
                int threads = o.threads;
                m = loop(threads, o.warmup, o.seconds, 2, (thread, i) -> {
                    String agent = sampled[(int) ((thread + (i / 2) * threads) % sampledCount)];
                    if (i % 2 == 0) {
                        CostReport report = kavach.costs().getAgentCost(agent);
                        if (report.calls() < 1) {
                            throw new IllegalStateException("no spend read for " + agent);
                        }
                    } else {
                        CostBudgetCheck check = kavach.costs().checkBudget(agent);
                        if (!check.withinBudget()) {
                            throw new IllegalStateException("over budget: " + agent);
                        }
                    }
                    return 1;
                });
            }
            m.into(fields);
            fields.put("getAgentCostP50Micros", Latencies.percentileMicros(m.sortedNanosByKind().get(0), 50));
            fields.put("getAgentCostP99Micros", Latencies.percentileMicros(m.sortedNanosByKind().get(0), 99));
            fields.put("checkBudgetP50Micros", Latencies.percentileMicros(m.sortedNanosByKind().get(1), 50));
            fields.put("checkBudgetP99Micros", Latencies.percentileMicros(m.sortedNanosByKind().get(1), 99));
            fields.put("events", o.events);
            fields.put("agents", agentCount);
            fields.put("fillSeconds", fillSeconds);
            fields.put("dbMegabytes", Files.size(db) >> 20);
            cleanup(o, db);
            return fields;
        }

        static Map<String, Object> exportCsv(Options o) throws Exception {
            Path db = o.freshDb("kavach-export");
            long fillStart = System.nanoTime();
            try (SqliteStore store = SqliteStore.open(db)) {
                Fill.auditEntries(store, o.entries, NOW);
            }
            double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
            Map<String, Object> fields = head(o, 1);
            long rows;
            double seconds;
            long peak;
            try (Kavach kavach = Kavach.builder().store(SqliteStore.open(db)).build()) {
                resetPeaks();
                long start = System.nanoTime();
                rows = kavach.audit().export(AuditFilter.all(), ExportFormat.CSV, OutputStream.nullOutputStream(), n -> { });
                seconds = (System.nanoTime() - start) / 1e9;
                peak = peakHeap();
            }
            if (rows != o.entries) {
                throw new IllegalStateException("exported " + rows + " rows of " + o.entries);
            }
            fields.put("seconds", seconds);
            fields.put("ops", rows);
            fields.put("opsPerSecond", rows / seconds);
            // One export, no per-call latency.
            fields.put("p50Micros", null);
            fields.put("p99Micros", null);
            fields.put("rows", rows);
            fields.put("fillSeconds", fillSeconds);
            fields.put("maxHeapMB", Runtime.getRuntime().maxMemory() >> 20);
            fields.put("peakHeapMB", peak >> 20);
            fields.put("dbMegabytes", Files.size(db) >> 20);
            cleanup(o, db);
            return fields;
        }

        private static Map<String, Object> head(Options o, int threads) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("scenario", o.scenario);
            fields.put("threads", threads);
            return fields;
        }

        /** Deletes a temporary database (not one given with --db). */
        private static void cleanup(Options o, Path db) throws IOException {
            if (o.db != null) {
                return;
            }
            for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
                Files.deleteIfExists(db.resolveSibling(db.getFileName() + suffix));
            }
            Files.deleteIfExists(db.getParent());
        }

        private static void resetPeaks() {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    pool.resetPeakUsage();
                }
            }
        }

        /** The sum of the heap pools' peak use since {@link #resetPeaks}: an upper bound of the peak heap. */
        private static long peakHeap() {
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            return peak;
        }
    }

    /** The raw baseline's table: the audit log's columns and indexes (store migration V7). */
    static final class RawSql {
        static final String CREATE = """
                CREATE TABLE audit_log (
                    seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
                    id                  TEXT    NOT NULL,
                    ts                  INTEGER NOT NULL,
                    agent_id            TEXT,
                    user_id             TEXT,
                    tenant_id           TEXT,
                    action              TEXT,
                    resource            TEXT,
                    result              TEXT    NOT NULL,
                    code                TEXT,
                    reason              TEXT,
                    tokens_cost         INTEGER,
                    duration_micros     INTEGER NOT NULL,
                    delegation_chain_id TEXT,
                    policy_ids          TEXT    NOT NULL,
                    ip                  TEXT,
                    user_agent          TEXT,
                    arguments           TEXT    NOT NULL,
                    previous_hash       TEXT    NOT NULL,
                    hash                TEXT    NOT NULL
                ) STRICT""";
        static final List<String> INDEXES = List.of(
                "CREATE UNIQUE INDEX audit_log_id ON audit_log (id)",
                "CREATE INDEX audit_log_ts ON audit_log (ts DESC, id DESC)",
                "CREATE INDEX audit_log_agent_ts ON audit_log (agent_id, ts DESC, id DESC)",
                "CREATE INDEX audit_log_user_ts ON audit_log (user_id, ts DESC, id DESC)",
                "CREATE INDEX audit_log_tenant_ts ON audit_log (tenant_id, ts, id)",
                "CREATE INDEX audit_log_action_ts ON audit_log (action, ts, id)");
        static final String INSERT = "INSERT INTO audit_log (id, ts, agent_id, user_id, tenant_id, action, resource, result,"
                + " code, reason, tokens_cost, duration_micros, delegation_chain_id, policy_ids, ip, user_agent, arguments,"
                + " previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        private static final String HASH_TAIL = "9f2c1e7a4b6d8f0a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c";

        private RawSql() {
        }

        /** Binds row {@code n}: the sizes and shape of an allowed decision's audit entry. */
        static void bind(PreparedStatement insert, long n, long baseMillis) throws SQLException {
            int agent = (int) (n % 64);
            insert.setString(1, String.format(Locale.ROOT, "aud_01KA%022d", n));
            insert.setLong(2, baseMillis + n);
            insert.setString(3, String.format(Locale.ROOT, "agt_01KA%022d", agent));
            insert.setString(4, "user-" + agent % 8);
            insert.setString(5, null);
            insert.setString(6, "execute");
            insert.setString(7, "llm:openai:chat");
            insert.setString(8, "ALLOWED");
            insert.setString(9, "ALLOWED");
            insert.setString(10, "execute on llm:openai:chat allowed by own permission llm:**");
            insert.setLong(11, 10);
            insert.setLong(12, 40 + n % 400);
            insert.setString(13, null);
            insert.setString(14, "[\"pol_01KA0000000000000000000001\",\"pol_01KA0000000000000000000002\"]");
            insert.setString(15, null);
            insert.setString(16, null);
            insert.setString(17, "{}");
            insert.setString(18, String.format(Locale.ROOT, "%010d", n - 1) + HASH_TAIL);
            insert.setString(19, String.format(Locale.ROOT, "%010d", n) + HASH_TAIL);
        }
    }
}
