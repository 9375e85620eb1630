package io.kavach.policy;

import io.kavach.model.BudgetLimits;
import io.kavach.model.PolicyAction;

/**
 * Changes to a policy; null fields stay as they are. A change of limits or action takes effect on
 * the next call and clears a triggered state, so the new terms are judged afresh.
 *
 * @param limits  new limits, replacing all the old ones (at least one set)
 * @param action  a new action
 * @param enabled false disables the policy (no enforcement, no counting, no resets); true enables it
 */
public record UpdatePolicyRequest(BudgetLimits limits, PolicyAction action, Boolean enabled) {

    public static UpdatePolicyRequest limits(BudgetLimits limits) {
        return new UpdatePolicyRequest(limits, null, null);
    }

    public static UpdatePolicyRequest action(PolicyAction action) {
        return new UpdatePolicyRequest(null, action, null);
    }

    public static UpdatePolicyRequest enabled(boolean enabled) {
        return new UpdatePolicyRequest(null, null, enabled);
    }
}
