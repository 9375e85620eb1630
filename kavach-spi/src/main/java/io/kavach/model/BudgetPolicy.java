package io.kavach.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A budget policy as stored.
 *
 * @param id             {@code pol_…}
 * @param scope          the agents it applies to
 * @param limits         its limits
 * @param action         what it does when a call would exceed a limit
 * @param status         as stored; use {@link #statusAt} for the status that counts the period
 * @param triggeredUntil for a triggered policy, the end of the period in which it triggered; else null
 * @param createdAt      creation time
 * @param updatedAt      time of the last change
 */
public record BudgetPolicy(
        String id,
        PolicyScope scope,
        BudgetLimits limits,
        PolicyAction action,
        PolicyStatus status,
        Instant triggeredUntil,
        Instant createdAt,
        Instant updatedAt) {

    public BudgetPolicy {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(status, "status");
    }

    /**
     * The status at {@code now}: the triggered state belongs to the period in which it happened, so
     * a policy triggered in an earlier period is active again whether or not a reset job ran.
     */
    public PolicyStatus statusAt(Instant now) {
        if (status == PolicyStatus.TRIGGERED && (triggeredUntil == null || !now.isBefore(triggeredUntil))) {
            return PolicyStatus.ACTIVE;
        }
        return status;
    }

    public BudgetPolicy with(PolicyStatus newStatus, Instant newTriggeredUntil, Instant now) {
        return new BudgetPolicy(id, scope, limits, action, newStatus, newTriggeredUntil, createdAt, now);
    }
}
