package io.kavach.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kavach.audit.AuditCsv;
import io.kavach.cli.Cli.Result;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path db;
    String agent;
    long authorized;

    @BeforeEach
    void workload() {
        db = dir.resolve("kavach.db");
        agent = Cli.agent(db, "bot", "llm:openai:*=execute", "mcp:github:**=read");
        long[] costs = {120, 75, 0, 310, 42};
        for (long cost : costs) {
            Result r = Cli.run(db, "authorize", "--agent", agent, "--action", "execute", "--resource", "llm:openai:gpt-4o",
                    "--tokens-cost", String.valueOf(cost), "--arg", "prompt=secret text", "--arg", "note==SUM(A1:A9)");
            assertThat(r.exit()).as(r.toString()).isZero();
            authorized += cost;
        }
        assertThat(Cli.run(db, "authorize", "--agent", agent, "--action", "write", "--resource", "mcp:github:repos",
                "--tokens-cost", "999").exit()).isEqualTo(KavachCli.DENIED);
        assertThat(Cli.run(db, "authorize", "--agent", agent, "--action", "read", "--resource", "mcp:github:repos").exit()).isZero();
    }

    private List<CSVRecord> readCsv(Path file) throws Exception {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            assertThat(parser.getHeaderNames()).isEqualTo(AuditCsv.columns());
            return parser.getRecords();
        }
    }

    @Test
    void csvExportReadsBackAndItsTokensCostSumsToWhatWasAuthorized() throws Exception {
        Path csv = dir.resolve("audit.csv");
        Result export = Cli.run(db, "audit", "export", "--format", "csv", "--out", csv.toString());

        assertThat(export.exit()).as(export.toString()).isZero();
        assertThat(export.out()).isEmpty();
        assertThat(export.err()).contains("Exported 8 audit entries as csv to " + csv);
        List<CSVRecord> rows = readCsv(csv);
        assertThat(rows).hasSize(8);   // agent.created, 5 allowed, 1 denied, 1 allowed without a cost
        long allowedTokens = rows.stream().filter(r -> r.get("result").equals("ALLOWED") && !r.get("tokensCost").isEmpty())
                .mapToLong(r -> Long.parseLong(r.get("tokensCost"))).sum();
        assertThat(allowedTokens).isEqualTo(authorized);
        long allTokens = rows.stream().filter(r -> !r.get("tokensCost").isEmpty())
                .mapToLong(r -> Long.parseLong(r.get("tokensCost"))).sum();
        assertThat(allTokens).isEqualTo(authorized + 999);
        assertThat(rows.get(0).get("action")).isEqualTo("agent.created");   // oldest first
        CSVRecord call = rows.get(1);
        assertThat(JSON.readTree(call.get("arguments")).get("prompt").asText()).isEqualTo("[REDACTED]");
        assertThat(JSON.readTree(call.get("arguments")).get("note").asText()).isEqualTo("=SUM(A1:A9)");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".partial"));
    }

    @Test
    void aLongExportToAFileReportsProgressOnStderr() throws Exception {
        // 12,000 old entries written behind Kavach's back (export streams them; it does not verify the chain).
        Cli.sql(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12000) "
                + "INSERT INTO audit_log (id, ts, agent_id, action, resource, result, code, reason, tokens_cost, "
                + "duration_micros, policy_ids, arguments, previous_hash, hash) "
                + "SELECT printf('aud_00%024d', i), 1700000000000 + i, '" + agent + "', 'execute', 'llm:openai:gpt-4o', "
                + "'ALLOWED', 'ALLOWED', 'bulk', 1, 0, '[]', '{}', '', '' FROM n");
        Path jsonl = dir.resolve("big.jsonl");

        Result export = Cli.run(db, "audit", "export", "--format", "jsonl", "--out", jsonl.toString());

        assertThat(export.exit()).as(export.toString()).isZero();
        List<String> progress = export.err().lines().toList();
        assertThat(progress).hasSize(2);
        assertThat(progress.get(0)).isEqualTo("  10000 entries written...");
        assertThat(progress.get(1)).startsWith("Exported 12008 audit entries as jsonl to " + jsonl + " in ");
        assertThat(Files.lines(jsonl)).hasSize(12_008);
        Result toStdout = Cli.run(db, "audit", "export", "--format", "csv", "--since", "2023-01-01", "--until", "2024-01-01");
        assertThat(toStdout.err()).isEmpty();
        assertThat(toStdout.outLines()).hasSize(12_001);
    }

    @Test
    void exportFiltersByTimeAndWritesJsonToStdout() throws Exception {
        Result future = Cli.run(db, "audit", "export", "--since", "2999-01-01", "--until", "2999-02-01T00:00:00Z");
        assertThat(future.exit()).isZero();
        assertThat(future.out()).isEqualTo(AuditCsv.HEADER + "\r\n");

        Result json = Cli.run(db, "audit", "export", "--format", "json", "--since", "2020-01-01", "--agent", agent);
        assertThat(json.exit()).isZero();
        JsonNode array = JSON.readTree(json.out());
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(8);

        Result jsonl = Cli.run(db, "audit", "export", "--format", "JSONL", "--result", "denied");
        assertThat(jsonl.exit()).isZero();
        assertThat(jsonl.outLines()).hasSize(1);
        assertThat(JSON.readTree(jsonl.outLines().get(0)).get("code").asText()).isEqualTo("PERMISSION_DENIED");

        Result badDate = Cli.run(db, "audit", "export", "--since", "yesterday");
        assertThat(badDate.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(badDate.err()).contains("2026-01-01").hasLineCount(1);
        Result backwards = Cli.run(db, "audit", "export", "--since", "2026-02-01", "--until", "2026-01-01");
        assertThat(backwards.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(Cli.run(db, "audit", "export", "--format", "xml").exit()).isEqualTo(KavachCli.USAGE);
    }

    @Test
    void queryFiltersAndPages() throws Exception {
        Result denied = Cli.run(db, "audit", "query", "--result", "denied");
        assertThat(denied.exit()).isZero();
        assertThat(denied.outLines()).hasSize(2);
        assertThat(denied.out()).contains("PERMISSION_DENIED", "mcp:github:repos", "999");

        Result codes = Cli.run(db, "audit", "query", "--code", "permission_denied,allowed", "--resource-prefix", "mcp:");
        assertThat(codes.outLines()).hasSize(3);

        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Result page = cursor == null
                    ? Cli.run(db, "audit", "query", "--agent", agent, "--limit", "3", "--json")
                    : Cli.run(db, "audit", "query", "--agent", agent, "--limit", "3", "--json", "--cursor", cursor);
            assertThat(page.exit()).isZero();
            for (String line : page.outLines()) {
                ids.add(JSON.readTree(line).get("id").asText());
            }
            cursor = page.err().isEmpty() ? null : page.err().replaceAll("(?s).*--cursor (\\S+)\\).*", "$1");
        } while (cursor != null);
        assertThat(ids).hasSize(8).doesNotHaveDuplicates();

        Result events = Cli.run(db, "audit", "query", "--action", "agent.created", "--user", "alice");
        assertThat(events.out()).contains("agent.created", agent);
        assertThat(Cli.run(db, "audit", "query", "--tenant", "nobody").out()).contains("No audit entries match.");
        assertThat(Cli.run(db, "audit", "query", "--cursor", "not-a-cursor").exit()).isEqualTo(KavachCli.USAGE);
    }

    @Test
    void verifyPassesAndThenCatchesATamperedEntry() throws Exception {
        Result ok = Cli.run(db, "audit", "verify");
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(ok.out()).startsWith("Audit chain intact: 8 entries checked; head hash ");

        Result query = Cli.run(db, "audit", "query", "--result", "denied", "--json");
        String deniedId = JSON.readTree(query.outLines().get(0)).get("id").asText();
        Cli.sql(db, "UPDATE audit_log SET reason = 'nothing to see here' WHERE id = '" + deniedId + "'");

        Result tampered = Cli.run(db, "audit", "verify");
        assertThat(tampered.exit()).isEqualTo(KavachCli.FAILURE);
        assertThat(tampered.out()).contains("Audit chain BROKEN at entry " + deniedId, "ALTERED",
                "reason:       nothing to see here");
        Result since = Cli.run(db, "audit", "verify", "--since", "2020-01-01", "--until", "2999-01-01");
        assertThat(since.exit()).isEqualTo(KavachCli.FAILURE);
    }
}
