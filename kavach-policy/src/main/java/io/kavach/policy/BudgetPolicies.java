package io.kavach.policy;

import io.kavach.error.InvalidInputException;
import io.kavach.error.NotFoundException;
import io.kavach.model.BudgetPolicy;
import java.util.List;
import java.util.Optional;

/**
 * Stacked budget policies per agent, user, tenant, globally and for shared pools:
 * {@code kavach.policy()}. {@code authorize} enforces them; this interface manages them, checks and
 * records usage, and runs the resets. Thread-safe; changes and resets are audited.
 */
public interface BudgetPolicies {

    /**
     * @throws InvalidInputException listing every invalid field, or naming an agent that does not exist
     */
    BudgetPolicy create(CreatePolicyRequest request);

    Optional<BudgetPolicy> find(String policyId);

    /** @throws NotFoundException when there is no such policy */
    BudgetPolicy get(String policyId);

    List<BudgetPolicy> list(PolicyFilter filter);

    /** @throws NotFoundException when there is no such policy */
    BudgetPolicy update(String policyId, UpdatePolicyRequest request);

    /**
     * Deletes the policy and its counters.
     *
     * @throws NotFoundException when there is no such policy
     */
    void remove(String policyId);

    /** The policy's counters for the running day and month. */
    PolicyCounters counters(String policyId);

    /**
     * What the budget policies would decide for a call of {@code tokensCost} by the agent, counting
     * one call. Speculative: records and triggers nothing.
     */
    BudgetCheck checkBudget(String agentId, long tokensCost);

    /**
     * Records a call's actual usage after the fact: one call and {@code tokensCost} on every policy
     * that applies and is not disabled, moving any active policy whose totals now exceed a limit to
     * triggered (a revoke policy revokes the agent).
     */
    RecordedUsage recordUsage(String agentId, long tokensCost);

    /**
     * Corrects the estimate reserved by an allowed {@code authorize} (its {@code usageId}) to the
     * actual cost: the difference is added on the same policies and in the same periods, so
     * estimate-then-actual never counts twice. Settling again replaces the previous actual cost.
     *
     * @throws NotFoundException when no usage has this id
     */
    RecordedUsage settle(String usageId, long actualCost);

    /**
     * The daily cron job: closes out day counters of earlier days and moves policies whose
     * triggering day has ended back to active. Never touches the running day or disabled policies;
     * running it twice, early or late does no harm.
     *
     * @return how many policies it reset
     */
    int resetDaily();

    /** The monthly cron job, as {@link #resetDaily()} for months. */
    int resetMonthly();

    /**
     * The manual override: zeroes the policy's running day and month counters and makes it active.
     *
     * @return 1, or 0 for a disabled policy, which it leaves alone
     * @throws NotFoundException when there is no such policy
     */
    int reset(String policyId);
}
