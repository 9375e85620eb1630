package io.kavach.cost;

import io.kavach.model.Microdollars;
import java.time.Instant;

/**
 * Told to listeners when spend crosses a threshold, once per crossing (warn and critical at most
 * once per cooldown), after the cost that crossed it has been stored.
 *
 * @param type         which threshold
 * @param agentId      the agent
 * @param currentSpend the spend that crossed it: rolling 24 hours for warn and critical, the policy's window for budget_exceeded
 * @param threshold    the threshold or dollar limit
 * @param period       {@code rolling 24h}, {@code maxCostPerDay} or {@code maxCostPerMonth}
 * @param policyId     for budget_exceeded, the policy whose dollar limit was crossed; else null
 * @param at           when
 */
public record CostAlert(Type type, String agentId, Microdollars currentSpend, Microdollars threshold, String period,
                        String policyId, Instant at) {

    public enum Type {
        WARN, CRITICAL, BUDGET_EXCEEDED
    }
}
