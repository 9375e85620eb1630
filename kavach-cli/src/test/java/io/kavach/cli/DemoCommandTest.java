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
                "7. The audit trail",
                "research-bot", "summarizer", "support-bot", "through the research-bot delegation",
                "DENIED PERMISSION_DENIED", "DENIED BUDGET_THROTTLED", "DENIED BUDGET_EXCEEDED", "RECORDED",
                "warning: policy research-warn (warn)",
                "step  9, research-bot: policy research-warn (warn)",
                "step 13, research-bot: policy research-block (block)",
                "step 16, summarizer: policy team-pool (block)",
                "chain intact",
                "Exported 27 entries as CSV to " + dir.resolve("demo-audit.csv"));
        assertThat(demo.out()).containsPattern("team-pool +block +1980 +2400 tokens/day +9 +triggered");

        List<CSVRecord> rows;
        try (Reader in = Files.newBufferedReader(dir.resolve("demo-audit.csv"));
             CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            rows = parser.getRecords();
        }
        assertThat(rows).hasSize(27);
        assertThat(rows).filteredOn(r -> r.get("code").equals("BUDGET_EXCEEDED")).hasSize(4);

        Result verify = Cli.run(db, "audit", "verify");
        assertThat(verify.exit()).isZero();

        Result again = Cli.run(db, "demo");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).contains("an existing database", "Exported 54 entries");
    }
}
