package io.kavach;

import io.kavach.model.DecisionCode;
import io.kavach.model.Permission;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The answer to {@code authorize}: a value, never an exception.
 *
 * @param allowed            whether the call may go ahead
 * @param code               the stable code; {@link DecisionCode#ALLOWED} exactly when allowed
 * @param reason             why, for people, with the numbers that mattered
 * @param auditId            the id of the audit entry written for this decision
 * @param agentId            the agent the decision is about, or null when none was found
 * @param grant              the permission that allowed the call, or null
 * @param delegationChainId  the delegation chain that permission came through, or null for an own permission
 * @param triggeredPolicyIds the budget policies that triggered
 * @param warnings           warnings that did not deny the call, such as a warn policy crossed
 * @param retryAfter         when a denied call may succeed by waiting, or null when waiting does not help
 * @param approvalId         for {@link DecisionCode#APPROVAL_REQUIRED}, the approval request to decide; else null
 * @param usageId            when an allowed call reserved budget usage (it gave a token cost and
 *                           policies apply), the id to pass to {@code policy().settle}; else null
 * @param timestamp          when the decision was made
 */
public record Decision(
        boolean allowed,
        DecisionCode code,
        String reason,
        String auditId,
        String agentId,
        Permission grant,
        String delegationChainId,
        List<String> triggeredPolicyIds,
        List<String> warnings,
        Instant retryAfter,
        String approvalId,
        String usageId,
        Instant timestamp) {

    public Decision {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(reason, "reason");
        if (allowed != code.isAllowed()) {
            throw new IllegalArgumentException("allowed=" + allowed + " contradicts code " + code);
        }
        triggeredPolicyIds = List.copyOf(triggeredPolicyIds);
        warnings = List.copyOf(warnings);
    }

    public boolean denied() {
        return !allowed;
    }

    /**
     * Returns this decision if it allows the call.
     *
     * @throws AccessDeniedException carrying this decision, if it denies the call
     */
    public Decision requireAllowed() {
        if (!allowed) {
            throw new AccessDeniedException(this);
        }
        return this;
    }

    @Override
    public String toString() {
        return code + ": " + reason;
    }
}
