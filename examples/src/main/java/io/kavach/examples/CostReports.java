package io.kavach.examples;

import io.kavach.Decision;
import io.kavach.Kavach;
import io.kavach.KavachListener;
import io.kavach.agent.CreateAgentRequest;
import io.kavach.cost.AgentCost;
import io.kavach.cost.CostAlert;
import io.kavach.cost.CostBudgetCheck;
import io.kavach.cost.CostPeriod;
import io.kavach.cost.CostReport;
import io.kavach.cost.ModelPricing;
import io.kavach.cost.RecordCostRequest;
import io.kavach.delegation.DelegationRequest;
import io.kavach.model.BudgetPolicy;
import io.kavach.model.CostEvent;
import io.kavach.model.DelegationChain;
import io.kavach.model.Microdollars;
import io.kavach.model.PolicyAction;
import io.kavach.policy.CreatePolicyRequest;
import io.kavach.store.sqlite.SqliteStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Cost attribution (seed 002): what agents spend, per agent, tool, day, owner and delegation chain,
 * with rolling-24-hour warn and critical alerts and a dollar-limited block policy.
 *
 * <p>Two owners: alice's {@code planner} delegates to {@code researcher}, which delegates on to
 * {@code summarizer} (a chain derived from the first); bob's {@code reporter} has a block policy of
 * $1.00 per day. Three days of spend ending on {@code clock}'s date are replayed on a clock of the
 * walkthrough's own (day 1 and 2 at 09:00, today at 14:00, one minute per cost), recorded with
 * {@code recordCost} (exact dollar strings, tokens, metadata, a delegation chain) and
 * {@code recordUsage} (priced by the model price table). Every recorded cost is printed on a line
 * starting {@code "  + "}; then come the reports over those three whole days, the chain reports,
 * the budget checks, the alerts that fired, and the call the dollar limit denies.
 */
public final class CostReports {
    static final ZoneId ZONE = ZoneOffset.UTC;
    /** Rolling 24-hour spend per agent that raises a warn and a critical alert. */
    static final String WARN_USD = "2.00";
    static final String CRITICAL_USD = "5.00";
    /** The reporter's block policy: $1.00 a day, in microdollars. */
    static final long REPORTER_DAILY_LIMIT_MICROS = 1_000_000;
    static final String ACTION = "execute";
    static final String RESOURCE = "llm:openai:gpt-4o";

    private CostReports() {
    }

    public static void main(String[] args) {
        Path db = Path.of(args.length > 0 ? args[0] : "kavach-cost-reports.db");
        run(db, Clock.systemUTC(), System.out);
    }

    /** Runs the walkthrough on the database file {@code db}, printing to {@code out}. */
    public static void run(Path db, Clock clock, PrintStream out) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZONE);
        LocalDate first = today.minusDays(2);
        WalkClock time = new WalkClock(first.atTime(9, 0).atZone(ZONE).toInstant());
        List<CostAlert> alerts = new CopyOnWriteArrayList<>();
        Map<String, String> names = new HashMap<>();
        KavachListener listener = new KavachListener() {
            @Override
            public void onCostAlert(CostAlert alert) {
                // Called after the cost that crossed the threshold is committed: page someone here.
                alerts.add(alert);
            }
        };
        // Prices pinned here so that the example's numbers do not move with the bundled table.
        ModelPricing pricing = ModelPricing.builder()
                .price("openai", "gpt-4o", "2.50", "10.00")
                .price("openai", "gpt-4o-mini", "0.15", "0.60")
                .build();
        try (Kavach kavach = Kavach.builder().store(SqliteStore.open(db)).clock(time).budgetZone(ZONE)
                .modelPricing(pricing).costAlertThresholds(WARN_USD, CRITICAL_USD)
                .costAlertCooldown(Duration.ofHours(1)).listener(listener).build()) {
            // The researcher and the summarizer hold the LLM permission only through delegation, so
            // the second chain is derived from the first.
            String planner = agent(kavach, names, "alice", "planner", "llm:openai:*");
            String researcher = agent(kavach, names, "alice", "researcher", "mcp:github");
            String summarizer = agent(kavach, names, "alice", "summarizer", "mcp:github");
            String reporter = agent(kavach, names, "bob", "reporter", "llm:openai:*");
            DelegationChain toResearcher = kavach.delegate(DelegationRequest.from(planner).to(researcher)
                    .permission("llm:openai:*", ACTION).expiresIn("7d").build());
            DelegationChain toSummarizer = kavach.delegate(DelegationRequest.from(researcher).to(summarizer)
                    .permission("llm:openai:*", ACTION).expiresIn("7d").build());
            names.put(toResearcher.id(), "planner>researcher");
            names.put(toSummarizer.id(), "researcher>summarizer");
            out.println("Agents on " + db.toAbsolutePath() + ": planner, researcher, summarizer (alice), reporter (bob)");
            out.println("Chain " + toResearcher.id() + " planner -> researcher; derived chain " + toSummarizer.id()
                    + " researcher -> summarizer (parents " + toSummarizer.parentChainIds() + ")");
            BudgetPolicy block = kavach.policy().create(CreatePolicyRequest.forAgent(reporter)
                    .maxCostPerDay(REPORTER_DAILY_LIMIT_MICROS).action(PolicyAction.BLOCK).build());
            out.println("Block policy " + block.id() + " on reporter: maxCostPerDay "
                    + Microdollars.of(REPORTER_DAILY_LIMIT_MICROS) + "; alerts at $" + WARN_USD
                    + " (warn) and $" + CRITICAL_USD + " (critical) per rolling 24 hours");

            Recorder rec = new Recorder(kavach, time, names, alerts, new int[1], out);
            out.println();
            out.println("Day " + first + ":");
            rec.cost(RecordCostRequest.builder(planner, "openai:gpt-4o").tokens(1_200, 300).costUsd("0.0060")
                    .metadata("operation", "plan").build());
            rec.cost(RecordCostRequest.builder(researcher, "mcp:github").costUsd("0.0001")
                    .metadata("operation", "create_issue").metadata("repo", "acme/app")
                    .delegationChain(toResearcher.id()).build());
            rec.usage(planner, "gpt-4o-mini", 1_234, 567); // 185.1 + 340.2 = 525.3 microdollars, rounded once
            rec.cost(RecordCostRequest.builder(reporter, "anthropic:claude-3-5-sonnet").tokens(20_000, 4_000)
                    .costUsd("0.30").metadata("operation", "weekly-report").build());

            time.set(first.plusDays(1).atTime(9, 0).atZone(ZONE).toInstant());
            out.println("Day " + first.plusDays(1) + ":");
            rec.cost(RecordCostRequest.builder(planner, "openai:gpt-4o").tokens(150_000, 37_500).costUsd("0.75")
                    .metadata("operation", "plan").build());
            for (int i = 0; i < 10; i++) { // ten costs of $0.10: exactly $1.000000
                rec.cost(RecordCostRequest.builder(researcher, "openai:gpt-4o").tokens(20_000, 5_000).costUsd("0.10")
                        .metadata("operation", "search").metadata("page", i + 1).delegationChain(toResearcher.id()).build());
            }
            rec.cost(RecordCostRequest.builder(summarizer, "openai:gpt-4o-mini").tokens(8_000, 5_000).costUsd("0.0042")
                    .delegationChain(toSummarizer.id()).build());
            rec.usage(summarizer, "gpt-4o", 12_000, 3_000);
            rec.cost(RecordCostRequest.builder(reporter, "anthropic:claude-3-5-sonnet").tokens(15_000, 3_000)
                    .costUsd("0.25").build());

            time.set(today.atTime(14, 0).atZone(ZONE).toInstant());
            out.println("Day " + today + ":");
            rec.cost(RecordCostRequest.builder(planner, "openai:gpt-4o").tokens(240_000, 60_000).costUsd("1.20")
                    .metadata("operation", "plan").build());
            rec.cost(RecordCostRequest.builder(planner, "anthropic:claude-3-5-sonnet").tokens(100_000, 43_333)
                    .costUsd("0.95").build()); // rolling 24 hours: $2.15, warn
            rec.usage(planner, "gpt-4o", 400_000, 250_000); // $3.50: $5.65, critical
            rec.cost(RecordCostRequest.builder(researcher, "openai:gpt-4o").tokens(10_000, 2_500).costUsd("0.05")
                    .delegationChain(toResearcher.id()).build());
            rec.cost(RecordCostRequest.builder(summarizer, "openai:gpt-4o-mini").tokens(25_000, 14_583).costUsd("0.0125")
                    .delegationChain(toSummarizer.id()).build());
            rec.authorize(reporter);
            rec.cost(RecordCostRequest.builder(reporter, "anthropic:claude-3-5-sonnet").costUsd("0.40").build());
            rec.cost(RecordCostRequest.builder(reporter, "anthropic:claude-3-5-sonnet").costUsd("0.40").build());
            rec.authorize(reporter);
            rec.cost(RecordCostRequest.builder(reporter, "openai:gpt-4o").costUsd("0.30").build()); // $1.10 > $1.00
            out.println();

            CostPeriod days = CostPeriod.between(first.atStartOfDay(ZONE).toInstant(),
                    today.plusDays(1).atStartOfDay(ZONE).toInstant());
            for (String agent : List.of(planner, researcher, summarizer, reporter)) {
                print(out, "Agent report: " + names.get(agent), kavach.costs().getAgentCost(agent, days));
            }
            for (String owner : List.of("alice", "bob")) {
                print(out, "Owner report: " + owner, kavach.costs().getOwnerCost(owner, days));
            }
            out.println("Top agents " + days + ":");
            int rank = 0;
            for (AgentCost top : kavach.costs().getTopAgentsByCost(3, days)) {
                out.printf("  #%d %s (%s) %s in %d calls%n", ++rank, names.get(top.agentId()), top.ownerId(), top.total(),
                        top.calls());
            }
            print(out, "Chain report: planner>researcher (with the derived chain)",
                    kavach.costs().getDelegationChainCost(toResearcher.id()));
            print(out, "Chain report: researcher>summarizer", kavach.costs().getDelegationChainCost(toSummarizer.id()));

            for (String agent : List.of(reporter, planner)) {
                CostBudgetCheck check = kavach.costs().checkBudget(agent);
                out.println("Budget check " + names.get(agent) + ": " + (check.withinBudget() ? "within budget" : "OVER BUDGET")
                        + ", spent " + check.spent() + (check.limit() == null ? ", no dollar limit applies"
                        : " of " + check.limit() + " (" + check.window() + " of " + check.policyId() + "), remaining "
                        + check.remaining()));
            }
            out.println("Alerts that fired (" + alerts.size() + "):");
            alerts.forEach(a -> out.println("  " + describe(a, names)));
            out.println("After the dollar limit:");
            rec.authorize(reporter);
        }
    }

    private static String agent(Kavach kavach, Map<String, String> names, String owner, String name, String resource) {
        String id = kavach.agents().create(CreateAgentRequest.builder(owner, name).permission(resource, ACTION)
                .build()).agent().id();
        names.put(id, name);
        return id;
    }

    static String describe(CostAlert alert, Map<String, String> names) {
        return alert.type() + " " + names.get(alert.agentId()) + " spent " + alert.currentSpend() + " against "
                + alert.threshold() + " (" + alert.period() + (alert.policyId() == null ? "" : ", " + alert.policyId())
                + ") at " + alert.at();
    }

    private static void print(PrintStream out, String title, CostReport report) {
        out.println(title + " " + (report.period() == null ? "all time" : report.period())
                + (report.fromRollups() ? " from the rollups" : " from the events"));
        out.printf("  total %s in %d calls, %d input / %d output tokens%n", report.total(), report.calls(),
                report.inputTokens(), report.outputTokens());
        for (CostReport.ToolCost tool : report.byTool()) {
            out.printf("  tool %s %s in %d calls%n", tool.tool(), tool.cost(), tool.calls());
        }
        for (CostReport.DayCost day : report.byDay()) {
            out.printf("  day %s %s in %d calls%n", day.day(), day.cost(), day.calls());
        }
    }

    /**
     * Records costs one minute apart and prints each on a line starting {@code "  + "}, followed by
     * the alerts it raised; {@code printed[0]} counts the alerts printed so far.
     */
    private record Recorder(Kavach kavach, WalkClock time, Map<String, String> names, List<CostAlert> alerts,
                            int[] printed, PrintStream out) {
        void cost(RecordCostRequest request) {
            print(kavach.costs().recordCost(request));
        }

        void usage(String agentId, String model, long inputTokens, long outputTokens) {
            print(kavach.costs().recordUsage(agentId, model, inputTokens, outputTokens));
        }

        void authorize(String agentId) {
            Decision d = kavach.authorize(agentId, ACTION, RESOURCE);
            out.println("  authorize " + names.get(agentId) + " " + ACTION + " " + RESOURCE + " -> "
                    + (d.allowed() ? "ALLOWED" : "DENIED " + d.code() + ": " + d.reason()));
            time.advance(Duration.ofMinutes(1));
        }

        private void print(CostEvent e) {
            out.printf("  + %s %s %s %s %d %d %s%s%n", e.timestamp(), names.get(e.agentId()), e.tool(),
                    Microdollars.of(e.costMicros()), e.inputTokens(), e.outputTokens(),
                    e.delegationChainId() == null ? "-" : names.get(e.delegationChainId()),
                    e.metadata().isEmpty() ? "" : " " + e.metadata());
            while (printed[0] < alerts.size()) {
                out.println("    ALERT " + describe(alerts.get(printed[0]++), names));
            }
            time.advance(Duration.ofMinutes(1));
        }
    }

    /** The walkthrough's clock: set and advanced by it, read by Kavach. */
    private static final class WalkClock extends Clock {
        private volatile Instant now;

        WalkClock(Instant start) {
            this.now = start;
        }

        void set(Instant instant) {
            now = instant;
        }

        void advance(Duration step) {
            now = now.plus(step);
        }

        @Override
        public ZoneId getZone() {
            return ZONE;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the walkthrough's clock is in UTC");
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
