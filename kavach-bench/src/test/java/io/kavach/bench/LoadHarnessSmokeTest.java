package io.kavach.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each scenario for about a second with small sizes, through the harness's entry point: one JSON line per run. */
class LoadHarnessSmokeTest {
    private static final Pattern OPS_PER_SECOND = Pattern.compile("\"opsPerSecond\":([0-9.]+)");
    private static final Pattern FIELD = Pattern.compile("\"([A-Za-z0-9]+)\":(\"[^\"]*\"|[^,}]*)");

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
            "durable-sqlite, 2",
            "durable-sqlite-full, 1",
            "raw-sqlite-insert, 1",
            "memory-eval, 2",
            "spend-read, 2",
            "export-csv, 1"})
    void scenarioPrintsOneJsonLine(String scenario, int threads) throws Exception {
        Path db = dir.resolve(scenario + ".db");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            LoadHarness.run(new String[] {"--scenario", scenario, "--threads", String.valueOf(threads), "--seconds", "1",
                    "--warmup", "0", "--db", db.toString(), "--agents", "16", "--events", "5000", "--entries", "3000",
                    "--batch", "100"}, out);
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(output.lines()).hasSize(1);
        String line = output.strip();
        assertThat(line).startsWith("{\"scenario\":\"" + scenario + "\",\"threads\":").endsWith("}")
                .contains("\"ops\":", "\"p50Micros\":", "\"p99Micros\":", "\"seconds\":");
        Matcher m = OPS_PER_SECOND.matcher(line);
        assertThat(m.find()).as(line).isTrue();
        assertThat(Double.parseDouble(m.group(1))).as(line).isPositive();
        assertThat(line).doesNotContain("\"denied\":1", "\"denied\":2");
        // A file given with --db is kept (memory-eval has none).
        assertThat(Files.exists(db)).isEqualTo(!scenario.equals("memory-eval"));
    }

    @Test
    void durableWithSettleSettlesEveryAllowedDecision() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            LoadHarness.run(new String[] {"--scenario", "durable-sqlite", "--threads", "2", "--seconds", "1",
                    "--warmup", "0", "--db", dir.resolve("settle.db").toString(), "--agents", "8", "--settle", "12"}, out);
        }
        Map<String, String> line = fields(bytes.toString(StandardCharsets.UTF_8).strip());
        assertThat(line).containsEntry("settledWith", "12").containsEntry("denied", "0");
        assertThat(Long.parseLong(line.get("ops"))).isPositive();
        assertThatThrownBy(() -> LoadHarness.run(new String[] {"--scenario", "durable-sqlite", "--settle", "-1"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--settle");
    }

    @ParameterizedTest
    @CsvSource({
            // The default: 10 policies, so 4 agents with a stack (4 agent, 4 owner, 1 global policy, 1 filler).
            "16, 10, 4",
            // Every one of 2,000 agents with a stack (2,000 + 100 owners + 1 global), and fillers.
            "2000, 5000, 2000",
            // More agents than the policies can give stacks: 1,000 - 100 - 1.
            "3000, 1000, 899"})
    void memoryEvalLooksUpAgentsAndPoliciesInIndexes(int agents, int policies, int stacked) throws Exception {
        List<String> lines = run("--scenario", "memory-eval", "--threads", "1", "--seconds", "0.3", "--warmup", "0",
                "--agents", String.valueOf(agents), "--policies", String.valueOf(policies));
        assertThat(lines).hasSize(1);
        Map<String, String> fields = fields(lines.get(0));
        assertThat(fields).containsEntry("scenario", "memory-eval").containsEntry("agents", String.valueOf(agents))
                .containsEntry("policies", String.valueOf(policies)).containsEntry("stackedAgents", String.valueOf(stacked))
                .containsEntry("policiesPerCall", "3").containsEntry("denied", "0")
                .containsKeys("p50Micros", "p99Micros", "seconds");
        assertThat(Long.parseLong(fields.get("ops"))).isPositive();
    }

    @Test
    void memoryEvalDefaultsToTenPoliciesAndAThousandAgents() throws Exception {
        Map<String, String> fields = fields(run("--scenario", "memory-eval", "--seconds", "0.2", "--warmup", "0").get(0));
        assertThat(fields).containsEntry("agents", "1000").containsEntry("policies", "10").containsEntry("stackedAgents", "4");
    }

    @Test
    void stackedAgentsUseEveryPolicyTheyCan() {
        assertThat(LoadHarness.Scenarios.stackedAgents(3, 100)).isEqualTo(1);
        assertThat(LoadHarness.Scenarios.stackedAgents(10, 100)).isEqualTo(4);
        assertThat(LoadHarness.Scenarios.stackedAgents(200, 100)).isEqualTo(99);
        assertThat(LoadHarness.Scenarios.stackedAgents(201, 100)).isEqualTo(100);
        assertThat(LoadHarness.Scenarios.stackedAgents(202, 100)).isEqualTo(101);
        assertThat(LoadHarness.Scenarios.stackedAgents(100_000, 100)).isEqualTo(99_899);
    }

    @Test
    void durablePostgresRunsOnAnEmbeddedServer() throws Exception {
        List<String> lines = run("--scenario", "durable-postgres", "--threads", "2", "--seconds", "1", "--warmup", "0",
                "--agents", "8");
        assertThat(lines).hasSize(1);
        Map<String, String> fields = fields(lines.get(0));
        assertThat(fields).containsEntry("scenario", "durable-postgres").containsEntry("threads", "2")
                .containsEntry("server", "embedded").containsEntry("fsync", "on").containsEntry("synchronousCommit", "on")
                .containsEntry("agents", "8").containsEntry("policiesPerCall", "3").containsEntry("denied", "0")
                .containsKeys("postgresVersion", "poolSize", "p50Micros", "p99Micros", "dbMegabytes");
        assertThat(Long.parseLong(fields.get("ops"))).isPositive();
        assertThat(Double.parseDouble(fields.get("opsPerSecond"))).isPositive();
    }

    @Test
    void durableVsRawPrintsBothRunsThenTheRatio() throws Exception {
        Path vs = dir.resolve("vs");
        List<String> lines = run("--scenario", "durable-vs-raw", "--threads", "2", "--seconds", "0.5", "--warmup", "0",
                "--agents", "8", "--batch", "100", "--dir", vs.toString());
        assertThat(lines).hasSize(3);
        Map<String, String> raw = fields(lines.get(0));
        Map<String, String> durable = fields(lines.get(1));
        Map<String, String> compared = fields(lines.get(2));
        assertThat(raw).containsEntry("scenario", "raw-sqlite-insert").containsEntry("batch", "100").containsEntry("agents", "8");
        assertThat(durable).containsEntry("scenario", "durable-sqlite").containsEntry("threads", "2")
                .containsEntry("agents", "8").containsEntry("denied", "0");
        assertThat(Long.parseLong(raw.get("ops"))).isPositive();
        assertThat(Long.parseLong(durable.get("ops"))).isPositive();
        assertThat(compared.keySet()).containsExactly("scenario", "durableOpsPerSecond", "rawRowsPerSecond", "ratio");
        assertThat(compared).containsEntry("scenario", "durable-vs-raw")
                .containsEntry("durableOpsPerSecond", durable.get("opsPerSecond"))
                .containsEntry("rawRowsPerSecond", raw.get("opsPerSecond"));
        double ratio = Double.parseDouble(compared.get("ratio"));
        assertThat(ratio).isPositive().isCloseTo(Double.parseDouble(durable.get("opsPerSecond"))
                / Double.parseDouble(raw.get("opsPerSecond")), org.assertj.core.api.Assertions.withinPercentage(1));
        // Both files, side by side in the directory given, are kept.
        assertThat(vs.resolve("raw-sqlite-insert.db")).exists();
        assertThat(vs.resolve("durable-sqlite.db")).exists();
    }

    @Test
    void rawRowsAreShapedLikeTheAuditEntriesOfDurableSqlite() throws Exception {
        // The raw table is the store's audit_log: same columns, same indexes.
        Path durable = dir.resolve("durable.db");
        run("--scenario", "durable-sqlite", "--seconds", "0.2", "--warmup", "0", "--agents", "8", "--db", durable.toString());
        Path raw = dir.resolve("raw.db");
        run("--scenario", "raw-sqlite-insert", "--seconds", "0.2", "--warmup", "0", "--agents", "8", "--batch", "10",
                "--db", raw.toString());
        assertThat(schema(raw, "table")).isEqualTo(schema(durable, "table"));
        assertThat(schema(raw, "index")).isEqualTo(schema(durable, "index"));
        String sizes = "SELECT length(id), length(agent_id), length(user_id), action, resource, result, code, reason,"
                + " tokens_cost, policy_ids, arguments, length(previous_hash), length(hash) FROM audit_log"
                + " WHERE action = 'execute' ORDER BY seq DESC LIMIT 1";
        assertThat(query(raw, sizes)).isEqualTo(query(durable, sizes));
    }

    @Test
    void rejectsBadInputNamingTheOptionAndValue() {
        assertThatThrownBy(() -> run("--scenario", "memory-eval", "--policies", "2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--policies must be at least 3: 2");
        assertThatThrownBy(() -> run("--scenario", "memory-eval", "--threads", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--threads must be at least 1: 0");
        assertThatThrownBy(() -> run("--scenario", "memory-eval", "--agents", "many"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a number for --agents: many");
        assertThatThrownBy(() -> run("--scenario", "durable-vs-raw", "--db", dir.resolve("x.db").toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--dir");
        assertThatThrownBy(() -> run("--scenario", "durable-postgres", "--url", "jdbc:mysql://db/kavach?password=s3cret"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--url")
                .hasMessageContaining("jdbc:mysql://db/kavach").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> run("--scenario", "durable-postgres", "--user", "kavach"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--url");
    }

    @Test
    void rejectsUnknownScenarioAndExistingDb() throws Exception {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> LoadHarness.run(new String[] {"--scenario", "nope", "--seconds", "1"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown scenario");
        Path existing = Files.createFile(dir.resolve("exists.db"));
        assertThatThrownBy(() -> LoadHarness.run(new String[] {"--scenario", "durable-sqlite", "--seconds", "1", "--db",
                existing.toString()}, out)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exists");
    }

    /** Runs the harness; checks that what it printed is what it returned. */
    private static List<String> run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<String> lines;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            lines = LoadHarness.run(args, out);
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactlyElementsOf(lines);
        for (String line : lines) {
            assertThat(line).startsWith("{\"scenario\":").endsWith("}");
        }
        return lines;
    }

    /** A line's fields, in order; strings without their quotes. */
    private static Map<String, String> fields(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            String value = m.group(2);
            fields.put(m.group(1), value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
        }
        return fields;
    }

    /** The audit table's columns, or its indexes with their columns and orders. */
    private static List<String> schema(Path db, String what) throws Exception {
        return query(db, what.equals("table")
                ? "SELECT name, type, \"notnull\", pk FROM pragma_table_info('audit_log') ORDER BY cid"
                : "SELECT il.name, il.\"unique\", ii.name, ii.\"desc\" FROM pragma_index_list('audit_log') il,"
                        + " pragma_index_xinfo(il.name) ii WHERE ii.key = 1 ORDER BY il.name, ii.seqno");
    }

    /** Every value of every row, as strings. */
    private static List<String> query(Path db, String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                for (int i = 1; i <= columns; i++) {
                    values.add(r.getString(i));
                }
            }
        }
        return values;
    }

    @Test
    void percentilesAreNearestRank() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = (i + 1) * 1_000L;
        }
        assertThat(Latencies.percentileMicros(sorted, 50)).isEqualTo(50.0);
        assertThat(Latencies.percentileMicros(sorted, 99)).isEqualTo(99.0);
        assertThat(Latencies.percentileMicros(new long[0], 99)).isZero();
    }
}
