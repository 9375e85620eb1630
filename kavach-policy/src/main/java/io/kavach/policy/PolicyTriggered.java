package io.kavach.policy;

import io.kavach.model.BudgetPolicy;
import java.time.Instant;

/**
 * Told to listeners when a policy triggers: a call or recorded usage crossed one of its limits.
 * Sent once per policy and window, after the change committed.
 *
 * @param policy    the policy, as it is after triggering
 * @param agentId   the agent whose call or usage crossed the limit
 * @param violation the limit, usage and amounts
 * @param at        when
 */
public record PolicyTriggered(BudgetPolicy policy, String agentId, BudgetViolation violation, Instant at) {
}
