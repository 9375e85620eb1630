package io.kavach.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kavach.model.BudgetLimits;
import io.kavach.model.BudgetPolicy;
import io.kavach.model.PolicyAction;
import io.kavach.model.PolicyScope;
import io.kavach.model.PolicyStatus;
import io.kavach.model.PolicyUsage;
import io.kavach.policy.BudgetEvaluator.Evaluation;
import io.kavach.policy.BudgetEvaluator.PolicyState;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BudgetEvaluatorTest {
    private static final Instant NOW = Instant.parse("2026-03-10T10:00:00Z");
    private final BudgetEvaluator evaluator = new BudgetEvaluator(new BudgetPeriods(ZoneOffset.UTC));

    private static PolicyState state(String id, PolicyAction action, long dayTokensLimit, long usedToday) {
        BudgetPolicy policy = new BudgetPolicy(id, PolicyScope.global(),
                BudgetLimits.builder().maxTokensCostPerDay(dayTokensLimit).build(), action, PolicyStatus.ACTIVE, null, NOW, NOW);
        return new PolicyState(policy, new PolicyUsage(usedToday, 0, 0), PolicyUsage.ZERO);
    }

    @Test
    void aCallFitsWhileUsagePlusCostIsAtMostTheLimit() {
        assertThat(evaluator.evaluate(List.of(state("p", PolicyAction.BLOCK, 100, 60)), 40, 1, 0, NOW).decisive()).isNull();
        Evaluation over = evaluator.evaluate(List.of(state("p", PolicyAction.BLOCK, 100, 60)), 41, 1, 0, NOW);
        assertThat(over.denies()).isTrue();
        assertThat(over.violations()).singleElement().satisfies(v -> {
            assertThat(v.limit()).isEqualTo("maxTokensCostPerDay");
            assertThat(v.usage()).isEqualTo(60);
            assertThat(v.requested()).isEqualTo(41);
            assertThat(v.windowEnd()).isEqualTo(Instant.parse("2026-03-11T00:00:00Z"));
            assertThat(v.describe()).contains("60 + 41 would exceed 100");
        });
    }

    @Test
    void theMostSevereActionDecidesAndWarningsComeAlongside() {
        List<PolicyState> states = List.of(state("w", PolicyAction.WARN, 10, 0), state("t", PolicyAction.THROTTLE, 10, 0),
                state("r", PolicyAction.REVOKE, 10, 0), state("b", PolicyAction.BLOCK, 10, 0));
        Evaluation evaluation = evaluator.evaluate(states, 11, 1, 0, NOW);
        assertThat(evaluation.decisive()).isEqualTo(PolicyAction.REVOKE);
        assertThat(evaluation.violations()).extracting(BudgetViolation::policyId).containsExactly("r", "b", "t", "w");
        assertThat(evaluation.warnings()).extracting(BudgetViolation::policyId).containsExactly("w");
        assertThat(evaluation.retryAfter()).isNull();
    }

    @Test
    void onlyWarningsDoNotDeny() {
        Evaluation evaluation = evaluator.evaluate(List.of(state("w", PolicyAction.WARN, 10, 5)), 6, 1, 0, NOW);
        assertThat(evaluation.denies()).isFalse();
        assertThat(evaluation.warnings()).hasSize(1);
    }

    @Test
    void aThrottleRetriesWhenItsWindowEnds() {
        BudgetPolicy monthly = new BudgetPolicy("m", PolicyScope.global(),
                BudgetLimits.builder().maxCallsPerMonth(3).build(), PolicyAction.THROTTLE, PolicyStatus.ACTIVE, null, NOW, NOW);
        Evaluation evaluation = evaluator.evaluate(
                List.of(new PolicyState(monthly, PolicyUsage.ZERO, new PolicyUsage(0, 3, 0))), 0, 1, 0, NOW);
        assertThat(evaluation.retryAfter()).isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
    }

    @Test
    void aTriggeredBlockDeniesUntilItsWindowEndsAndDisabledPoliciesAreSkipped() {
        BudgetPolicy triggered = new BudgetPolicy("b", PolicyScope.global(), BudgetLimits.builder().maxTokensCostPerDay(100).build(),
                PolicyAction.BLOCK, PolicyStatus.TRIGGERED, Instant.parse("2026-03-11T00:00:00Z"), NOW, NOW);
        PolicyState state = new PolicyState(triggered, new PolicyUsage(50, 1, 0), PolicyUsage.ZERO);
        assertThat(evaluator.evaluate(List.of(state), 1, 1, 0, NOW).denies()).isTrue();
        assertThat(evaluator.evaluate(List.of(state), 1, 1, 0, Instant.parse("2026-03-11T00:00:00Z")).denies()).isFalse();
        BudgetPolicy disabled = triggered.with(PolicyStatus.DISABLED, null, NOW);
        assertThat(evaluator.evaluate(List.of(new PolicyState(disabled, new PolicyUsage(500, 1, 0), PolicyUsage.ZERO)),
                1, 1, 0, NOW).violations()).isEmpty();
    }

    @Test
    void sumsPastLongMaxExceedEveryLimitInsteadOfWrapping() {
        assertThat(evaluator.evaluate(List.of(state("p", PolicyAction.BLOCK, Long.MAX_VALUE, Long.MAX_VALUE)), 1, 1, 0, NOW)
                .denies()).isTrue();
    }

    @RepeatedTest(5)
    void theWarnOrderNeverChangesTheOutcome() {
        Random random = new Random(7L);
        for (int i = 0; i < 1000; i++) {
            long used = random.nextInt(200);
            long cost = random.nextInt(50);
            PolicyState warn = state("w", PolicyAction.WARN, random.nextInt(200), used);
            PolicyState block = state("b", PolicyAction.BLOCK, random.nextInt(200), used);
            Evaluation a = evaluator.evaluate(List.of(warn, block), cost, 1, 0, NOW);
            Evaluation b = evaluator.evaluate(List.of(block, warn), cost, 1, 0, NOW);
            assertThat(a.decisive()).isEqualTo(b.decisive());
            assertThat(a.denies()).isEqualTo(used + cost > block.policy().limits().maxTokensCostPerDay());
        }
    }

    @Test
    void periodsFollowTheZone() {
        BudgetPeriods kolkata = new BudgetPeriods(ZoneId.of("Asia/Kolkata"));
        Instant lateEvening = Instant.parse("2026-03-31T18:29:59Z"); // 23:59:59 in Kolkata
        assertThat(kolkata.dayKey(lateEvening)).isEqualTo("D:2026-03-31");
        assertThat(kolkata.monthKey(lateEvening)).isEqualTo("M:2026-03");
        assertThat(kolkata.dayEnd(lateEvening)).isEqualTo(Instant.parse("2026-03-31T18:30:00Z"));
        assertThat(kolkata.monthEnd(lateEvening)).isEqualTo(Instant.parse("2026-03-31T18:30:00Z"));
        assertThat(kolkata.dayKey(Instant.parse("2026-03-31T18:30:00Z"))).isEqualTo("D:2026-04-01");
    }
}
