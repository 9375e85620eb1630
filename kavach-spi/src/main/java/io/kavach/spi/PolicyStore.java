package io.kavach.spi;

import io.kavach.model.BudgetPolicy;
import io.kavach.model.PolicyUsage;
import io.kavach.model.UsageReservation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Budget policies, their per-period counters and usage reservations.
 *
 * <p>Counters are keyed by a period string such as {@code D:2026-03-10} or {@code M:2026-03}
 * (computed by the caller in its configured zone), so a new period starts at zero by itself.
 */
public interface PolicyStore {

    /** Stores a new policy, with its pool members when it is a pool policy. */
    void insert(BudgetPolicy policy);

    Optional<BudgetPolicy> find(String policyId);

    /** Replaces the stored limits, action, status, triggeredUntil and updatedAt; false when no such policy exists. */
    boolean update(BudgetPolicy policy);

    /** Deletes the policy, its pool members and its counters; false when no such policy exists. */
    boolean delete(String policyId);

    /**
     * The policies that apply to an agent, in any status, ordered by id: identity policies whose set
     * fields all equal the agent's id, owner and tenant (global ones included), and the pool
     * policies that list the agent.
     */
    List<BudgetPolicy> applicableTo(String agentId, String ownerId, String tenantId);

    /** Policies matching the query, ordered by id. */
    List<BudgetPolicy> list(PolicyQuery query);

    /** The policy's counters for the period; {@link PolicyUsage#ZERO} when nothing was counted. */
    PolicyUsage usage(String policyId, String period);

    /** Adds {@code delta} (which may be negative, to correct an estimate) to the policy's counters for the period. */
    void addUsage(String policyId, String period, PolicyUsage delta);

    /** {@link #addUsage} for each increment, in order; stores override it with one batch. */
    default void addUsages(List<UsageIncrement> increments) {
        for (UsageIncrement increment : increments) {
            addUsage(increment.policyId(), increment.period(), increment.delta());
        }
    }

    /** What {@link #addUsages} adds to one policy's counters for one period. */
    record UsageIncrement(String policyId, String period, PolicyUsage delta) {
    }

    /** Sets the policy's counters for the period to zero. */
    void clearUsage(String policyId, String period);

    /**
     * Deletes the counters of periods that start with {@code periodPrefix} ({@code D:} or
     * {@code M:}) other than {@code currentPeriod}, for policies that are not disabled.
     *
     * @return the ids of the policies that had such counters
     */
    List<String> closeEarlierPeriods(String periodPrefix, String currentPeriod);

    void insertReservation(UsageReservation reservation);

    /** Inserts each reservation, as {@link #insertReservation} would; stores override it with one batch. */
    default void insertReservations(List<UsageReservation> reservations) {
        for (UsageReservation reservation : reservations) {
            insertReservation(reservation);
        }
    }

    Optional<UsageReservation> findReservation(String usageId);

    /**
     * Deletes the reservations made before {@code cutoff}, settled or not, and returns how many.
     * Reservation ids are audit ids, which sort by the time they were made.
     */
    long deleteReservationsBefore(Instant cutoff);

    /** Replaces the reservation's tokensCost and settledAt; false when no such reservation exists. */
    boolean updateReservation(UsageReservation reservation);
}
