package io.kavach.cost;

import io.kavach.model.Microdollars;

/**
 * An agent's spend against the tightest dollar limit of the policies that apply to it.
 *
 * @param withinBudget whether every dollar limit still holds (spent ≤ limit)
 * @param spent        the spend counted by the tightest policy in its window
 * @param limit        that limit, or null when no applicable policy has a dollar limit
 * @param remaining    limit − spent (negative when over), or null without a limit
 * @param policyId     the tightest policy, or null
 * @param window       {@code maxCostPerDay} or {@code maxCostPerMonth}, or null
 */
public record CostBudgetCheck(boolean withinBudget, Microdollars spent, Microdollars limit, Microdollars remaining,
                              String policyId, String window) {
}
