package io.kavach.bench;

import io.kavach.audit.AuditHasher;
import io.kavach.cost.RecordCostRequest;
import io.kavach.model.Agent;
import io.kavach.model.AgentStatus;
import io.kavach.model.AgentType;
import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import io.kavach.model.CostEvent;
import io.kavach.model.Ids;
import io.kavach.model.Permission;
import io.kavach.store.sqlite.SqliteStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Fills a store quickly through the SPI ({@link SqliteStore#write}, {@value #UNIT} rows per write unit). */
final class Fill {
    static final int UNIT = 50_000;
    static final List<String> TOOLS = List.of("openai:gpt-4o", "openai:gpt-4o-mini", "anthropic:claude-3-5-sonnet",
            "google:gemini-1.5-pro", "mcp:github", "mcp:slack");

    private Fill() {
    }

    /** Inserts {@code agentCount} agents and {@code events} cost events spread over the {@code days} days before {@code now}; returns the agent ids. */
    static List<String> costEvents(SqliteStore store, long events, int agentCount, int days, Instant now) {
        Ids ids = Ids.generator(Clock.fixed(now.minus(Duration.ofDays(days + 1)), ZoneOffset.UTC));
        Random random = new Random(42);
        List<Agent> agents = new ArrayList<>();
        List<String> tokenHashes = new ArrayList<>();
        Instant created = now.minus(Duration.ofDays(days + 1));
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
        Instant start = now.minus(Duration.ofDays(days));
        long spanMillis = Duration.ofDays(days).toMillis();
        Map<String, Object> metadata = Map.of("operation", "load");
        for (long done = 0; done < events; ) {
            long from = done;
            long to = Math.min(events, done + UNIT);
            store.write(session -> {
                for (long e = from; e < to; e++) {
                    Instant ts = start.plusMillis(e * spanMillis / events);
                    Agent agent = agents.get((int) (e % agentCount));
                    String tool = TOOLS.get((int) ((e / agentCount) % TOOLS.size()));
                    session.costs().insert(new CostEvent(ids.next(Ids.COST_EVENT), ts,
                            LocalDate.ofInstant(ts, ZoneOffset.UTC).toString(), agent.id(), agent.ownerId(), null, tool,
                            100 + random.nextInt(5_000), 10 + random.nextInt(1_000), 1 + random.nextInt(20_000),
                            RecordCostRequest.USD, metadata, null));
                }
                return null;
            });
            done = to;
        }
        return agents.stream().map(Agent::id).toList();
    }

    /** Appends {@code rows} chained audit entries, 10 ms apart, ending before {@code now}, hashed as Kavach hashes them. */
    static void auditEntries(SqliteStore store, long rows, Instant now) {
        Instant first = now.minusMillis(rows * 10 + 1_000);
        Ids ids = Ids.generator(Clock.fixed(first, ZoneOffset.UTC));
        Random random = new Random(1);
        List<String> agents = List.of("agt_01KA0000000000000000000001", "agt_01KA0000000000000000000002",
                "agt_01KA0000000000000000000003", "agt_01KA0000000000000000000004");
        for (long done = 0; done < rows; ) {
            long unit = Math.min(UNIT, rows - done);
            long from = done;
            store.write(session -> {
                String previous = session.audit().headHash().orElse(AuditEntry.GENESIS);
                for (long i = from; i < from + unit; i++) {
                    int a = (int) (i % agents.size());
                    boolean allowed = random.nextInt(10) != 0;
                    Map<String, Object> arguments = new LinkedHashMap<>();
                    arguments.put("model", i % 3 == 0 ? "gpt-4o" : "claude-sonnet");
                    arguments.put("prompt", "[REDACTED]");
                    arguments.put("n", i);
                    AuditEntry entry = new AuditEntry(ids.next(Ids.AUDIT), first.plusMillis(i * 10), agents.get(a),
                            "user-" + a % 2, a < 2 ? "acme" : null, "execute", "llm:openai:chat",
                            allowed ? AuditResult.ALLOWED : AuditResult.DENIED, allowed ? "ALLOWED" : "PERMISSION_DENIED",
                            allowed ? "execute on llm:openai:chat allowed by own permission llm:**"
                                    : "agent has no permission, \"quoted\", for execute",
                            random.nextInt(4) == 0 ? null : (long) random.nextInt(2_000), 40 + random.nextInt(400), null,
                            List.of(), "10.0.0." + a, "agent-sdk/1.4 (java)", AuditHasher.normalize(arguments), previous, null);
                    AuditEntry linked = entry.chained(previous, AuditHasher.hash(entry));
                    session.audit().append(linked);
                    previous = linked.hash();
                }
                return null;
            });
            done += unit;
        }
    }
}
