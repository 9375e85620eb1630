package io.kavach.policy;

import io.kavach.model.Microdollars;
import io.kavach.model.PolicyAction;
import java.time.Instant;
import java.util.Locale;

/**
 * One policy that a call would exceed, or that is blocking since it triggered.
 *
 * @param policyId         the policy
 * @param action           its action
 * @param limit            the limit's name, such as {@code maxTokensCostPerDay}; null when a block or
 *                         revoke policy that triggered earlier in the window denies a call that fits
 * @param usage            what the policy counted in the window so far
 * @param requested        what the call would add
 * @param max              the limit
 * @param windowEnd        when the window's counter starts again at zero
 * @param alreadyTriggered whether the policy was already triggered in this window
 */
public record BudgetViolation(String policyId, PolicyAction action, String limit, long usage, long requested,
                              long max, Instant windowEnd, boolean alreadyTriggered) {

    /** Dollar limits are counted in microdollars and shown as dollars; the others are plain counts. */
    private String amount(long value) {
        return limit.startsWith("maxCost") ? Microdollars.of(value).toString() : Long.toString(value);
    }

    /** Human text with the numbers. */
    public String describe() {
        String name = "policy " + policyId + " (" + action.name().toLowerCase(Locale.ROOT) + ")";
        if (limit == null) {
            return name + " triggered earlier in this window; every call is blocked until " + windowEnd;
        }
        String over = limit + " " + amount(usage) + " + " + amount(requested) + " would exceed " + amount(max);
        return alreadyTriggered && action.blocks() ? name + " is triggered: " + over + "; blocked until " + windowEnd
                : name + ": " + over;
    }
}
