package io.kavach.policy;

import java.util.List;

/**
 * What {@link BudgetPolicies#recordUsage} or {@link BudgetPolicies#settle} counted.
 *
 * @param agentId            the agent
 * @param tokensCost         the token cost added (for a settle, the difference to the estimate; may be negative)
 * @param calls              the calls added
 * @param policyIds          the policies whose counters changed
 * @param triggeredPolicyIds the policies that this usage pushed over a limit
 */
public record RecordedUsage(String agentId, long tokensCost, long calls, List<String> policyIds,
                            List<String> triggeredPolicyIds) {
    public RecordedUsage {
        policyIds = List.copyOf(policyIds);
        triggeredPolicyIds = List.copyOf(triggeredPolicyIds);
    }
}
