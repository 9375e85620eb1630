package io.kavach.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.kavach.Kavach;
import io.kavach.KavachListener;
import io.kavach.agent.CreateAgentRequest;
import io.kavach.model.BudgetPolicy;
import io.kavach.model.DecisionCode;
import io.kavach.model.PolicyAction;
import io.kavach.model.PolicyStatus;
import io.kavach.model.PolicyUsage;
import io.kavach.policy.CreatePolicyRequest;
import io.kavach.policy.PolicyCounters;
import io.kavach.policy.PolicyTriggered;
import io.kavach.store.sqlite.BudgetLoadMain.Call;
import io.kavach.store.sqlite.BudgetLoadMain.Load;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stacked block policies (agent, user, tenant and shared pool) under heavy concurrent authorize
 * traffic on a real SQLite file: in one instance, in two instances of one JVM, and in two JVMs.
 *
 * <p>Besides the totals (each policy's stored counters equal the allowed spend of its agents and
 * stay within its limit), every run is replayed: the decisions' audit entries, in the order SQLite
 * committed them (their rowid: writes to the file are serialized, and the audit log is append-only),
 * are fed to a sequential model of the block semantics, which must reproduce every decision, every
 * policy id named, and every policy.triggered event. So no call was allowed that did not fit, and
 * none was denied that fitted every applicable policy.
 *
 * <p>Demand is designed to exceed every limit, staggered so that each one binds: a0's agent policy
 * first, then alice's user policy, then the pool, then the tenant.
 */
class SqliteBudgetConcurrencyTest {
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final long SEED = 20260310L;
    /**
     * Calls per thread: 32 threads x 1000 in one instance, and 2 x 16 threads x 500 split over two
     * instances or two JVMs (64,000 decisions in all, about 90 seconds on two cores: an authorize
     * costs about 1.5 ms of CPU on the SQLite store and the writes are serialized).
     * {@code -Dkavach.budgetLoad.calls=300} runs a quicker 32 x 300 for local iteration.
     */
    private static final int ONE_CALLS = Integer.getInteger("kavach.budgetLoad.calls", 1000);
    private static final int SPLIT_CALLS = ONE_CALLS / 2;
    private static final Pattern POLICY_ID = Pattern.compile("pol_[0-9A-Z]{26}");

    @TempDir
    Path dir;

    /** A policy of the scenario: its id, what it is, the agents it applies to and its daily token limit. */
    record Limit(String id, String label, Set<String> agents, long max) {
    }

    /** The agents and policies of one run. */
    record Scenario(List<String> agents, List<Limit> policies) {
    }

    /** Allowed spend per agent: tokens and calls. */
    private static final class Spend {
        final Map<String, long[]> byAgent = new HashMap<>();

        void add(String agentId, long tokens, long calls) {
            long[] sums = byAgent.computeIfAbsent(agentId, id -> new long[2]);
            sums[0] += tokens;
            sums[1] += calls;
        }

        long[] over(Set<String> agents) {
            long[] total = new long[2];
            for (String agent : agents) {
                long[] sums = byAgent.getOrDefault(agent, new long[2]);
                total[0] += sums[0];
                total[1] += sums[1];
            }
            return total;
        }
    }

    /** In both durability modes: group commit and the decision cache work the same in each. */
    @ParameterizedTest
    @EnumSource(SqliteStore.Synchronous.class)
    void oneInstanceWith32ThreadsNeverOvershootsAndCountsEveryAllowedCall(SqliteStore.Synchronous synchronous)
            throws Exception {
        Path db = dir.resolve("one-" + synchronous + ".db");
        Collection<PolicyTriggered> events = new ConcurrentLinkedQueue<>();
        try (Kavach kavach = open(SqliteStore.builder(db).synchronous(synchronous).build(), events)) {
            Scenario scenario = setUp(kavach, 32 * ONE_CALLS);
            Load load = BudgetLoadMain.run(kavach, scenario.agents(), 32, ONE_CALLS, SEED);
            verify("one instance, synchronous=" + synchronous + ", 32 threads x " + ONE_CALLS, kavach, db, scenario,
                    List.of(load), new Spend(), 32 * ONE_CALLS, events, true, load.elapsedMillis());
        }
    }

    @Test
    void twoInstancesOnOneFileShareTheCountersExactly() throws Exception {
        Path db = dir.resolve("two.db");
        Collection<PolicyTriggered> events = new ConcurrentLinkedQueue<>();
        try (Kavach first = open(db, events); Kavach second = open(db, events)) {
            Scenario scenario = setUp(first, 2 * 16 * SPLIT_CALLS);
            long start = System.nanoTime();
            Future<Load> one = async(() -> BudgetLoadMain.run(first, scenario.agents(), 16, SPLIT_CALLS, SEED));
            Future<Load> two = async(() -> BudgetLoadMain.run(second, scenario.agents(), 16, SPLIT_CALLS, SEED + 1000));
            List<Load> loads = List.of(one.get(5, TimeUnit.MINUTES), two.get(5, TimeUnit.MINUTES));
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            verify("two instances, 2 x 16 threads x " + SPLIT_CALLS, second, db, scenario, loads, new Spend(),
                    2 * 16 * SPLIT_CALLS, events, true, elapsed);
        }
    }

    @Test
    void twoProcessesOnOneFileShareTheCountersExactly() throws Exception {
        Path db = dir.resolve("processes.db");
        Collection<PolicyTriggered> events = new ConcurrentLinkedQueue<>();
        try (Kavach kavach = open(db, events)) {
            Scenario scenario = setUp(kavach, 2 * 16 * SPLIT_CALLS);
            List<String> args = new ArrayList<>(List.of(db.toString(), NOW.toString(), Long.toString(SEED + 2000), "16",
                    Integer.toString(SPLIT_CALLS)));
            args.addAll(scenario.agents());
            List<String> command = ForkedJvm.command(BudgetLoadMain.class, List.of("-Xmx256m", "-Duser.timezone=UTC"), args);
            Path childErr = dir.resolve("child-stderr.txt");
            Process child = new ProcessBuilder(command).redirectError(childErr.toFile()).start();
            List<String> childOut = new ArrayList<>();
            Load load;
            long elapsed;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                 Writer stdin = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
                String first = reader.readLine();
                if (!"READY".equals(first)) {
                    child.destroyForcibly();
                    fail("the second JVM did not start: first line " + first + ", stderr:\n" + Files.readString(childErr));
                }
                Future<List<String>> rest = async(() -> reader.lines().toList());
                long start = System.nanoTime();
                stdin.write("GO\n");
                stdin.flush();
                load = BudgetLoadMain.run(kavach, scenario.agents(), 16, SPLIT_CALLS, SEED);
                childOut.addAll(rest.get(5, TimeUnit.MINUTES));
                assertThat(child.waitFor(1, TimeUnit.MINUTES)).as("second JVM exits").isTrue();
                elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            } finally {
                if (child.isAlive()) {
                    child.destroyForcibly();
                }
            }
            String childReport = String.join("\n", childOut) + "\nstderr:\n" + Files.readString(childErr);
            assertThat(child.exitValue()).as("second JVM's exit status; its output:\n%s", childReport).isZero();
            assertThat(childOut).as("second JVM's output").isNotEmpty();
            Spend external = new Spend();
            long childAllowed = 0;
            for (String line : childOut) {
                String[] parts = line.split(" ");
                if (parts[0].equals("AGENT")) {
                    external.add(parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3]));
                    childAllowed += Long.parseLong(parts[2]);
                }
            }
            String last = childOut.get(childOut.size() - 1);
            assertThat(last).as("second JVM's last line").isEqualTo("ALLOWED_TOKENS " + childAllowed);
            System.out.println("budget-load [two JVMs] second JVM: " + childOut.get(childOut.size() - 2) + ", allowed tokens "
                    + childAllowed + "; this JVM: allowed tokens " + load.allowedTokens() + " in " + load.elapsedMillis() + " ms");
            verify("two JVMs, 2 x 16 threads x " + SPLIT_CALLS, kavach, db, scenario, List.of(load), external,
                    2 * 16 * SPLIT_CALLS, events, false, elapsed);
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static Kavach open(Path db, Collection<PolicyTriggered> events) {
        return open(SqliteStore.open(db), events);
    }

    private static Kavach open(SqliteStore store, Collection<PolicyTriggered> events) {
        return Kavach.builder().store(store).clock(CLOCK).listener(new KavachListener() {
            @Override
            public void onPolicyTriggered(PolicyTriggered event) {
                events.add(event);
            }
        }).build();
    }

    /** Runs {@code task} on a thread of its own. */
    private static <T> Future<T> async(Callable<T> task) {
        FutureTask<T> future = new FutureTask<>(task);
        Thread thread = new Thread(future, "budget-load-driver");
        thread.setDaemon(true);
        thread.start();
        return future;
    }

    /**
     * Eight agents: alice's a0 to a3, bob's b0 to b3; a2, a3, b0, b1 and b2 are in tenant acme. With
     * D the expected token demand per agent (calls / 8 x 3) and s1 < s2 < s3 < s4 fractions of it,
     * the limits are set so that, spending evenly, a0's policy binds at s1, alice's at s2 (a0 stopped
     * at s1), the pool {a1, b1, b3} at s3 (a1 stopped at s2) and the tenant at s4 (a2, a3 stopped at
     * s2, b1 at s3), all well before the demand runs out.
     */
    private static Scenario setUp(Kavach kavach, int totalCalls) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String owner : List.of("alice", "bob")) {
            for (int i = 0; i < 4; i++) {
                String name = owner.charAt(0) + Integer.toString(i);
                CreateAgentRequest.Builder request = CreateAgentRequest.builder(owner, name)
                        .permission("llm:**", BudgetLoadMain.ACTION);
                if (Set.of("a2", "a3", "b0", "b1", "b2").contains(name)) {
                    request.tenant("acme");
                }
                ids.put(name, kavach.agents().create(request.build()).agent().id());
            }
        }
        long demand = totalCalls / 8L * 3;
        long s1 = demand / 6;
        long s2 = demand / 3;
        long s3 = demand / 2;
        long s4 = demand * 3 / 4;
        List<Limit> policies = new ArrayList<>();
        policies.add(block(kavach, "agent a0", CreatePolicyRequest.forAgent(ids.get("a0")), agents(ids, "a0"), s1));
        policies.add(block(kavach, "user alice", CreatePolicyRequest.forUser("alice"),
                agents(ids, "a0", "a1", "a2", "a3"), s1 + 3 * s2));
        List<String> pool = List.of(ids.get("a1"), ids.get("b1"), ids.get("b3"));
        policies.add(block(kavach, "pool {a1,b1,b3}", CreatePolicyRequest.forPool("shared", pool), agents(ids, "a1", "b1", "b3"),
                s2 + 2 * s3));
        policies.add(block(kavach, "tenant acme", CreatePolicyRequest.forTenant("acme"),
                agents(ids, "a2", "a3", "b0", "b1", "b2"), 2 * s2 + s3 + 2 * s4));
        return new Scenario(List.copyOf(ids.values()), List.copyOf(policies));
    }

    private static Set<String> agents(Map<String, String> ids, String... names) {
        Set<String> set = new TreeSet<>();
        for (String name : names) {
            set.add(ids.get(name));
        }
        return set;
    }

    private static Limit block(Kavach kavach, String label, CreatePolicyRequest.Builder request, Set<String> agents, long max) {
        BudgetPolicy policy = kavach.policy().create(request.maxTokensCostPerDay(max).action(PolicyAction.BLOCK).build());
        return new Limit(policy.id(), label, agents, max);
    }

    private static void verify(String run, Kavach kavach, Path db, Scenario scenario, List<Load> loads, Spend external,
                               int totalCalls, Collection<PolicyTriggered> events, boolean allEventsSeen, long elapsedMillis)
            throws SQLException {
        // 1. No exception leaked; every call was answered ALLOWED or BUDGET_EXCEEDED, consistently.
        Spend allowed = new Spend();
        external.byAgent.forEach((agent, sums) -> allowed.add(agent, sums[0], sums[1]));
        Map<String, Call> byAuditId = new HashMap<>();
        int denied = 0;
        int localCalls = 0;
        for (Load load : loads) {
            if (!load.errors().isEmpty()) {
                StringWriter trace = new StringWriter();
                load.errors().get(0).printStackTrace(new PrintWriter(trace));
                fail(load.errors().size() + " calls threw; the first:\n" + trace);
            }
            localCalls += load.calls().size();
            for (Call call : load.calls()) {
                assertThat(call.code()).as("code of %s", call).isIn(DecisionCode.ALLOWED, DecisionCode.BUDGET_EXCEEDED);
                if (call.code() == DecisionCode.ALLOWED) {
                    assertThat(call.usageId()).as("usage id of %s", call).isEqualTo(call.auditId());
                    assertThat(call.policyIds()).as("policies of %s", call).isEmpty();
                    allowed.add(call.agentId(), call.cost(), 1);
                } else {
                    assertThat(call.usageId()).as("usage id of %s", call).isNull();
                    assertThat(call.policyIds()).as("policies of %s", call).isNotEmpty();
                    denied++;
                }
                byAuditId.put(call.auditId(), call);
            }
        }

        // 2. Each policy's counters: exactly the allowed spend of its agents, within the limit, and
        //    saturated: the policy triggered because a call did not fit the headroom left.
        Map<String, List<PolicyTriggered>> eventsByPolicy = new HashMap<>();
        for (PolicyTriggered event : events) {
            eventsByPolicy.computeIfAbsent(event.policy().id(), id -> new ArrayList<>()).add(event);
        }
        for (Limit limit : scenario.policies()) {
            PolicyCounters counters = kavach.policy().counters(limit.id());
            long[] expected = allowed.over(limit.agents());
            System.out.printf("budget-load [%s] policy %-16s threads/calls %s, allowed calls %d, limit %d, counters"
                            + " day tokens=%d calls=%d, month tokens=%d calls=%d, status %s, elapsed %d ms%n",
                    run, limit.label(), run.substring(run.indexOf(',') + 2), expected[1], limit.max(),
                    counters.day().tokensCost(), counters.day().calls(), counters.month().tokensCost(),
                    counters.month().calls(), kavach.policy().get(limit.id()).status(), elapsedMillis);
            assertThat(counters.day()).as("%s: day counters of %s", run, limit.label())
                    .isEqualTo(new PolicyUsage(expected[0], expected[1], 0));
            assertThat(counters.month()).as("%s: month counters of %s", run, limit.label()).isEqualTo(counters.day());
            assertThat(counters.day().tokensCost()).as("%s: %s within its limit", run, limit.label()).isLessThanOrEqualTo(limit.max());
            assertThat(kavach.policy().get(limit.id()).status()).as("%s: %s bound", run, limit.label())
                    .isEqualTo(PolicyStatus.TRIGGERED);
            assertThat(limit.max() - counters.day().tokensCost()).as("%s: headroom left by %s", run, limit.label())
                    .isLessThan(BudgetLoadMain.MAX_COST);
            List<PolicyTriggered> triggered = eventsByPolicy.getOrDefault(limit.id(), List.of());
            assertThat(triggered.size()).as("%s: onPolicyTriggered events of %s", run, limit.label())
                    .isLessThanOrEqualTo(1);
            if (allEventsSeen) {
                assertThat(triggered).as("%s: onPolicyTriggered events of %s", run, limit.label()).hasSize(1);
            }
            for (PolicyTriggered event : triggered) {
                assertThat(event.violation().limit()).isEqualTo("maxTokensCostPerDay");
                assertThat(event.violation().usage()).as("%s: usage when %s triggered", run, limit.label())
                        .isEqualTo(counters.day().tokensCost());
                assertThat(event.violation().usage() + event.violation().requested()).isGreaterThan(limit.max());
                assertThat(event.policy().status()).isEqualTo(PolicyStatus.TRIGGERED);
            }
        }

        // 3. The replay: the audit log in commit order against the sequential model, which ends with
        //    the same counters.
        Map<String, Long> modelUsage = replay(db, scenario, byAuditId, totalCalls);
        for (Limit limit : scenario.policies()) {
            assertThat(kavach.policy().counters(limit.id()).day().tokensCost()).as("%s: model's usage of %s", run,
                    limit.label()).isEqualTo(modelUsage.get(limit.id()));
        }
        long allowedCalls = allowed.byAgent.values().stream().mapToLong(s -> s[1]).sum();
        long allowedTokens = allowed.byAgent.values().stream().mapToLong(s -> s[0]).sum();
        System.out.printf("budget-load [%s] total: %d calls (%d in this JVM), %d allowed (%d tokens), %d denied here,"
                + " %d ms%n", run, totalCalls, localCalls, allowedCalls, allowedTokens, denied, elapsedMillis);
    }

    /**
     * Replays the decisions in commit order through the model of block policies and checks each one
     * against it. Returns the model's final usage per policy.
     */
    private static Map<String, Long> replay(Path db, Scenario scenario, Map<String, Call> byAuditId, int totalCalls)
            throws SQLException {
        Map<String, Long> usage = new HashMap<>();
        Set<String> triggered = new LinkedHashSet<>();
        scenario.policies().forEach(p -> usage.put(p.id(), 0L));
        Set<String> pendingEvents = new TreeSet<>();
        List<String> mismatches = new ArrayList<>();
        int decisions = 0;
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, agent_id, action, resource, code, tokens_cost, policy_ids"
                     + " FROM audit_log WHERE action IN ('" + BudgetLoadMain.ACTION + "', 'policy.triggered') ORDER BY rowid")) {
            while (rows.next()) {
                String id = rows.getString("id");
                if (rows.getString("action").equals("policy.triggered")) {
                    pendingEvents.add(rows.getString("resource"));
                    continue;
                }
                decisions++;
                String agent = rows.getString("agent_id");
                long cost = rows.getLong("tokens_cost");
                DecisionCode code = DecisionCode.valueOf(rows.getString("code"));
                Set<String> named = new TreeSet<>();
                Matcher m = POLICY_ID.matcher(rows.getString("policy_ids"));
                while (m.find()) {
                    named.add(m.group());
                }

                Set<String> violated = new TreeSet<>();
                Set<String> newlyTriggered = new TreeSet<>();
                for (Limit p : scenario.policies()) {
                    if (!p.agents().contains(agent)) {
                        continue;
                    }
                    if (triggered.contains(p.id())) {
                        violated.add(p.id());
                    } else if (usage.get(p.id()) + cost > p.max()) {
                        violated.add(p.id());
                        newlyTriggered.add(p.id());
                    }
                }
                DecisionCode expected = violated.isEmpty() ? DecisionCode.ALLOWED : DecisionCode.BUDGET_EXCEEDED;
                if (expected == DecisionCode.ALLOWED) {
                    for (Limit p : scenario.policies()) {
                        if (p.agents().contains(agent)) {
                            usage.merge(p.id(), cost, Long::sum);
                        }
                    }
                } else {
                    triggered.addAll(newlyTriggered);
                }
                if (code != expected || !named.equals(violated) || !pendingEvents.equals(newlyTriggered)) {
                    mismatches.add("decision #" + decisions + " " + id + " agent " + agent + " cost " + cost + ": was " + code
                            + " naming " + named + " after events " + pendingEvents + "; model says " + expected
                            + " naming " + violated + " triggering " + newlyTriggered + " (usage " + usage + ")");
                }
                pendingEvents.clear();
                Call call = byAuditId.get(id);
                if (call != null && (call.code() != code || call.cost() != cost || !call.agentId().equals(agent))) {
                    mismatches.add("decision " + id + " returned " + call + " but was audited as " + code + " cost " + cost);
                }
            }
        }
        assertThat(mismatches.size()).as("decisions that the sequential model does not reproduce; the first: %s",
                mismatches.subList(0, Math.min(5, mismatches.size()))).isZero();
        assertThat(pendingEvents).as("policy.triggered events after the last decision").isEmpty();
        assertThat(decisions).as("audited decisions").isEqualTo(totalCalls);
        assertThat(triggered).as("policies the model saw trigger").hasSize(scenario.policies().size());
        return usage;
    }
}
