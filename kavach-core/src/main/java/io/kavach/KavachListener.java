package io.kavach;

import io.kavach.cost.CostAlert;
import io.kavach.model.BudgetPolicy;
import io.kavach.policy.PolicyTriggered;
import java.util.Optional;

/**
 * Hooks into authorization. Every method has a default that does nothing, so a listener overrides
 * only what it needs. Listeners are called on the thread that called {@code authorize}; they must
 * be thread-safe and should be quick.
 *
 * <p>{@link #beforeAuthorize} runs before the agent is looked up and may deny; a hook that throws
 * denies too (fail closed). The other methods run after the decision (or usage) and its audit entry
 * have committed; one that throws is logged and changes nothing.
 */
public interface KavachListener {

    /**
     * Called for every well-formed request. Return a reason to deny the call with
     * {@link io.kavach.model.DecisionCode#HOOK_DENIED}, or empty to let the pipeline go on.
     */
    default Optional<String> beforeAuthorize(String agentId, AuthorizeRequest request) {
        return Optional.empty();
    }

    /** Called after every decision, allowed or denied. {@code agentId} may be null (unknown token). */
    default void afterAuthorize(String agentId, AuthorizeRequest request, Decision decision) {
    }

    /** Called after every denial, before {@link #afterAuthorize}. */
    default void onViolation(String agentId, AuthorizeRequest request, Decision decision) {
    }

    /**
     * Called once when a budget policy triggers in a window: a call or recorded usage crossed one
     * of its limits (for a warn policy, the moment to send the alert).
     */
    default void onPolicyTriggered(PolicyTriggered event) {
    }

    /** Called when a revoke policy has revoked an agent (and its delegations). */
    default void onAgentRevokedByPolicy(String agentId, BudgetPolicy policy) {
    }

    /** Called when recorded costs cross a warn, critical or dollar-limit threshold, once per crossing. */
    default void onCostAlert(CostAlert alert) {
    }
}
