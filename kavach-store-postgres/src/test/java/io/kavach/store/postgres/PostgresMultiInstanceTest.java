package io.kavach.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.kavach.AuthorizeRequest;
import io.kavach.Decision;
import io.kavach.Kavach;
import io.kavach.agent.CreateAgentRequest;
import io.kavach.cost.RecordCostRequest;
import io.kavach.model.BudgetPolicy;
import io.kavach.model.DecisionCode;
import io.kavach.model.Microdollars;
import io.kavach.model.PolicyAction;
import io.kavach.policy.CreatePolicyRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many instances, one truth: 4 Kavach instances, each with its own {@link PostgresStore} (its own
 * pool), on one database, 16 threads each. Budget limits, dollar limits, revocations and policy
 * changes hold across the instances exactly as within one, because every write unit of every
 * instance holds the database's write lock (a transaction-scoped advisory lock) and every authorize
 * reads the agent, its policies and their counters from the database inside its own write unit.
 */
class PostgresMultiInstanceTest {
    private static final int INSTANCES = 4;
    private static final int THREADS = 16;
    private static final int CALLS_PER_THREAD = Integer.getInteger("kavach.multiInstance.calls", 60);
    private static final int MAX_COST = 5;
    private static final String ACTION = "execute";
    private static final String RESOURCE = "llm:openai:gpt-4o";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-10T12:00:00Z"), ZoneOffset.UTC);

    private final List<Kavach> instances = new ArrayList<>();

    @BeforeEach
    void openInstances() {
        PgServer server = PgServer.get();
        String url = server.freshSchema();
        for (int i = 0; i < INSTANCES; i++) {
            PostgresStore store = PostgresStore.builder(url, server.user(), server.password()).poolSize(THREADS).build();
            instances.add(Kavach.builder().store(store).clock(CLOCK).build());
        }
    }

    @AfterEach
    void closeInstances() {
        instances.forEach(Kavach::close);
    }

    private record Limit(String label, String policyId, Set<String> agents, long max) {
    }

    @Test
    void tokenBudgetsAcrossFourInstancesAreExactAndNeverOvershoot() throws Exception {
        Kavach admin = instances.get(0);
        Map<String, String> ids = new LinkedHashMap<>();
        for (String owner : List.of("alice", "bob")) {
            for (int i = 0; i < 4; i++) {
                String name = owner.charAt(0) + Integer.toString(i);
                CreateAgentRequest.Builder request = CreateAgentRequest.builder(owner, name).permission("llm:**", ACTION);
                if (Set.of("a2", "a3", "b0", "b1", "b2").contains(name)) {
                    request.tenant("acme");
                }
                ids.put(name, admin.agents().create(request.build()).agent().id());
            }
        }
        List<String> agents = List.copyOf(ids.values());
        int totalCalls = INSTANCES * THREADS * CALLS_PER_THREAD;
        long demand = totalCalls / 8L * 3; // expected token demand per agent
        List<Limit> limits = List.of(
                block(admin, "agent a0", CreatePolicyRequest.forAgent(ids.get("a0")), Set.of(ids.get("a0")), demand / 6),
                block(admin, "user alice", CreatePolicyRequest.forUser("alice"),
                        Set.of(ids.get("a0"), ids.get("a1"), ids.get("a2"), ids.get("a3")), demand / 6 + demand),
                block(admin, "pool {a1,b1,b3}", CreatePolicyRequest.forPool("shared",
                        List.of(ids.get("a1"), ids.get("b1"), ids.get("b3"))),
                        Set.of(ids.get("a1"), ids.get("b1"), ids.get("b3")), demand / 3 + demand),
                block(admin, "tenant acme", CreatePolicyRequest.forTenant("acme"),
                        Set.of(ids.get("a2"), ids.get("a3"), ids.get("b0"), ids.get("b1"), ids.get("b2")),
                        2 * demand + demand / 2));

        Map<String, AtomicLong> allowedTokens = new ConcurrentHashMap<>();
        Map<String, AtomicLong> allowedCalls = new ConcurrentHashMap<>();
        Map<DecisionCode, AtomicLong> codes = new ConcurrentHashMap<>();
        long elapsed = run((instance, thread) -> {
            Random random = new Random(1000L * instance + thread);
            Kavach kavach = instances.get(instance);
            for (int n = 0; n < CALLS_PER_THREAD; n++) {
                String agentId = agents.get(random.nextInt(agents.size()));
                long cost = 1 + random.nextInt(MAX_COST);
                Decision d = kavach.authorize(agentId, AuthorizeRequest.builder(ACTION, RESOURCE).tokensCost(cost).build());
                codes.computeIfAbsent(d.code(), c -> new AtomicLong()).incrementAndGet();
                if (d.code() == DecisionCode.ALLOWED) {
                    allowedTokens.computeIfAbsent(agentId, a -> new AtomicLong()).addAndGet(cost);
                    allowedCalls.computeIfAbsent(agentId, a -> new AtomicLong()).incrementAndGet();
                }
            }
        });

        assertThat(codes.keySet()).containsOnly(DecisionCode.ALLOWED, DecisionCode.BUDGET_EXCEEDED);
        assertThat(codes.values().stream().mapToLong(AtomicLong::get).sum()).isEqualTo(totalCalls);
        StringBuilder figures = new StringBuilder();
        for (Limit limit : limits) {
            long tokens = limit.agents().stream().mapToLong(a -> allowedTokens.getOrDefault(a, new AtomicLong()).get()).sum();
            long calls = limit.agents().stream().mapToLong(a -> allowedCalls.getOrDefault(a, new AtomicLong()).get()).sum();
            for (Kavach kavach : instances) {
                var counters = kavach.policy().counters(limit.policyId());
                assertThat(counters.day().tokensCost()).as("%s tokens", limit.label()).isEqualTo(tokens);
                assertThat(counters.day().calls()).as("%s calls", limit.label()).isEqualTo(calls);
            }
            assertThat(tokens).as("%s within its limit", limit.label()).isLessThanOrEqualTo(limit.max());
            // Demand exceeds every limit: each one was filled to within one call's cost.
            assertThat(tokens).as("%s filled", limit.label()).isGreaterThan(limit.max() - MAX_COST);
            figures.append(String.format("%n  %-16s limit %6d, counter %6d tokens in %5d calls", limit.label(),
                    limit.max(), tokens, calls));
        }
        for (Kavach kavach : instances) {
            assertThat(kavach.audit().verify().ok()).isTrue();
        }
        System.out.printf("multi-instance budgets: %d instances x %d threads x %d calls = %d authorize in %d ms;"
                        + " codes %s%s%n", INSTANCES, THREADS, CALLS_PER_THREAD, totalCalls, elapsed, codes, figures);
    }

    @Test
    void concurrentCostRecordsAcrossFourInstancesAreExactAndTheDollarLimitBlocksEverywhere() throws Exception {
        Kavach admin = instances.get(0);
        List<String> agents = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            agents.add(admin.agents().create(CreateAgentRequest.builder("carol", "c" + i).permission("llm:**", ACTION)
                    .build()).agent().id());
        }
        long limit = 1_000_000; // $1.00 a day for carol
        BudgetPolicy cap = admin.policy().create(CreatePolicyRequest.forUser("carol").maxCostPerDay(limit)
                .action(PolicyAction.BLOCK).build());
        int records = 20;
        long each = 1_001;
        long elapsed = run((instance, thread) -> {
            Kavach kavach = instances.get(instance);
            for (int n = 0; n < records; n++) {
                kavach.costs().recordCost(RecordCostRequest.builder(agents.get((thread + n) % agents.size()), "tool-" + (n % 3))
                        .cost(Microdollars.of(each)).tokens(10, 20).build());
            }
        });
        long expected = (long) INSTANCES * THREADS * records * each;
        assertThat(expected).isGreaterThan(limit);
        for (Kavach kavach : instances) {
            assertThat(kavach.policy().counters(cap.id()).day().costMicros()).isEqualTo(expected);
            assertThat(kavach.costs().getOwnerCost("carol").total().micros()).isEqualTo(expected);
            assertThat(kavach.costs().getOwnerCost("carol").calls()).isEqualTo((long) INSTANCES * THREADS * records);
            for (String agent : agents) {
                assertThat(kavach.authorize(agent, ACTION, RESOURCE).code()).isEqualTo(DecisionCode.BUDGET_EXCEEDED);
            }
            assertThat(kavach.audit().verify().ok()).isTrue();
        }
        System.out.printf("multi-instance costs: %d records of %d micros in %d ms; counter %d micros (limit %d)%n",
                INSTANCES * THREADS * records, each, elapsed, expected, limit);
    }

    @Test
    void revocationsAndPolicyChangesThroughOneInstanceAreObeyedByTheOthers() throws Exception {
        Kavach admin = instances.get(0);
        List<String> agents = new ArrayList<>();
        for (int i = 0; i < INSTANCES * THREADS; i++) {
            agents.add(admin.agents().create(CreateAgentRequest.builder("dave", "d" + i).permission("llm:**", ACTION)
                    .build()).agent().id());
        }
        for (Kavach kavach : instances) {
            assertThat(kavach.authorize(agents.get(0), ACTION, RESOURCE).code()).isEqualTo(DecisionCode.ALLOWED);
        }
        // Each thread revokes its own agent through its instance, while authorizing the others'.
        long elapsed = run((instance, thread) -> {
            Kavach kavach = instances.get(instance);
            int mine = instance * THREADS + thread;
            for (int n = 0; n < 10; n++) {
                String other = agents.get((mine + 1 + n) % agents.size());
                assertThat(kavach.authorize(other, ACTION, RESOURCE).code())
                        .isIn(DecisionCode.ALLOWED, DecisionCode.AGENT_REVOKED);
            }
            kavach.agents().revoke(agents.get(mine));
        });
        for (Kavach kavach : instances) {
            for (String agent : agents) {
                assertThat(kavach.authorize(agent, ACTION, RESOURCE).code()).isEqualTo(DecisionCode.AGENT_REVOKED);
            }
        }
        // A policy created through one instance binds the next authorize on every other.
        String erin = admin.agents().create(CreateAgentRequest.builder("erin", "e").permission("llm:**", ACTION).build())
                .agent().id();
        assertThat(instances.get(2).authorize(erin, AuthorizeRequest.builder(ACTION, RESOURCE).tokensCost(5).build()).code())
                .isEqualTo(DecisionCode.ALLOWED);
        BudgetPolicy cap = instances.get(1).policy().create(CreatePolicyRequest.forUser("erin").maxTokensCostPerDay(4)
                .action(PolicyAction.BLOCK).build());
        for (int i = 0; i < INSTANCES; i++) {
            if (i != 1) {
                assertThat(instances.get(i).authorize(erin, AuthorizeRequest.builder(ACTION, RESOURCE).tokensCost(5).build())
                        .code()).as("instance %d after the policy was created through instance 1", i)
                        .isEqualTo(DecisionCode.BUDGET_EXCEEDED);
            }
        }
        // And removing it through instance 3 lifts it on the others.
        instances.get(3).policy().remove(cap.id());
        for (int i = 0; i < 3; i++) {
            assertThat(instances.get(i).authorize(erin, AuthorizeRequest.builder(ACTION, RESOURCE).tokensCost(5).build())
                    .code()).as("instance %d after the policy was removed through instance 3", i)
                    .isEqualTo(DecisionCode.ALLOWED);
        }
        for (Kavach kavach : instances) {
            assertThat(kavach.audit().verify().ok()).isTrue();
        }
        System.out.printf("multi-instance revocations: %d agents revoked concurrently through %d instances in %d ms%n",
                agents.size(), INSTANCES, elapsed);
    }

    private static Limit block(Kavach kavach, String label, CreatePolicyRequest.Builder request, Set<String> agents, long max) {
        BudgetPolicy policy = kavach.policy().create(request.maxTokensCostPerDay(max).action(PolicyAction.BLOCK).build());
        return new Limit(label, policy.id(), agents, max);
    }

    /** What one thread of one instance does. */
    private interface Work {
        void run(int instance, int thread) throws Exception;
    }

    /** Runs {@code work} on THREADS threads per instance, all started together; returns the milliseconds. */
    private static long run(Work work) throws InterruptedException {
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(INSTANCES * THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            for (int t = 0; t < THREADS; t++) {
                int instance = i;
                int thread = t;
                Thread worker = new Thread(() -> {
                    try {
                        go.await();
                        work.run(instance, thread);
                    } catch (Throwable e) {
                        errors.add(e);
                    } finally {
                        done.countDown();
                    }
                }, "instance-" + i + "-thread-" + t);
                worker.setDaemon(true);
                threads.add(worker);
                worker.start();
            }
        }
        long start = System.nanoTime();
        go.countDown();
        boolean finished = done.await(5, TimeUnit.MINUTES);
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (!finished) {
            threads.forEach(Thread::interrupt);
        }
        assertThat(finished).as("the load finished within 5 minutes").isTrue();
        if (!errors.isEmpty()) {
            StringWriter trace = new StringWriter();
            errors.peek().printStackTrace(new PrintWriter(trace));
            throw new AssertionError(errors.size() + " threads failed; the first:\n" + trace);
        }
        return elapsed;
    }
}
