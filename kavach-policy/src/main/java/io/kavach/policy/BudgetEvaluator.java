package io.kavach.policy;

import io.kavach.model.BudgetLimits;
import io.kavach.model.BudgetPolicy;
import io.kavach.model.PolicyAction;
import io.kavach.model.PolicyStatus;
import io.kavach.model.PolicyUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Evaluates a call against every applicable policy (DESIGN section 5). Pure: it reads the counters
 * it is given and changes nothing. Thread-safe.
 *
 * <p>A call fits a limit while usage + cost ≤ limit. Every policy is evaluated; the most severe
 * exceeded action decides (revoke, block, throttle, warn) and warn violations come back beside it,
 * so a warn policy never masks a block whatever their order. A block or revoke policy that
 * triggered in the running window denies every call until that window ends.
 */
public final class BudgetEvaluator {
    private final BudgetPeriods periods;

    public BudgetEvaluator(BudgetPeriods periods) {
        this.periods = periods;
    }

    /** A policy with its counters for the running day and month. */
    public record PolicyState(BudgetPolicy policy, PolicyUsage day, PolicyUsage month) {
    }

    /**
     * The outcome.
     *
     * @param violations every violation, most severe first (then in policy order)
     * @param decisive   the most severe violated action, or null when nothing is violated
     */
    public record Evaluation(List<BudgetViolation> violations, PolicyAction decisive) {
        /** Whether the call must be denied: a throttle, block or revoke is violated. */
        public boolean denies() {
            return decisive != null && decisive != PolicyAction.WARN;
        }

        /** The violations of warn policies. */
        public List<BudgetViolation> warnings() {
            return violations.stream().filter(v -> v.action() == PolicyAction.WARN).toList();
        }

        /** The violations of the deciding action. */
        public List<BudgetViolation> deciding() {
            return violations.stream().filter(v -> v.action() == decisive).toList();
        }

        /** For a throttle, when the call could fit again: the latest end among the throttling windows. */
        public Instant retryAfter() {
            if (decisive != PolicyAction.THROTTLE) {
                return null;
            }
            return deciding().stream().map(BudgetViolation::windowEnd).max(Comparator.naturalOrder()).orElse(null);
        }
    }

    /**
     * Evaluates a call costing {@code tokensCost} tokens, {@code calls} calls and {@code costMicros}
     * microdollars. Disabled policies are skipped.
     */
    public Evaluation evaluate(List<PolicyState> states, long tokensCost, long calls, long costMicros, Instant now) {
        List<BudgetViolation> violations = new ArrayList<>();
        for (PolicyState state : states) {
            BudgetPolicy policy = state.policy();
            PolicyStatus status = policy.statusAt(now);
            if (status == PolicyStatus.DISABLED) {
                continue;
            }
            boolean triggered = status == PolicyStatus.TRIGGERED;
            BudgetViolation exceeded = firstExceeded(policy, state, tokensCost, calls, costMicros, now, triggered);
            if (exceeded != null) {
                violations.add(exceeded);
            } else if (triggered && policy.action().blocks()) {
                violations.add(new BudgetViolation(policy.id(), policy.action(), null, 0, 0, 0,
                        policy.triggeredUntil(), true));
            }
        }
        violations.sort(Comparator.comparingInt((BudgetViolation v) -> -v.action().severity()));
        PolicyAction decisive = violations.isEmpty() ? null : violations.get(0).action();
        return new Evaluation(List.copyOf(violations), decisive);
    }

    /**
     * The limits that the counters already exceed (usage > limit), for usage recorded after the
     * fact; one violation per policy at most.
     */
    public List<BudgetViolation> crossed(List<PolicyState> states, Instant now) {
        List<BudgetViolation> crossed = new ArrayList<>();
        for (PolicyState state : states) {
            if (state.policy().statusAt(now) == PolicyStatus.ACTIVE) {
                BudgetViolation v = firstExceeded(state.policy(), state, 0, 0, 0, now, false);
                if (v != null) {
                    crossed.add(v);
                }
            }
        }
        return crossed;
    }

    private BudgetViolation firstExceeded(BudgetPolicy policy, PolicyState state, long tokens, long calls, long cost,
                                          Instant now, boolean triggered) {
        BudgetLimits l = policy.limits();
        PolicyUsage day = state.day();
        PolicyUsage month = state.month();
        Instant dayEnd = periods.dayEnd(now);
        Instant monthEnd = periods.monthEnd(now);
        BudgetViolation v;
        if ((v = over(policy, "maxTokensCostPerDay", l.maxTokensCostPerDay(), day.tokensCost(), tokens, dayEnd, triggered)) != null
                || (v = over(policy, "maxTokensCostPerMonth", l.maxTokensCostPerMonth(), month.tokensCost(), tokens, monthEnd, triggered)) != null
                || (v = over(policy, "maxCallsPerDay", l.maxCallsPerDay(), day.calls(), calls, dayEnd, triggered)) != null
                || (v = over(policy, "maxCallsPerMonth", l.maxCallsPerMonth(), month.calls(), calls, monthEnd, triggered)) != null
                || (v = over(policy, "maxCostPerDay", l.maxCostPerDay(), day.costMicros(), cost, dayEnd, triggered)) != null
                || (v = over(policy, "maxCostPerMonth", l.maxCostPerMonth(), month.costMicros(), cost, monthEnd, triggered)) != null) {
            return v;
        }
        return null;
    }

    private static BudgetViolation over(BudgetPolicy policy, String name, Long limit, long usage, long requested,
                                        Instant windowEnd, boolean triggered) {
        if (limit == null) {
            return null;
        }
        boolean fits;
        try {
            fits = Math.addExact(usage, requested) <= limit;
        } catch (ArithmeticException overflow) {
            fits = false; // the true sum is past Long.MAX_VALUE, so past every limit
        }
        if (fits) {
            return null;
        }
        return new BudgetViolation(policy.id(), policy.action(), name, usage, requested, limit, windowEnd, triggered);
    }
}
