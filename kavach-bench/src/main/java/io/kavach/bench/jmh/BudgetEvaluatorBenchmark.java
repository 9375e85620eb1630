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
        return List.of(
                state("pol_agent", PolicyScope.agent(agentId), PolicyAction.BLOCK,
                        BudgetLimits.builder().maxTokensCostPerDay(1_000_000_000_000L).maxCallsPerDay(1_000_000_000L).build()),
                state("pol_user", PolicyScope.user(userId), PolicyAction.THROTTLE,
                        BudgetLimits.builder().maxTokensCostPerMonth(1_000_000_000_000L).build()),
                state("pol_global", PolicyScope.global(), PolicyAction.WARN,
                        BudgetLimits.builder().maxCallsPerMonth(1_000_000_000_000L).build()));
    }

    private static PolicyState state(String id, PolicyScope scope, PolicyAction action, BudgetLimits limits) {
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
