package io.kavach.store.sqlite;

import io.kavach.AuthorizeRequest;
import io.kavach.Decision;
import io.kavach.Kavach;
import io.kavach.model.DecisionCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The budget load of {@link SqliteBudgetConcurrencyTest}: threads that authorize calls with a
 * random token cost, for random agents, as fast as they can. Also the main class of the second
 * JVM in the two-process test:
 *
 * <pre>
 * BudgetLoadMain &lt;db file&gt; &lt;fixed instant&gt; &lt;seed&gt; &lt;threads&gt; &lt;calls per thread&gt; &lt;agent id&gt;...
 * </pre>
 *
 * It opens the store, prints {@code READY}, waits for a line on stdin, runs the load, then prints one
 * {@code AGENT <id> <allowed tokens> <allowed calls>} line per agent, a {@code CODES} line, and on
 * the last line {@code ALLOWED_TOKENS <sum>}. A call that throws is printed as {@code ERROR} and
 * makes the exit status 1.
 */
public final class BudgetLoadMain {
    /** The permission the agents hold and the request they make. */
    static final String ACTION = "execute";
    static final String RESOURCE = "llm:openai:gpt-4o";
    static final int MAX_COST = 5;

    private BudgetLoadMain() {
    }

    /** One decision, as far as the budget checks need it. */
    record Call(String agentId, long cost, DecisionCode code, String auditId, String usageId, List<String> policyIds) {
    }

    /** What one run of the load did. */
    record Load(List<Call> calls, List<Throwable> errors, long elapsedMillis) {
        long allowedTokens() {
            return calls.stream().filter(c -> c.code() == DecisionCode.ALLOWED).mapToLong(Call::cost).sum();
        }
    }

    /**
     * Runs {@code threads} threads of {@code callsPerThread} calls each on {@code kavach}. Thread
     * {@code t} draws agents and costs (1 to {@link #MAX_COST}) from {@code new Random(seed + t)}.
     * Waits at most 5 minutes.
     */
    static Load run(Kavach kavach, List<String> agentIds, int threads, int callsPerThread, long seed)
            throws InterruptedException {
        ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Random random = new Random(seed + t);
            Thread worker = new Thread(() -> {
                try {
                    ready.countDown();
                    go.await();
                    for (int i = 0; i < callsPerThread; i++) {
                        String agentId = agentIds.get(random.nextInt(agentIds.size()));
                        long cost = 1 + random.nextInt(MAX_COST);
                        try {
                            Decision d = kavach.authorize(agentId,
                                    AuthorizeRequest.builder(ACTION, RESOURCE).tokensCost(cost).build());
                            calls.add(new Call(agentId, cost, d.code(), d.auditId(), d.usageId(), d.triggeredPolicyIds()));
                        } catch (RuntimeException | Error e) {
                            errors.add(e);
                        }
                    }
                } catch (InterruptedException e) {
                    errors.add(e);
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }, "budget-load-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        if (!done.await(5, TimeUnit.MINUTES)) {
            workers.forEach(Thread::interrupt);
            errors.add(new AssertionError("the load did not finish within 5 minutes"));
        }
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return new Load(List.copyOf(calls), Collections.unmodifiableList(new ArrayList<>(errors)), elapsed);
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 6) {
            System.err.println("usage: BudgetLoadMain <db file> <instant> <seed> <threads> <calls per thread> <agent id>...");
            System.exit(2);
        }
        Path db = Path.of(args[0]);
        Clock clock = Clock.fixed(Instant.parse(args[1]), ZoneOffset.UTC);
        long seed = Long.parseLong(args[2]);
        int threads = Integer.parseInt(args[3]);
        int callsPerThread = Integer.parseInt(args[4]);
        List<String> agentIds = List.copyOf(Arrays.asList(args).subList(5, args.length));
        PrintStream out = System.out;
        Load load;
        try (Kavach kavach = Kavach.builder().store(SqliteStore.open(db)).clock(clock).build()) {
            out.println("READY");
            out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            load = run(kavach, agentIds, threads, callsPerThread, seed);
        }
        Map<String, long[]> perAgent = new TreeMap<>();
        agentIds.forEach(id -> perAgent.put(id, new long[2]));
        Map<DecisionCode, Integer> codes = new TreeMap<>();
        for (Call call : load.calls()) {
            codes.merge(call.code(), 1, Integer::sum);
            if (call.code() == DecisionCode.ALLOWED) {
                long[] sums = perAgent.get(call.agentId());
                sums[0] += call.cost();
                sums[1]++;
            }
        }
        for (Throwable error : load.errors()) {
            out.println("ERROR " + error.toString().replace('\n', ' '));
        }
        perAgent.forEach((id, sums) -> out.println("AGENT " + id + " " + sums[0] + " " + sums[1]));
        out.println("CODES " + codes + " calls=" + load.calls().size() + " elapsedMs=" + load.elapsedMillis());
        out.println("ALLOWED_TOKENS " + load.allowedTokens());
        out.flush();
        System.exit(load.errors().isEmpty() ? 0 : 1);
    }
}
