package io.kavach.store.sqlite;

import io.kavach.Kavach;
import io.kavach.cost.CostBudgetCheck;
import io.kavach.cost.CostPeriod;
import io.kavach.cost.CostReport;
import io.kavach.cost.RecordCostRequest;
import io.kavach.model.Agent;
import io.kavach.model.AgentStatus;
import io.kavach.model.AgentType;
import io.kavach.model.CostEvent;
import io.kavach.model.Ids;
import io.kavach.model.Permission;
import io.kavach.model.PolicyAction;
import io.kavach.policy.CreatePolicyRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Measures the current-period spend reads on a large SQLite file (not a test: run it by hand).
 *
 * <pre>
 * SpendReadLoadMain [db file] [events] [agents] [days] [calls]
 * </pre>
 *
 * Defaults: a temporary file, 1,000,000 events, 1,000 agents, 30 days, 2,000 measured calls. It
 * fills the file through the store SPI directly ({@link SqliteStore#write} in units of
 * {@value #UNIT} events: agents with {@code session.agents().insert}, then events with
 * {@code session.costs().insert}, which also maintains the rollups), spread evenly over the agents
 * (100 owners, 6 tools) and the {@code days} days before now. "Now" is fixed at 2026-03-31T12:00Z,
 * so 30 days lie within the current month. Then, on {@value #SAMPLED} agents that each get a block
 * policy with a {@code maxCostPerDay} (and one cost recorded through the API, so their counters are
 * not empty), it times after a warm-up of {@value #WARMUP} calls, cycling through those agents:
 * <ul>
 *   <li>{@code getAgentCost(agentId)}: the current month, whole days, so from the rollups;</li>
 *   <li>{@code checkBudget(agentId)}: the policy counters;</li>
 *   <li>{@code getAgentCost(agentId, period)} with a period not aligned on days (the last 7 days
 *       minus 90 minutes), so from the events through the (agent, currency, ts) index.</li>
 * </ul>
 * Prints one JSON line per measurement.
 */
public final class SpendReadLoadMain {
    static final int UNIT = 50_000;
    static final int SAMPLED = 100;
    static final int WARMUP = 500;
    static final Instant NOW = Instant.parse("2026-03-31T12:00:00Z");
    static final List<String> TOOLS = List.of("openai:gpt-4o", "openai:gpt-4o-mini", "anthropic:claude-3-5-sonnet",
            "google:gemini-1.5-pro", "mcp:github", "mcp:slack");

    private SpendReadLoadMain() {
    }

    public static void main(String[] args) throws IOException {
        Path db = args.length > 0 && !args[0].equals("-") ? Path.of(args[0])
                : Files.createTempDirectory("kavach-spend").resolve("spend.db");
        long events = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        int agentCount = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        int days = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        int calls = args.length > 4 ? Integer.parseInt(args[4]) : 2_000;
        if (Files.exists(db)) {
            throw new IllegalArgumentException(db + " exists; give a new file");
        }
        PrintStream out = System.out;
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

        long fillStart = System.nanoTime();
        List<String> agents;
        try (SqliteStore store = SqliteStore.open(db)) {
            agents = fill(store, events, agentCount, days);
        }
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        long fileBytes = Files.size(db);
        String common = String.format(Locale.ROOT, "\"n\":%d,\"agents\":%d,\"days\":%d,\"fillSeconds\":%.1f,\"dbMegabytes\":%d,"
                + "\"calls\":%d,\"warmup\":%d", events, agentCount, days, fillSeconds, fileBytes >> 20, calls, WARMUP);

        try (Kavach kavach = Kavach.builder().store(SqliteStore.open(db)).clock(clock).build()) {
            List<String> sampled = new ArrayList<>();
            for (int i = 0; i < Math.min(SAMPLED, agents.size()); i++) {
                String agent = agents.get(i * agents.size() / Math.min(SAMPLED, agents.size()));
                sampled.add(agent);
                kavach.policy().create(CreatePolicyRequest.forAgent(agent).maxCostPerDay(50_000_000)
                        .action(PolicyAction.BLOCK).build());
                kavach.costs().recordCost(RecordCostRequest.builder(agent, TOOLS.get(0)).tokens(1_000, 200)
                        .costUsd("0.0045").build());
            }
            CostPeriod unaligned = CostPeriod.between(NOW.minus(Duration.ofDays(7)).plus(Duration.ofMinutes(90)), NOW);

            SpendReadLoadMain.<CostReport>measure(out, common, "getAgentCost(agentId) current month", sampled, calls,
                    a -> kavach.costs().getAgentCost(a), r -> extra(r));
            SpendReadLoadMain.<CostBudgetCheck>measure(out, common, "checkBudget(agentId) maxCostPerDay policy", sampled, calls,
                    a -> kavach.costs().checkBudget(a), r -> extra(r));
            SpendReadLoadMain.<CostReport>measure(out, common, "getAgentCost(agentId, unaligned 7-day period)", sampled, calls,
                    a -> kavach.costs().getAgentCost(a, unaligned), r -> extra(r));
        }
    }

    /** Inserts the agents and the events; returns the agent ids. */
    static List<String> fill(SqliteStore store, long events, int agentCount, int days) {
        Ids ids = Ids.generator(Clock.fixed(NOW.minus(Duration.ofDays(days + 1)), ZoneOffset.UTC));
        Random random = new Random(42);
        List<Agent> agents = new ArrayList<>();
        List<String> tokenHashes = new ArrayList<>();
        Instant created = NOW.minus(Duration.ofDays(days + 1));
        for (int i = 0; i < agentCount; i++) {
            byte[] hash = new byte[32];
            random.nextBytes(hash);
            String token = HexFormat.of().formatHex(hash);
            tokenHashes.add(token);
            agents.add(new Agent(ids.next(Ids.AGENT), "owner-" + (i % 100), null, "agent-" + i, AgentType.AUTONOMOUS,
                    AgentStatus.ACTIVE, List.of(Permission.of("llm:*", "execute")), null, Map.of(),
                    "kv_" + token.substring(0, 8), created, created, null));
        }
        store.write(session -> {
            for (int i = 0; i < agents.size(); i++) {
                session.agents().insert(agents.get(i), tokenHashes.get(i));
            }
            return null;
        });
        Instant start = NOW.minus(Duration.ofDays(days));
        long spanMillis = Duration.ofDays(days).toMillis();
        Map<String, Object> metadata = Map.of("operation", "load");
        long done = 0;
        while (done < events) {
            long from = done;
            long to = Math.min(events, done + UNIT);
            store.write(session -> {
                for (long e = from; e < to; e++) {
                    // Evenly spread in time, oldest first, agents round robin.
                    Instant ts = start.plusMillis(e * spanMillis / events);
                    Agent agent = agents.get((int) (e % agentCount));
                    String tool = TOOLS.get((int) ((e / agentCount) % TOOLS.size()));
                    long in = 100 + random.nextInt(5_000);
                    long outTokens = 10 + random.nextInt(1_000);
                    long micros = 1 + random.nextInt(20_000);
                    session.costs().insert(new CostEvent(ids.next(Ids.COST_EVENT), ts,
                            LocalDate.ofInstant(ts, ZoneOffset.UTC).toString(), agent.id(), agent.ownerId(), null, tool,
                            in, outTokens, micros, RecordCostRequest.USD, metadata, null));
                }
                return null;
            });
            done = to;
        }
        return agents.stream().map(Agent::id).toList();
    }

    private static <T> void measure(PrintStream out, String common, String name, List<String> agents, int calls,
                                    Function<String, T> read, Function<T, String> describe) {
        T last = null;
        for (int i = 0; i < WARMUP; i++) {
            last = read.apply(agents.get(i % agents.size()));
        }
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            String agent = agents.get(i % agents.size());
            long t0 = System.nanoTime();
            last = read.apply(agent);
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        out.printf(Locale.ROOT, "{\"measurement\":\"%s\",%s,\"p50Micros\":%d,\"p99Micros\":%d,\"maxMicros\":%d,%s}%n", name,
                common, percentile(nanos, 50) / 1_000, percentile(nanos, 99) / 1_000, nanos[calls - 1] / 1_000,
                describe.apply(last));
        out.flush();
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String extra(CostReport r) {
        return String.format(Locale.ROOT, "\"lastTotal\":\"%s\",\"lastCalls\":%d,\"fromRollups\":%b", r.total(), r.calls(),
                r.fromRollups());
    }

    private static String extra(CostBudgetCheck c) {
        return String.format(Locale.ROOT, "\"lastSpent\":\"%s\",\"lastLimit\":\"%s\",\"withinBudget\":%b", c.spent(), c.limit(),
                c.withinBudget());
    }
}
