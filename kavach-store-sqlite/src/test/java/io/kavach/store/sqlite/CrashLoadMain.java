package io.kavach.store.sqlite;

import io.kavach.AuthorizeRequest;
import io.kavach.Decision;
import io.kavach.Kavach;
import io.kavach.agent.CreateAgentRequest;
import io.kavach.model.PolicyAction;
import io.kavach.policy.CreatePolicyRequest;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The JVM that {@link SqliteCrashSafetyTest} kills: a durable authorize load that never ends on
 * its own.
 *
 * <pre>
 * CrashLoadMain &lt;db file&gt; &lt;fixed instant&gt; &lt;threads&gt;
 * </pre>
 *
 * It opens the store in a new file, creates agents a0 and a1 (owned by {@value #ALICE}) and b0
 * (owned by {@value #BOB}) and three stacked block policies with a daily token limit no run
 * reaches (on a0, on alice, global), and prints
 * {@code READY agentPolicy=<id> userPolicy=<id> globalPolicy=<id> a0=<id> a1=<id> b0=<id>}. Then
 * {@code threads} threads authorize calls of 1 to {@link BudgetLoadMain#MAX_COST} tokens for random
 * agents, until the process dies. After each call returns, its thread prints
 * {@code <audit id> <agent id> <tokens> <allowed>} and flushes before its next call; a call that
 * throws prints {@code ERROR <exception>} and stops its thread.
 */
public final class CrashLoadMain {
    static final String ALICE = "alice";
    static final String BOB = "bob";
    /** Far above what a run can spend, so that every call is allowed and counted. */
    static final long UNREACHABLE_LIMIT = 1_000_000_000L;

    private CrashLoadMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: CrashLoadMain <db file> <instant> <threads>");
            System.exit(2);
        }
        Path db = Path.of(args[0]);
        Clock clock = Clock.fixed(Instant.parse(args[1]), ZoneOffset.UTC);
        int threads = Integer.parseInt(args[2]);
        PrintStream out = System.out;

        // Never closed: the process is meant to die with the store open and writes in flight.
        Kavach kavach = Kavach.builder().store(SqliteStore.open(db)).clock(clock).build();
        String a0 = agent(kavach, ALICE, "a0");
        String a1 = agent(kavach, ALICE, "a1");
        String b0 = agent(kavach, BOB, "b0");
        String agentPolicy = policy(kavach, CreatePolicyRequest.forAgent(a0));
        String userPolicy = policy(kavach, CreatePolicyRequest.forUser(ALICE));
        String globalPolicy = policy(kavach, CreatePolicyRequest.global());
        List<String> agents = List.of(a0, a1, b0);
        print(out, "READY agentPolicy=" + agentPolicy + " userPolicy=" + userPolicy + " globalPolicy=" + globalPolicy
                + " a0=" + a0 + " a1=" + a1 + " b0=" + b0);

        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (true) {
                    String agentId = agents.get(random.nextInt(agents.size()));
                    long tokens = 1 + random.nextInt(BudgetLoadMain.MAX_COST);
                    Decision decision;
                    try {
                        decision = kavach.authorize(agentId, AuthorizeRequest.builder(BudgetLoadMain.ACTION,
                                BudgetLoadMain.RESOURCE).tokensCost(tokens).build());
                    } catch (RuntimeException | Error e) {
                        print(out, "ERROR " + e.toString().replace('\n', ' '));
                        return;
                    }
                    print(out, decision.auditId() + " " + agentId + " " + tokens + " " + decision.allowed());
                }
            }, "crash-load-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
    }

    /**
     * One whole line per write, flushed while holding the lock: a line the parent reads was printed
     * after its decision returned, and only the line being written when the kill lands can be cut.
     */
    private static void print(PrintStream out, String line) {
        synchronized (out) {
            out.print(line + "\n");
            out.flush();
        }
    }

    private static String agent(Kavach kavach, String owner, String name) {
        return kavach.agents().create(CreateAgentRequest.builder(owner, name)
                .permission("llm:**", BudgetLoadMain.ACTION).build()).agent().id();
    }

    private static String policy(Kavach kavach, CreatePolicyRequest.Builder request) {
        return kavach.policy().create(request.maxTokensCostPerDay(UNREACHABLE_LIMIT).action(PolicyAction.BLOCK).build()).id();
    }
}
