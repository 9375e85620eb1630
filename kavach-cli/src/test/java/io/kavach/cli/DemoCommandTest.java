package io.kavach.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kavach.cli.Cli.Result;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void theDemoWalksThroughEverythingAndLeavesAVerifiedExport() throws Exception {
        Path db = dir.resolve("demo.db");
        Result demo = Cli.run(db, "demo");

        assertThat(demo.exit()).as(demo.toString()).isZero();
        assertThat(demo.err()).isEmpty();
        assertThat(demo.out()).contains("Kavach demo on " + db,
                "1. Agents", "2. Delegation", "3. Budget policies", "4. The workload", "5. Alerts", "6. Usage today",
                "7. Cost report", "8. The audit trail",
                "research-bot", "summarizer", "support-bot", "through the research-bot delegation",
                "DENIED PERMISSION_DENIED", "DENIED BUDGET_THROTTLED", "DENIED BUDGET_EXCEEDED", "RECORDED",
                "warning: policy research-warn (warn)",
                "step  9, research-bot: policy research-warn (warn)",
                "step 13, research-bot: policy research-block (block)",
                "step 16, summarizer: policy team-pool (block)",
                "chain intact",
                "Exported 29 entries as CSV to " + dir.resolve("demo-audit.csv"));
        assertThat(demo.out()).containsPattern("team-pool +block +19800 +24000 tokens/day +9 +triggered");
        // Dollars: priced from the bundled table (gpt-4o 1950 in + 650 out = $0.011375), alerts, a dollar limit, the report.
        assertThat(demo.out()).containsPattern("2 +research-bot +execute llm:openai:gpt-4o +3000->2600 +\\$0\\.011375 +ALLOWED");
        assertThat(demo.out()).contains(
                "step  7, research-bot: cost alert warn: $0.025375 in the last 24 hours reached $0.02",
                "step  8, support-bot: cost alert critical: $0.030000 in the last 24 hours reached $0.03",
                "step  9, research-bot: cost alert budget exceeded: policy alice-dollars maxCostPerDay $0.060000",
                "warning: policy alice-dollars (warn): maxCostPerDay $0.068431 + $0.000000 would exceed $0.060000");
        assertThat(demo.out()).containsPattern("research-bot +gpt-4o +3 +6525 +2175 +\\$0\\.038063")
                .containsPattern("support-bot +claude-sonnet-4 +2 +3750 +1250 +\\$0\\.030000")
                .containsPattern("summarizer +openai:text-embedding-3-small +1 +10000 +0 +\\$0\\.000200")
                .containsPattern("total +\\$0\\.071742")
                .containsPattern("alice-dollars +warn +\\$0\\.071742 +\\$0\\.060000/day +9 +triggered")
                .contains("$0.000919 in 2 calls by summarizer");

        List<CSVRecord> rows;
        try (Reader in = Files.newBufferedReader(dir.resolve("demo-audit.csv"));
             CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            rows = parser.getRecords();
        }
        assertThat(rows).hasSize(29);
        assertThat(rows).filteredOn(r -> r.get("code").equals("BUDGET_EXCEEDED")).hasSize(4);

        Result verify = Cli.run(db, "audit", "verify");
        assertThat(verify.exit()).isZero();

        Result again = Cli.run(db, "demo");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).contains("an existing database", "Exported 58 entries");
    }
}
