package io.kavach.examples;

import io.kavach.AuthorizeRequest;
import io.kavach.Decision;
import io.kavach.Kavach;
import io.kavach.agent.AgentCredentials;
import io.kavach.agent.CreateAgentRequest;
import io.kavach.audit.AuditFilter;
import io.kavach.delegation.DelegationRequest;
import io.kavach.error.DelegationRejectedException;
import io.kavach.model.AuditEntry;
import io.kavach.model.Constraints;
import io.kavach.model.DelegationChain;
import io.kavach.model.Permission;
import io.kavach.store.sqlite.SqliteStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The README's quickstart: agents on a SQLite file, allowed and denied calls, a delegation, a
 * revocation, and the audit trail. Run it with {@code ./quickstart} (or pass a database path).
 */
public final class Quickstart {
    private Quickstart() {
    }

    public static void main(String[] args) {
        Path db = Path.of(args.length > 0 ? args[0] : "kavach-quickstart.db");
        run(db, Clock.systemUTC(), System.out);
    }

    /** Runs the walkthrough on the database file {@code db}, printing to {@code out}. */
    public static void run(Path db, Clock clock, PrintStream out) {
        try (Kavach kavach = Kavach.builder().store(SqliteStore.open(db)).clock(clock).build()) {
            out.println("Kavach quickstart on " + db.toAbsolutePath());
            out.println();

            // 1. An agent for user "alice" that may read GitHub and call the search API 3 times an hour.
            AgentCredentials researcher = kavach.agents().create(CreateAgentRequest.builder("alice", "research-bot")
                    .permission("mcp:github:**", "read")
                    .permission(Permission.of("api:search", "call")
                            .withConstraints(Constraints.builder().maxCallsPerHour(3).build()))
                    .build());
            String bot = researcher.agent().id();
            out.println("Created " + bot + " (token " + researcher.agent().tokenPrefix() + "…, shown once)");

            // 2. Allowed and denied calls. Denials are values, never exceptions.
            show(out, "read mcp:github:repos:kavach", kavach.authorize(bot, "read", "mcp:github:repos:kavach"));
            show(out, "write mcp:github:repos:kavach", kavach.authorize(bot, "write", "mcp:github:repos:kavach"));
            for (int i = 1; i <= 4; i++) {
                show(out, "call api:search #" + i, kavach.authorize(bot, AuthorizeRequest.builder("call", "api:search")
                        .argument("q", "agent budgets").tokensCost(120).build()));
            }
            show(out, "by token: read mcp:github:issues", kavach.authorizeByToken(researcher.token(),
                    AuthorizeRequest.of("read", "mcp:github:issues")));

            // 3. Delegation: the researcher hands a narrower read permission to a summarizer for 30 minutes.
            String summarizer = kavach.agents().create(CreateAgentRequest.builder("alice", "summarizer").build()).agent().id();
            DelegationChain chain = kavach.delegate(DelegationRequest.from(bot).to(summarizer)
                    .permission("mcp:github:repos:*", "read").expiresIn("30m").build());
            out.println();
            out.println("Delegated mcp:github:repos:* [read] to " + summarizer + " through " + chain.id()
                    + " until " + chain.expiresAt());
            show(out, "summarizer: read mcp:github:repos:kavach", kavach.authorize(summarizer, "read", "mcp:github:repos:kavach"));
            show(out, "summarizer: read mcp:github:issues", kavach.authorize(summarizer, "read", "mcp:github:issues"));
            try {
                kavach.delegate(DelegationRequest.from(summarizer).to(bot).permission("**", "*").expiresIn("1h").build());
            } catch (DelegationRejectedException e) {
                out.println("  rejected: delegating ** [*] back: " + e.reason());
            }

            // 4. Revoking the researcher revokes the summarizer's chain too.
            kavach.agents().revoke(bot);
            out.println();
            out.println("Revoked " + bot);
            show(out, "read mcp:github:repos:kavach", kavach.authorize(bot, "read", "mcp:github:repos:kavach"));
            show(out, "summarizer: read mcp:github:repos:kavach", kavach.authorize(summarizer, "read", "mcp:github:repos:kavach"));

            // 5. The audit trail: one entry per decision and per change, newest first.
            out.println();
            out.println("Audit trail of " + bot + " (oldest first):");
            List<AuditEntry> trail = kavach.audit().query(AuditFilter.forAgent(bot));
            DateTimeFormatter time = DateTimeFormatter.ISO_INSTANT;
            for (int i = trail.size() - 1; i >= 0; i--) {
                AuditEntry e = trail.get(i);
                out.printf("  %s  %-20s %-26s %-8s %s%n", time.format(e.timestamp()), e.action(),
                        e.resource().length() > 26 ? e.resource().substring(0, 25) + "…" : e.resource(), e.result(), e.code());
            }
        }
    }

    private static void show(PrintStream out, String call, Decision decision) {
        out.printf("  %-42s -> %-8s %-18s %s%n", call, decision.allowed() ? "ALLOWED" : "DENIED",
                decision.allowed() ? "" : decision.code(), decision.reason());
    }
}
