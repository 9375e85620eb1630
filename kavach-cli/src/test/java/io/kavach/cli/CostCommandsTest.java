package io.kavach.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kavach.cli.Cli.Result;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostCommandsTest {
    private static final Pattern EVENT_ID = Pattern.compile("ce_[0-9A-Z]{26}");

    @TempDir
    Path dir;
    Path db;
    String agent;

    @BeforeEach
    void agent() {
        db = dir.resolve("kavach.db");
        agent = Cli.agent(db, "writer", "llm:openai:*=execute");
    }

    private Result record(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "cost";
        all[1] = "record";
        all[2] = "--agent";
        all[3] = agent;
        System.arraycopy(args, 0, all, 4, args.length);
        return Cli.run(db, all);
    }

    @Test
    void recordedCostsReportWithExactTotals() throws Exception {
        for (int i = 0; i < 10; i++) {
            Result r = record("--tool", "openai:gpt-4o", "--input-tokens", "100", "--output-tokens", "20", "--cost-usd", "0.10",
                    "--meta", "operation=summarize");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).containsPattern(EVENT_ID).contains("$0.10 USD", agent, "openai:gpt-4o");
        }
        assertThat(record("--tool", "mcp:search", "--cost-usd", "0.000001").exit()).isZero();
        Result euros = record("--tool", "mcp:search", "--cost", "5", "--currency", "eur");
        assertThat(euros.out()).contains("EUR", "USD only");

        Result report = Cli.run(db, "cost", "report", "--agent", agent);
        assertThat(report.exit()).as(report.toString()).isZero();
        assertThat(report.out()).contains("Cost of agent writer (" + agent + ")",
                "Total: $1.000001 in 11 calls, 1000 input and 200 output tokens", "By tool", "By day");
        assertThat(report.out()).containsPattern("openai:gpt-4o +10 +1000 +200 +\\$1\\.000000 +100\\.0%");
        assertThat(report.out()).containsPattern("mcp:search +1 +0 +0 +\\$0\\.000001");
        assertThat(report.out()).containsPattern(LocalDate.now(ZoneOffset.UTC) + " +11 +\\$1\\.000001");

        JsonNode json = new ObjectMapper().readTree(Cli.run(db, "cost", "report", "--agent", agent, "--json").out());
        assertThat(json.get("totalMicros").asLong()).isEqualTo(1_000_001L);
        assertThat(json.get("total").asText()).isEqualTo("1.000001");
        assertThat(json.get("byTool").get(0).get("tool").asText()).isEqualTo("openai:gpt-4o");

        Result owner = Cli.run(db, "cost", "report", "--owner", "alice", "--since", LocalDate.now(ZoneOffset.UTC).toString());
        assertThat(owner.exit()).as(owner.toString()).isZero();
        assertThat(owner.out()).contains("Cost of the agents of alice", "Total: $1.000001 in 11 calls");

        String other = Cli.agent(db, "reader");
        Cli.run(db, "cost", "record", "--agent", other, "--tool", "x", "--cost-usd", "2.5");
        Result top = Cli.run(db, "cost", "report", "--top", "5");
        assertThat(top.exit()).as(top.toString()).isZero();
        assertThat(top.out()).containsPattern("1 +" + other + " +reader +alice +1 +\\$2\\.500000")
                .containsPattern("2 +" + agent + " +writer +alice +11 +\\$1\\.000001");
    }

    @Test
    void modelPricesTokensFromTheBundledTable() throws Exception {
        // gpt-4o: 1000 x $2.50/M + 500 x $10.00/M = $0.0025 + $0.005
        Result priced = record("--model", "gpt-4o", "--input-tokens", "1000", "--output-tokens", "500");
        assertThat(priced.exit()).as(priced.toString()).isZero();
        assertThat(priced.out()).contains("$0.0075 USD", "on gpt-4o", "$2.50 input / $10.00 output per million tokens");

        Result json = record("--model", "gpt-4o-mini", "--tool", "openai:gpt-4o-mini", "--input-tokens", "1000000", "--json");
        JsonNode event = new ObjectMapper().readTree(json.out());
        assertThat(event.get("costMicros").asLong()).isEqualTo(150_000L);
        assertThat(event.get("tool").asText()).isEqualTo("openai:gpt-4o-mini");
        assertThat(event.get("metadata").get("model").asText()).isEqualTo("gpt-4o-mini");

        assertThat(Cli.run(db, "cost", "report", "--agent", agent).out()).contains("Total: $0.157500 in 2 calls");
    }

    @Test
    void badInputIsAUsageError() {
        Result both = record("--tool", "t", "--cost-usd", "1", "--model", "gpt-4o", "--input-tokens", "1");
        assertThat(both.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(both.err()).contains("one of them").hasLineCount(1);
        assertThat(record("--tool", "t").exit()).isEqualTo(KavachCli.USAGE);
        Result precise = record("--tool", "t", "--cost-usd", "0.0000001");
        assertThat(precise.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(precise.err()).contains("invalid input", "microdollar").hasLineCount(1);
        assertThat(record("--tool", "t", "--cost-usd", "-1").exit()).isEqualTo(KavachCli.USAGE);
        assertThat(record("--tool", "t", "--cost-usd", "ten").exit()).isEqualTo(KavachCli.USAGE);
        Result unknownModel = record("--model", "gpt-99", "--input-tokens", "10");
        assertThat(unknownModel.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(unknownModel.err()).contains("gpt-99").hasLineCount(1);
        assertThat(record("--model", "gpt-4o").exit()).isEqualTo(KavachCli.USAGE);
        assertThat(record("--tool", "t", "--cost-usd", "1", "--input-tokens", "-5").exit()).isEqualTo(KavachCli.USAGE);
        Result unknownAgent = Cli.run(db, "cost", "record", "--agent", "agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y", "--tool", "t",
                "--cost-usd", "1");
        assertThat(unknownAgent.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(unknownAgent.err()).contains("names no agent");

        assertThat(Cli.run(db, "cost", "report").exit()).isEqualTo(KavachCli.USAGE);
        assertThat(Cli.run(db, "cost", "report", "--agent", agent, "--top", "3").exit()).isEqualTo(KavachCli.USAGE);
        assertThat(Cli.run(db, "cost", "report", "--top", "0").exit()).isEqualTo(KavachCli.USAGE);
        assertThat(Cli.run(db, "cost", "report", "--agent", agent, "--until", "2026-01-01").exit()).isEqualTo(KavachCli.USAGE);
        assertThat(Cli.run(db, "cost", "report", "--agent", agent, "--since", "2026-02-01", "--until", "2026-01-01").exit())
                .isEqualTo(KavachCli.USAGE);
        assertThat(Cli.run(db, "cost", "report", "--chain", "dlg_01JZ8K6V3X0M4N7Q9R2S5T8W1Y", "--since", "2026-01-01").exit())
                .isEqualTo(KavachCli.USAGE);
        assertThat(Cli.run(dir.resolve("missing.db"), "cost", "report", "--top", "3").exit()).isEqualTo(KavachCli.FAILURE);
        assertThat(Cli.run(db, "cost").exit()).isEqualTo(KavachCli.USAGE);
    }

    @Test
    void dollarLimitedPolicyTriggersAndIsPrintedInDollars() {
        Result created = Cli.run(db, "policy", "create", "--agent", agent, "--max-cost-per-day", "0.10",
                "--max-cost-per-month", "12", "--action", "block");
        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(created.out()).contains("$0.100000/day", "$12.000000/month");

        assertThat(record("--tool", "t", "--cost-usd", "0.06").out()).doesNotContain("alert");
        Result over = record("--tool", "t", "--cost-usd", "0.06");
        assertThat(over.out()).contains("alert:   budget exceeded: policy " + created.policyId() + " maxCostPerDay $0.100000, spent $0.120000");

        Result denied = Cli.run(db, "authorize", "--agent", agent, "--action", "execute", "--resource", "llm:openai:gpt-4o");
        assertThat(denied.exit()).as(denied.toString()).isEqualTo(KavachCli.DENIED);
        assertThat(Cli.run(db, "policy", "list").out()).contains("$0.120000", "triggered");

        Result tooPrecise = Cli.run(db, "policy", "create", "--agent", agent, "--max-cost-per-day", "0.0000001", "--action", "warn");
        assertThat(tooPrecise.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(tooPrecise.err()).contains("maxCostPerDay").hasLineCount(1);
    }

    @Test
    void everyCostCommandHasHelpWithExamples() {
        for (String[] command : new String[][] {{"cost", "--help"}, {"cost", "record", "--help"}, {"cost", "report", "--help"}}) {
            Result help = Cli.exec(command);
            assertThat(help.exit()).isZero();
            assertThat(help.out()).contains("Usage: kavach cost", "Example", "kavach cost ");
        }
        assertThat(Cli.exec("policy", "create", "--help").out()).contains("--max-cost-per-day", "--max-cost-per-month");
    }
}
