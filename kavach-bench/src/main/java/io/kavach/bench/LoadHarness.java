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
import io.kavach.model.BudgetLimits;
import io.kavach.model.Permission;
import io.kavach.model.PolicyAction;
import io.kavach.model.PolicyScope;
import io.kavach.policy.BudgetEvaluator;
import io.kavach.policy.BudgetEvaluator.PolicyState;
import io.kavach.policy.BudgetPeriods;
import io.kavach.policy.CreatePolicyRequest;
import io.kavach.spi.KavachStore;
import io.kavach.store.sqlite.SqliteStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.math.MathContext;
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
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;

/**
 * The load harness: runs one scenario for a while on N caller threads and prints one JSON line per
 * measured run.
 *
 * <pre>
 * java -jar kavach-bench/target/kavach-bench.jar --scenario NAME --threads N --seconds S [--warmup S]
 *      [--db PATH] [--dir DIR] [--agents N] [--policies N] [--events N] [--entries N] [--batch N] [--settle N]
 *      [--url JDBC-URL] [--user NAME] [--password SECRET]
 * </pre>
 *
 * Scenarios:
 * <ul>
 *   <li>{@code durable-sqlite}, {@code durable-sqlite-full}: {@code kavach.authorize} with a token
 *       cost on a fresh SQLite file ({@code --db}, a new file, or a temporary one; WAL, synchronous
 *       NORMAL or FULL), {@code --agents} agents (default 64) with four permissions and three
 *       stacked policies each (agent, user, global) that never deny during the run; with
 *       {@code --settle N}, each allowed decision is then settled at an actual cost of N, as an agent
 *       loop that reports its actual tokens would (one operation is then both calls);</li>
 *   <li>{@code durable-postgres}: the same load on the PostgreSQL store, in a new schema: on the
 *       server {@code --url jdbc:postgresql://host:port/db} names, with {@code --user} and
 *       {@code --password} or else {@code $KAVACH_DB_USER} and {@code $KAVACH_DB_PASSWORD} (the
 *       schema is dropped at the end); without {@code --url}, on an embedded PostgreSQL server
 *       started for the run with {@code fsync} and {@code synchronous_commit} on, and stopped at the
 *       end. The line names the server ({@code embedded} or {@code external}), its version and its
 *       durability settings; the store has its default pool of 10 connections;</li>
 *   <li>{@code raw-sqlite-insert}: the baseline, as fast as SQLite takes audit rows: one JDBC
 *       connection, one reused {@code PreparedStatement}, {@code --batch} rows per
 *       {@code addBatch}/{@code executeBatch} and commit, into a table with the audit log's columns
 *       and indexes (store migration V7), same pragmas (WAL, synchronous NORMAL), rows like the ones
 *       {@code durable-sqlite} writes. One writer whatever {@code --threads} says (SQLite serializes
 *       writers); ops are rows, latencies are per batch;</li>
 *   <li>{@code durable-vs-raw}: {@code raw-sqlite-insert}, then {@code durable-sqlite}, with the same
 *       options, on two new files in one directory ({@code --dir}, kept, or a temporary one, deleted);
 *       prints both lines, then {@code {"scenario":"durable-vs-raw","durableOpsPerSecond":…,
 *       "rawRowsPerSecond":…,"ratio":…}} where ratio is durable decisions per raw row;</li>
 *   <li>{@code memory-eval}: no store; per call, the agent looked up among {@code --agents} agents
 *       (default 1,000) in a hash index, its grants ({@link Permission#grants}), its policies looked
 *       up in an index keyed by scope (agent, owner, global) that holds {@code --policies} policies
 *       in all (default 10, at least 3), and {@link BudgetEvaluator#evaluate} over the three found.
 *       Each agent whose stack exists is visited, in a shuffled order; as many agents have a full
 *       stack as the policy count allows (agent policies are one per agent), the other policies go to
 *       scopes no visited agent has. The line reports {@code agents}, {@code policies} and
 *       {@code stackedAgents}, the agents visited;</li>
 *   <li>{@code spend-read}: {@code --events} cost events filled through the store SPI, then
 *       {@code costs().getAgentCost} and {@code costs().checkBudget}, alternately;</li>
 *   <li>{@code export-csv}: {@code --entries} chained audit entries filled through the SPI, then
 *       one {@code audit().export} as CSV to a null stream (threads and seconds are ignored).</li>
 * </ul>
 * Every run's line carries {@code scenario, threads, seconds} (measured), {@code ops, opsPerSecond,
 * p50Micros, p99Micros}, then fields of the scenario. Latencies are sampled per thread (all of them
 * up to {@value Latencies#CAPACITY} calls, then a uniform sample). Options a scenario does not use
 * are ignored.
 */
public final class LoadHarness {
    static final String USAGE = "usage: java -jar kavach-bench.jar --scenario NAME --threads N --seconds S [--warmup S]"
            + " [--db PATH] [--dir DIR] [--agents N] [--policies N] [--events N] [--entries N] [--batch N] [--settle N]"
            + " [--url JDBC-URL] [--user NAME] [--password SECRET]\n"
            + "scenarios: durable-sqlite, durable-sqlite-full, durable-postgres, raw-sqlite-insert, durable-vs-raw,"
            + " memory-eval, spend-read, export-csv\n"
            + "durable-postgres: --url jdbc:postgresql://host:port/db with --user/--password (or $KAVACH_DB_USER,"
            + " $KAVACH_DB_PASSWORD) for a server of yours; without --url, an embedded server for the run";

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

    /** Runs the scenario the arguments name, prints its JSON lines to {@code out} as they come and returns them. */
    public static List<String> run(String[] args, PrintStream out) throws Exception {
        Options options = Options.parse(args);
        List<String> lines = new ArrayList<>();
        Consumer<Map<String, Object>> emit = fields -> {
            String line = Json.line(fields);
            out.println(line);
            out.flush();
            lines.add(line);
        };
        switch (options.scenario) {
            case "durable-sqlite" -> emit.accept(Scenarios.durable(options, SqliteStore.Synchronous.NORMAL));
            case "durable-sqlite-full" -> emit.accept(Scenarios.durable(options, SqliteStore.Synchronous.FULL));
            case "durable-postgres" -> emit.accept(Scenarios.durablePostgres(options));
            case "raw-sqlite-insert" -> emit.accept(Scenarios.rawInsert(options));
            case "durable-vs-raw" -> Scenarios.durableVsRaw(options, emit);
            case "memory-eval" -> emit.accept(Scenarios.memoryEval(options));
            case "spend-read" -> emit.accept(Scenarios.spendRead(options));
            case "export-csv" -> emit.accept(Scenarios.exportCsv(options));
            default -> throw new IllegalArgumentException("unknown scenario: " + options.scenario);
        }
        return lines;
    }

    /** The command line. */
    static final class Options {
        String scenario;
        int threads = 1;
        double seconds = 10;
        double warmup = -1;
        Path db;
        Path dir;
        int agents = -1;
        int policies = 10;
        long events = 200_000;
        long entries = 200_000;
        int batch = 1_000;
        /** The actual cost each allowed decision is settled with, as an agent loop would; -1: none. */
        long settle = -1;
        String url;
        String user;
        String password;

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
                        case "--threads" -> o.threads = atLeast(name, Integer.parseInt(value), 1);
                        case "--seconds" -> o.seconds = Double.parseDouble(value);
                        case "--warmup" -> o.warmup = Double.parseDouble(value);
                        case "--db" -> o.db = Path.of(value);
                        case "--dir" -> o.dir = Path.of(value);
                        case "--agents" -> o.agents = atLeast(name, Integer.parseInt(value), 1);
                        // A global, an owner and an agent policy: one full stack.
                        case "--policies" -> o.policies = atLeast(name, Integer.parseInt(value), 3);
                        case "--events" -> o.events = atLeast(name, Long.parseLong(value), 1);
                        case "--entries" -> o.entries = atLeast(name, Long.parseLong(value), 1);
                        case "--batch" -> o.batch = atLeast(name, Integer.parseInt(value), 1);
                        case "--settle" -> o.settle = atLeast(name, Long.parseLong(value), 0L);
                        case "--url" -> o.url = value;
                        case "--user" -> o.user = value;
                        case "--password" -> o.password = value;
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
                throw new IllegalArgumentException("--seconds must be positive: " + o.seconds);
            }
            if (o.warmup < 0) {
                // Default: a fifth of the run, at most 3 s, for the JIT and the caches.
                o.warmup = Math.min(3, o.seconds / 5);
            }
            return o;
        }

        /** A copy for another scenario on another database file. */
        Options derive(String otherScenario, Path otherDb) {
            Options o = new Options();
            o.scenario = otherScenario;
            o.threads = threads;
            o.seconds = seconds;
            o.warmup = warmup;
            o.db = otherDb;
            o.agents = agents;
            o.policies = policies;
            o.events = events;
            o.entries = entries;
            o.batch = batch;
            o.settle = settle;
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

        private static <N extends Number> N atLeast(String name, N n, long min) {
            if (n.longValue() < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ": " + n);
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
        /** The PostgreSQL store's default pool size, set explicitly so the line can report it. */
        static final int POSTGRES_POOL = 10;
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
            Map<String, Object> fields = head(o, o.threads);
            AtomicLong denied = new AtomicLong();
            Measured m = authorizeLoad(o, SqliteStore.builder(db).synchronous(synchronous).build(), agentCount, denied);
            m.into(fields);
            fields.put("synchronous", synchronous.name());
            fields.put("agents", agentCount);
            fields.put("policiesPerCall", 3);
            if (o.settle >= 0) {
                fields.put("settledWith", o.settle);
            }
            fields.put("denied", denied.get());
            fields.put("dbMegabytes", Files.size(db) >> 20);
            cleanup(o, db);
            return fields;
        }

        static Map<String, Object> durablePostgres(Options o) throws Exception {
            int agentCount = o.agents(64);
            Map<String, Object> fields = head(o, o.threads);
            AtomicLong denied = new AtomicLong();
            try (PgTarget pg = PgTarget.open(o.url, o.user, o.password)) {
                Measured m = authorizeLoad(o, pg.store(POSTGRES_POOL), agentCount, denied);
                m.into(fields);
                fields.put("server", pg.kind());
                fields.put("serverStartSeconds", pg.startSeconds());
                fields.put("postgresVersion", pg.setting("server_version"));
                fields.put("fsync", pg.setting("fsync"));
                fields.put("synchronousCommit", pg.setting("synchronous_commit"));
                fields.put("poolSize", POSTGRES_POOL);
                fields.put("agents", agentCount);
                fields.put("policiesPerCall", 3);
            if (o.settle >= 0) {
                fields.put("settledWith", o.settle);
            }
                fields.put("denied", denied.get());
                fields.put("dbMegabytes", pg.schemaBytes() >> 20);
            }
            return fields;
        }

        /**
         * The durable load: Kavach on {@code store} (closed at the end) with a global policy, one per
         * user (a user per 8 agents) and one per agent, none of which denies during the run; then
         * {@code authorize} with a token cost on the agents in turn from every thread.
         */
        private static Measured authorizeLoad(Options o, KavachStore store, int agentCount, AtomicLong denied)
                throws Exception {
            int users = Math.max(1, agentCount / 8);
            try (Kavach kavach = Kavach.builder().store(store).build()) {
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
                return loop(threads, o.warmup, o.seconds, 1, (thread, i) -> {
                    Decision d = kavach.authorize(agents[(int) ((thread + i * threads) % agentCount)], request);
                    if (!d.allowed()) {
                        denied.incrementAndGet();
                    } else if (o.settle >= 0) {
                        kavach.policy().settle(d.usageId(), o.settle);
                    }
                    return 1;
                });
            }
        }

        static Map<String, Object> rawInsert(Options o) throws Exception {
            Path db = o.freshDb("kavach-raw");
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.setBusyTimeout(5_000);
            Map<String, Object> fields = head(o, 1);
            int batch = o.batch;
            RawSql.Rows rows = new RawSql.Rows(o.agents(64), NOW.toEpochMilli());
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
                try (PreparedStatement insert = connection.prepareStatement(RawSql.INSERT)) {
                    // One writer: SQLite serializes writers, more threads would only queue on its lock.
                    m = loop(1, o.warmup, o.seconds, 1, (thread, i) -> {
                        for (int r = 0; r < batch; r++) {
                            rows.bind(insert, seq[0]++);
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
            fields.put("agents", rows.agents());
            fields.put("dbMegabytes", Files.size(db) >> 20);
            cleanup(o, db);
            return fields;
        }

        /**
         * {@code raw-sqlite-insert}, then {@code durable-sqlite}, on new files in one directory; a
         * line each, then the comparison.
         */
        static void durableVsRaw(Options o, Consumer<Map<String, Object>> emit) throws Exception {
            if (o.db != null) {
                throw new IllegalArgumentException("--db names one file; durable-vs-raw writes two: give their directory"
                        + " with --dir");
            }
            Path dir = o.dir;
            if (dir == null) {
                dir = Files.createTempDirectory("kavach-vs");
            } else if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new IllegalArgumentException("--dir " + dir + " is a file; it must name a directory");
            } else {
                Files.createDirectories(dir);
            }
            Path raw = dir.resolve("raw-sqlite-insert.db");
            Path durable = dir.resolve("durable-sqlite.db");
            for (Path file : List.of(raw, durable)) {
                if (Files.exists(file)) {
                    throw new IllegalArgumentException("--dir " + dir + " holds " + file.getFileName()
                            + " already; the files must be new");
                }
            }
            Map<String, Object> rawFields = rawInsert(o.derive("raw-sqlite-insert", raw));
            emit.accept(rawFields);
            Map<String, Object> durableFields = durable(o.derive("durable-sqlite", durable), SqliteStore.Synchronous.NORMAL);
            emit.accept(durableFields);
            double durableOps = (Double) durableFields.get("opsPerSecond");
            double rawRows = (Double) rawFields.get("opsPerSecond");
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("scenario", o.scenario);
            fields.put("durableOpsPerSecond", durableOps);
            fields.put("rawRowsPerSecond", rawRows);
            fields.put("ratio", new BigDecimal(durableOps / rawRows).round(new MathContext(4)));
            emit.accept(fields);
            if (o.dir == null) {
                deleteDb(raw);
                deleteDb(durable);
                Files.deleteIfExists(dir);
            }
        }

        static Map<String, Object> memoryEval(Options o) throws Exception {
            int agentCount = o.agents(1_000);
            int policyCount = o.policies;
            int owners = Math.min(100, agentCount);
            int stacked = Math.min(agentCount, stackedAgents(policyCount, owners));
            // The agents, by id, as a cache of them would hold them.
            Map<String, EvalAgent> agentIndex = new HashMap<>();
            String[] ids = new String[agentCount];
            for (int a = 0; a < agentCount; a++) {
                ids[a] = String.format(Locale.ROOT, "agt_01KA%022d", a);
                String owner = "user-" + (a % owners);
                agentIndex.put(ids[a], new EvalAgent(ids[a], owner, GRANTS, PolicyScope.agent(ids[a]), PolicyScope.user(owner)));
            }
            // The policies, by scope: the stacks of the first `stacked` agents, then fillers in scopes no visited agent has.
            Map<PolicyScope, List<PolicyState>> policyIndex = new HashMap<>();
            int made = 0;
            index(policyIndex, BudgetEvaluatorBenchmark.globalPolicy(policyId(made++)));
            for (int u = 0; u < Math.min(owners, stacked); u++) {
                index(policyIndex, BudgetEvaluatorBenchmark.userPolicy(policyId(made++), "user-" + u));
            }
            for (int a = 0; a < stacked; a++) {
                index(policyIndex, BudgetEvaluatorBenchmark.agentPolicy(policyId(made++), ids[a]));
            }
            for (int f = 0; made < policyCount; f++) {
                String id = policyId(made++);
                PolicyScope scope = switch (f % 3) {
                    case 0 -> PolicyScope.agent(String.format(Locale.ROOT, "agt_01KB%022d", f));
                    case 1 -> PolicyScope.user("other-user-" + f);
                    default -> PolicyScope.tenant("other-tenant-" + f);
                };
                index(policyIndex, BudgetEvaluatorBenchmark.state(id, scope, PolicyAction.BLOCK,
                        BudgetLimits.builder().maxCallsPerDay(NEVER).build()));
            }
            // The visited agents in a shuffled order, so that a large index is not walked in allocation order.
            int[] order = new int[stacked];
            for (int a = 0; a < stacked; a++) {
                order[a] = a;
            }
            shuffle(order, new SplittableRandom(42));
            PolicyScope global = PolicyScope.global();
            BudgetEvaluator evaluator = new BudgetEvaluator(new BudgetPeriods(ZoneOffset.UTC));
            Clock clock = Clock.systemUTC();
            AtomicLong denied = new AtomicLong();
            int threads = o.threads;
            Map<String, Object> fields = head(o, threads);
            Measured m = loop(threads, o.warmup, o.seconds, 1, (thread, i) -> {
                EvalAgent agent = agentIndex.get(ids[order[(int) ((thread + i * threads) % stacked)]]);
                Permission granted = null;
                for (Permission p : agent.grants()) {
                    if (p.grants("execute", "llm:openai:chat")) {
                        granted = p;
                        break;
                    }
                }
                List<PolicyState> applicable = new ArrayList<>(3);
                addAll(applicable, policyIndex.get(agent.scope()));
                addAll(applicable, policyIndex.get(agent.ownerScope()));
                addAll(applicable, policyIndex.get(global));
                if (applicable.size() != 3) {
                    throw new IllegalStateException(agent.id() + " has " + applicable.size() + " policies, not 3");
                }
                if (granted == null || evaluator.evaluate(applicable, 10, 1, 0, clock.instant()).denies()) {
                    denied.incrementAndGet();
                }
                return 1;
            });
            m.into(fields);
            fields.put("agents", agentCount);
            fields.put("policies", policyIndex.values().stream().mapToInt(List::size).sum());
            fields.put("stackedAgents", stacked);
            fields.put("grantsPerAgent", GRANTS.size());
            fields.put("policiesPerCall", 3);
            fields.put("denied", denied.get());
            return fields;
        }

        /**
         * How many agents can have a full stack among {@code policies} policies: one global, one per
         * owner of a stacked agent (agent {@code a} has owner {@code a % owners}), one per agent.
         */
        static int stackedAgents(int policies, int owners) {
            int pastAllOwners = policies - 1 - owners;
            return pastAllOwners >= owners ? pastAllOwners : (policies - 1) / 2;
        }

        /** An agent as the memory-eval index holds it, with the scopes of its own and its owner's policies. */
        record EvalAgent(String id, String ownerId, List<Permission> grants, PolicyScope scope, PolicyScope ownerScope) {
        }

        private static String policyId(int n) {
            return String.format(Locale.ROOT, "pol_01KA%022d", n);
        }

        private static void index(Map<PolicyScope, List<PolicyState>> index, PolicyState state) {
            index.computeIfAbsent(state.policy().scope(), s -> new ArrayList<>(1)).add(state);
        }

        private static void addAll(List<PolicyState> into, List<PolicyState> found) {
            if (found != null) {
                into.addAll(found);
            }
        }

        private static void shuffle(int[] values, SplittableRandom random) {
            for (int i = values.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = values[i];
                values[i] = values[j];
                values[j] = swap;
            }
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
            deleteDb(db);
            Files.deleteIfExists(db.getParent());
        }

        /** Deletes a SQLite file with its WAL, shared-memory and journal files. */
        private static void deleteDb(Path db) throws IOException {
            for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
                Files.deleteIfExists(db.resolveSibling(db.getFileName() + suffix));
            }
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
        /** What durable-sqlite's allowed decisions write as the reason. */
        static final String REASON = "execute on llm:openai:chat allowed by own permission llm:**";
        private static final String HASH_TAIL = "9f2c1e7a4b6d8f0a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c";

        private RawSql() {
        }

        /**
         * The rows: the sizes and shape of the audit entries durable-sqlite's allowed decisions write
         * (30-character ids, a user per 8 agents, no policy ids, empty arguments, 64-character
         * hashes), with the agents in turn. The strings are built without formatting, so the time
         * goes to SQLite.
         */
        static final class Rows {
            private final String[] agentIds;
            private final String[] userIds;
            private final long baseMillis;

            Rows(int agents, long baseMillis) {
                int users = Math.max(1, agents / 8);
                agentIds = new String[agents];
                userIds = new String[agents];
                for (int a = 0; a < agents; a++) {
                    agentIds[a] = "agt_01KA" + digits(a, 22);
                    userIds[a] = "user-" + (a % users);
                }
                this.baseMillis = baseMillis;
            }

            int agents() {
                return agentIds.length;
            }

            /** Binds row {@code n}. */
            void bind(PreparedStatement insert, long n) throws SQLException {
                int agent = (int) (n % agentIds.length);
                insert.setString(1, "aud_01KA" + digits(n, 22));
                insert.setLong(2, baseMillis + n);
                insert.setString(3, agentIds[agent]);
                insert.setString(4, userIds[agent]);
                insert.setString(5, null);
                insert.setString(6, "execute");
                insert.setString(7, "llm:openai:chat");
                insert.setString(8, "ALLOWED");
                insert.setString(9, "ALLOWED");
                insert.setString(10, REASON);
                insert.setLong(11, 10);
                insert.setLong(12, 1_000 + n % 2_000);
                insert.setString(13, null);
                insert.setString(14, "[]");
                insert.setString(15, null);
                insert.setString(16, null);
                insert.setString(17, "{}");
                insert.setString(18, digits(n - 1, 10) + HASH_TAIL);
                insert.setString(19, digits(n, 10) + HASH_TAIL);
            }
        }

        /** {@code n} (at least -1) as {@code width} decimal digits with leading zeros (-1 as all nines). */
        static String digits(long n, int width) {
            String s = n < 0 ? "9".repeat(width) : Long.toString(n);
            if (s.length() >= width) {
                return s;
            }
            StringBuilder b = new StringBuilder(width);
            for (int i = s.length(); i < width; i++) {
                b.append('0');
            }
            return b.append(s).toString();
        }
    }
}
