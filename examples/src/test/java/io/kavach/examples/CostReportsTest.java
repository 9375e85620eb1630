package io.kavach.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link CostReports} and checks its reports against the costs it printed as it recorded them,
 * to the microdollar.
 */
class CostReportsTest {
    private static final Map<String, String> OWNERS = Map.of("planner", "alice", "researcher", "alice",
            "summarizer", "alice", "reporter", "bob");

    @TempDir
    Path dir;

    private List<String> lines;
    private List<Recorded> recorded;
    /** Each report's lines ("total …", "tool …", "day …") by its title, such as "Agent report: planner". */
    private Map<String, List<String>> reports;

    /** One {@code "  + "} line: a cost as recorded. */
    record Recorded(String day, String agent, String tool, long micros, String chain) {
    }

    /** What a report should say: sums in microdollars and calls, in total, per tool and per day. */
    static final class Expected {
        long micros;
        long calls;
        final Map<String, long[]> byTool = new TreeMap<>();
        final Map<String, long[]> byDay = new TreeMap<>();

        void add(Recorded r) {
            micros += r.micros();
            calls++;
            long[] tool = byTool.computeIfAbsent(r.tool(), t -> new long[2]);
            tool[0] += r.micros();
            tool[1]++;
            long[] day = byDay.computeIfAbsent(r.day(), d -> new long[2]);
            day[0] += r.micros();
            day[1]++;
        }
    }

    @BeforeEach
    void run() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CostReports.run(dir.resolve("costs.db"), Clock.fixed(Instant.parse("2026-03-10T10:00:00Z"), ZoneOffset.UTC),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

        recorded = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("  + ")) {
                String[] f = line.substring(4).split(" ");
                recorded.add(new Recorded(f[0].substring(0, 10), f[1], f[2], micros(f[3]), f[6]));
            }
        }
        reports = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : lines) {
            if (line.matches("(Agent|Owner|Chain) report: .*")) {
                current = new ArrayList<>();
                reports.put(line.substring(0, line.indexOf(' ', line.indexOf(": ") + 2)), current);
            } else if (current != null && line.matches("  (total|tool|day) .*")) {
                current.add(line.strip());
            } else {
                current = null;
            }
        }
    }

    @Test
    void everyCostIsRecordedAndPrintedOnce() {
        assertThat(recorded).hasSize(26);
        assertThat(recorded.stream().mapToLong(Recorded::micros).sum()).isEqualTo(9_183_325);
        // Ten costs of $0.10 add up to exactly $1.
        assertThat(recorded.stream().filter(r -> r.agent().equals("researcher") && r.day().equals("2026-03-09"))
                .mapToLong(Recorded::micros).sum()).isEqualTo(1_000_000);
        // recordUsage: 1,234 × $0.15 + 567 × $0.60 per million = 525.3 microdollars, rounded once.
        assertThat(lines).anyMatch(l -> l.startsWith("  + 2026-03-08T09:02:00Z planner gpt-4o-mini $0.000525 1234 567 -"));
    }

    @Test
    void agentReportsEqualTheSumsRecorded() {
        for (String agent : OWNERS.keySet()) {
            Expected expected = new Expected();
            recorded.stream().filter(r -> r.agent().equals(agent)).forEach(expected::add);
            assertReport("Agent report: " + agent, expected);
        }
        assertThat(reports.get("Agent report: planner").get(0)).startsWith("total $6.406525 in 6 calls");
        assertThat(lines).anyMatch(l -> l.startsWith("Agent report: planner [2026-03-08T00:00:00Z, 2026-03-11T00:00:00Z)")
                && l.endsWith("from the rollups"));
    }

    @Test
    void ownerReportsEqualTheSumsOfTheirAgents() {
        for (String owner : List.of("alice", "bob")) {
            Expected expected = new Expected();
            recorded.stream().filter(r -> OWNERS.get(r.agent()).equals(owner)).forEach(expected::add);
            assertReport("Owner report: " + owner, expected);
        }
        assertThat(reports.get("Owner report: alice").get(0)).startsWith("total $7.533325 in 21 calls");
        assertThat(reports.get("Owner report: bob").get(0)).startsWith("total $1.650000 in 5 calls");
    }

    @Test
    void theChainReportIncludesTheDerivedChain() {
        Expected withDerived = new Expected();
        recorded.stream().filter(r -> r.chain().equals("planner>researcher") || r.chain().equals("researcher>summarizer"))
                .forEach(withDerived::add);
        assertReport("Chain report: planner>researcher", withDerived);
        Expected derived = new Expected();
        recorded.stream().filter(r -> r.chain().equals("researcher>summarizer")).forEach(derived::add);
        assertReport("Chain report: researcher>summarizer", derived);
        assertThat(reports.get("Chain report: planner>researcher").get(0)).startsWith("total $1.066800 in 14 calls");
        // The summarizer's recordUsage carries no chain, so it is in its agent report only.
        assertThat(withDerived.micros).isLessThan(sum("researcher") + sum("summarizer"));
    }

    @Test
    void topAgentsAreTheBiggestSpenders() {
        int at = lines.indexOf(lines.stream().filter(l -> l.startsWith("Top agents")).findFirst().orElseThrow());
        assertThat(lines.subList(at + 1, at + 4)).containsExactly(
                "  #1 planner (alice) " + dollars(sum("planner")) + " in 6 calls",
                "  #2 reporter (bob) " + dollars(sum("reporter")) + " in 5 calls",
                "  #3 researcher (alice) " + dollars(sum("researcher")) + " in 12 calls");
    }

    @Test
    void theAlertsFireOnceEachAndTheDollarLimitDeniesTheNextCall() {
        List<String> alerts = lines.stream().filter(l -> l.startsWith("    ALERT ")).toList();
        assertThat(alerts).hasSize(3);
        assertThat(alerts.get(0)).isEqualTo(
                "    ALERT WARN planner spent $2.150000 against $2.000000 (rolling 24h) at 2026-03-10T14:01:00Z");
        assertThat(alerts.get(1)).isEqualTo(
                "    ALERT CRITICAL planner spent $5.650000 against $5.000000 (rolling 24h) at 2026-03-10T14:02:00Z");
        assertThat(alerts.get(2)).startsWith("    ALERT BUDGET_EXCEEDED reporter spent $1.100000 against $1.000000 (maxCostPerDay, pol_")
                .endsWith(") at 2026-03-10T14:09:00Z");
        // Each alert is printed right after the cost that raised it.
        assertThat(lines.get(lines.indexOf(alerts.get(0)) - 1)).contains(" planner anthropic:claude-3-5-sonnet $0.950000 ");
        assertThat(lines.get(lines.indexOf(alerts.get(2)) - 1)).contains(" reporter openai:gpt-4o $0.300000 ");
        int summary = lines.indexOf("Alerts that fired (3):");
        assertThat(summary).isPositive();
        assertThat(lines.subList(summary + 1, summary + 4)).containsExactlyElementsOf(alerts.stream().map(a -> a.substring("    ALERT ".length()))
                .map(a -> "  " + a).toList());

        List<String> decisions = lines.stream().filter(l -> l.startsWith("  authorize reporter")).toList();
        assertThat(decisions).hasSize(3);
        assertThat(decisions.subList(0, 2)).allMatch(l -> l.endsWith("-> ALLOWED"));
        assertThat(decisions.get(2)).contains("-> DENIED BUDGET_EXCEEDED")
                .contains("maxCostPerDay $1.100000 + $0.000000 would exceed $1.000000").endsWith("blocked until 2026-03-11T00:00:00Z");
        assertThat(lines.indexOf(decisions.get(2))).isGreaterThan(lines.indexOf("After the dollar limit:"));
    }

    @Test
    void checkBudgetCountsOnlyTodaysSpendAgainstTheDailyLimit() {
        long today = recorded.stream().filter(r -> r.agent().equals("reporter") && r.day().equals("2026-03-10"))
                .mapToLong(Recorded::micros).sum();
        assertThat(today).isEqualTo(1_100_000);
        assertThat(lines).anyMatch(l -> l.startsWith("Budget check reporter: OVER BUDGET, spent " + dollars(today)
                + " of $1.000000 (maxCostPerDay of pol_") && l.endsWith("), remaining -$0.100000"));
        assertThat(lines).contains("Budget check planner: within budget, spent $0.000000, no dollar limit applies");
    }

    private void assertReport(String title, Expected expected) {
        List<String> report = reports.get(title);
        assertThat(report).as(title).isNotNull();
        assertThat(report.get(0)).as(title).startsWith("total " + dollars(expected.micros) + " in " + expected.calls + " calls,");
        Map<String, long[]> tools = new TreeMap<>();
        Map<String, long[]> days = new TreeMap<>();
        for (String line : report.subList(1, report.size())) {
            String[] f = line.split(" ");
            (f[0].equals("tool") ? tools : days).put(f[1], new long[] {micros(f[2]), Long.parseLong(f[4])});
        }
        assertThat(tools.keySet()).as(title).isEqualTo(expected.byTool.keySet());
        expected.byTool.forEach((tool, sums) -> assertThat(tools.get(tool)).as(title + " " + tool).containsExactly(sums));
        assertThat(days.keySet()).as(title).isEqualTo(expected.byDay.keySet());
        expected.byDay.forEach((day, sums) -> assertThat(days.get(day)).as(title + " " + day).containsExactly(sums));
        // Most expensive tool first; days oldest first.
        List<Long> toolCosts = report.stream().filter(l -> l.startsWith("tool ")).map(l -> micros(l.split(" ")[2])).toList();
        assertThat(toolCosts).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        List<String> dayOrder = report.stream().filter(l -> l.startsWith("day ")).map(l -> l.split(" ")[1]).toList();
        assertThat(dayOrder).isSorted();
    }

    private long sum(String agent) {
        return recorded.stream().filter(r -> r.agent().equals(agent)).mapToLong(Recorded::micros).sum();
    }

    private static long micros(String dollars) {
        assertThat(dollars).startsWith("$");
        return new BigDecimal(dollars.substring(1)).movePointRight(6).longValueExact();
    }

    private static String dollars(long micros) {
        return "$" + BigDecimal.valueOf(micros, 6).toPlainString();
    }
}
