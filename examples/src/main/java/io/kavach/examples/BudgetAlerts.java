package io.kavach.examples;

import io.kavach.AuthorizeRequest;
import io.kavach.Decision;
import io.kavach.Kavach;
import io.kavach.KavachListener;
import io.kavach.agent.CreateAgentRequest;
import io.kavach.model.BudgetPolicy;
import io.kavach.model.PolicyAction;
import io.kavach.policy.CreatePolicyRequest;
import io.kavach.policy.PolicyCounters;
import io.kavach.policy.PolicyTriggered;
import io.kavach.store.sqlite.SqliteStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Warn at a soft limit, block at the hard one: an agent with a warn policy at 800 and a block
 * policy at 1,000 tokensCost per day makes calls of 150 tokens until it is blocked. A listener
 * prints the alert when a policy triggers. Run it with a database path (and {@code --block-first}
 * to create the block policy first; the outcome is the same).
 */
public final class BudgetAlerts {
    static final long WARN_AT = 800;
    static final long BLOCK_AT = 1_000;
    static final long CALL_COST = 150;
    private static final int MAX_CALLS = 100;

    private BudgetAlerts() {
    }

    public static void main(String[] args) {
        Path db = Path.of(args.length > 0 && !args[0].startsWith("--") ? args[0] : "kavach-budget-alerts.db");
        boolean blockFirst = args.length > 0 && args[args.length - 1].equals("--block-first");
        run(db, Clock.systemUTC(), System.out, blockFirst);
    }

    /** Runs the walkthrough on the database file {@code db}, printing to {@code out}; the warn policy is created first. */
    public static void run(Path db, Clock clock, PrintStream out) {
        run(db, clock, out, false);
    }

    /** As {@link #run(Path, Clock, PrintStream)}, creating the block policy first when {@code blockFirst}. */
    public static void run(Path db, Clock clock, PrintStream out, boolean blockFirst) {
        AtomicInteger call = new AtomicInteger();
        KavachListener alerts = new KavachListener() {
            @Override
            public void onPolicyTriggered(PolicyTriggered event) {
                // Called once per policy and day, after the decision committed: send the e-mail here.
                out.printf("  ALERT during call #%d: %s policy triggered for %s: %s%n", call.get(),
                        event.policy().action().name().toLowerCase(Locale.ROOT), event.agentId(), event.violation().describe());
            }
        };
        try (Kavach kavach = Kavach.builder().store(SqliteStore.open(db)).clock(clock).listener(alerts).build()) {
            String agent = kavach.agents().create(CreateAgentRequest.builder("alice", "writer-bot")
                    .permission("llm:openai:*", "execute").build()).agent().id();
            out.println("Created " + agent + " on " + db.toAbsolutePath());

            BudgetPolicy warn;
            BudgetPolicy block;
            if (blockFirst) {
                block = create(kavach, agent, BLOCK_AT, PolicyAction.BLOCK);
                warn = create(kavach, agent, WARN_AT, PolicyAction.WARN);
            } else {
                warn = create(kavach, agent, WARN_AT, PolicyAction.WARN);
                block = create(kavach, agent, BLOCK_AT, PolicyAction.BLOCK);
            }
            out.println("Warn policy " + warn.id() + " at " + WARN_AT + ", block policy " + block.id() + " at " + BLOCK_AT
                    + " tokensCost per day (" + (blockFirst ? "block" : "warn") + " created first)");
            out.println();

            Decision decision;
            do {
                int n = call.incrementAndGet();
                decision = kavach.authorize(agent, AuthorizeRequest.builder("execute", "llm:openai:gpt-4o")
                        .tokensCost(CALL_COST).build());
                out.println(String.format("  call #%d (%d tokens) -> %-7s %-15s %s", n, CALL_COST,
                        decision.allowed() ? "ALLOWED" : "DENIED", decision.allowed() ? "" : decision.code(),
                        decision.allowed() ? String.join("; ", decision.warnings()) : decision.reason()).stripTrailing());
            } while (decision.allowed() && call.get() < MAX_CALLS);

            PolicyCounters today = kavach.policy().counters(block.id());
            out.println();
            out.println("Spent today: " + today.day().tokensCost() + " tokensCost in " + today.day().calls()
                    + " calls; blocked until the day ends (" + kavach.policy().get(block.id()).triggeredUntil() + ")");
        }
    }

    private static BudgetPolicy create(Kavach kavach, String agent, long limit, PolicyAction action) {
        return kavach.policy().create(CreatePolicyRequest.forAgent(agent).maxTokensCostPerDay(limit).action(action).build());
    }
}
