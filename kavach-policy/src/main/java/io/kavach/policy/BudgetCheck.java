package io.kavach.policy;

import io.kavach.model.DecisionCode;
import io.kavach.model.PolicyAction;
import java.time.Instant;
import java.util.List;

/**
 * The answer of {@link BudgetPolicies#checkBudget}: what {@code authorize} would decide on budgets
 * for a call of that cost, with nothing recorded.
 *
 * @param allowed    whether the call would pass the budget policies
 * @param code       null when allowed, else {@code BUDGET_THROTTLED} or {@code BUDGET_EXCEEDED}
 * @param reason     why, with the numbers
 * @param policyId   the first violated policy that decides, or null
 * @param violations every violated policy, most severe first, warnings included
 * @param retryAfter for a throttle, when the window ends; else null
 */
public record BudgetCheck(boolean allowed, DecisionCode code, String reason, String policyId,
                          List<BudgetViolation> violations, Instant retryAfter) {
    public BudgetCheck {
        violations = List.copyOf(violations);
    }

    /** The warn policies that the call would cross. */
    public List<BudgetViolation> warnings() {
        return violations.stream().filter(v -> v.action() == PolicyAction.WARN).toList();
    }
}
