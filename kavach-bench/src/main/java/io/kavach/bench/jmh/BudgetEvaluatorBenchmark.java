package io.kavach.bench.jmh;

import io.kavach.model.BudgetLimits;
import io.kavach.model.BudgetPolicy;
import io.kavach.model.PolicyAction;
import io.kavach.model.PolicyScope;
import io.kavach.model.PolicyStatus;
import io.kavach.model.PolicyUsage;
import io.kavach.policy.BudgetEvaluator;
import io.kavach.policy.BudgetEvaluator.Evaluation;
import io.kavach.policy.BudgetEvaluator.PolicyState;
import io.kavach.policy.BudgetPeriods;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** A call evaluated against three stacked policies (agent, user, global), allowed and denied. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BudgetEvaluatorBenchmark {
    static final Instant NOW = Instant.parse("2026-03-31T12:00:00Z");

    // Not final, so the JIT cannot fold them into constants.
    private BudgetEvaluator evaluator = new BudgetEvaluator(new BudgetPeriods(ZoneOffset.UTC));
    private List<PolicyState> states = stackedPolicies("agt_bench", "user-bench");
    private Instant now = NOW;

    /** Three active policies that stay far from their limits, as the load harness uses them. */
    public static List<PolicyState> stackedPolicies(String agentId, String userId) {
        return List.of(agentPolicy("pol_agent", agentId), userPolicy("pol_user", userId), globalPolicy("pol_global"));
    }

    /** The agent's own policy of a stack: blocks, on day limits. */
    public static PolicyState agentPolicy(String id, String agentId) {
        return state(id, PolicyScope.agent(agentId), PolicyAction.BLOCK,
                BudgetLimits.builder().maxTokensCostPerDay(1_000_000_000_000L).maxCallsPerDay(1_000_000_000L).build());
    }

    /** The owner's policy of a stack: throttles, on a month limit. */
    public static PolicyState userPolicy(String id, String userId) {
        return state(id, PolicyScope.user(userId), PolicyAction.THROTTLE,
                BudgetLimits.builder().maxTokensCostPerMonth(1_000_000_000_000L).build());
    }

    /** The global policy of a stack: warns, on a month limit. */
    public static PolicyState globalPolicy(String id) {
        return state(id, PolicyScope.global(), PolicyAction.WARN,
                BudgetLimits.builder().maxCallsPerMonth(1_000_000_000_000L).build());
    }

    /** An active policy of {@code scope}, far from its limits like the stacked ones. */
    public static PolicyState state(String id, PolicyScope scope, PolicyAction action, BudgetLimits limits) {
        BudgetPolicy policy = new BudgetPolicy(id, scope, limits, action, PolicyStatus.ACTIVE, null, NOW, NOW);
        return new PolicyState(policy, new PolicyUsage(12_345, 678, 0), new PolicyUsage(123_456, 6_789, 0));
    }

    @Benchmark
    public Evaluation evaluateAllowed() {
        return evaluator.evaluate(states, 100, 1, 0, now);
    }

    @Benchmark
    public Evaluation evaluateDenied() {
        return evaluator.evaluate(states, 2_000_000_000_000L, 1, 0, now);
    }
}
