package io.kavach.core.internal;

import io.kavach.model.Agent;
import io.kavach.model.BudgetPolicy;
import io.kavach.model.DelegationChain;
import io.kavach.model.PolicyUsage;
import io.kavach.spi.StoreSession;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What authorize reads from the store, kept between write units: agents, their incoming
 * delegations, the policies that apply to them with their counters, and the head of the audit
 * chain.
 *
 * <p>The cache is only trusted in the write unit that directly follows the last one it saw commit
 * ({@link StoreSession#writeSequence()}): any write in between, by this instance's other services,
 * another instance or another process, drops it whole, so a revocation, a new policy or another
 * process's counters are seen on the next call. Entries loaded inside a unit reflect that unit's
 * own writes, so once the unit commits they are the database's state.
 *
 * <p>Not thread-safe: {@link GroupCommit} uses it only from the thread that leads a batch, and hands
 * it from one leader to the next under its lock.
 */
final class DecisionCache {
    /** Past this many entries a map is emptied at the next unit: a crude but allocation-free bound. */
    private static final int MAX_ENTRIES = 200_000;

    final Map<String, Optional<Agent>> agentsById = new HashMap<>();
    final Map<String, Optional<Agent>> agentsByTokenHash = new HashMap<>();
    final Map<String, ChainsTo> chainsTo = new HashMap<>();
    final Map<Scope, List<BudgetPolicy>> policies = new HashMap<>();
    final Map<String, Optional<BudgetPolicy>> policiesById = new HashMap<>();
    final Map<UsageKey, PolicyUsage> usage = new HashMap<>();
    /** The last-activity time last written per agent, when it differs from the cached agent's. */
    final Map<String, Instant> lastActive = new HashMap<>();
    /** The head of the audit chain; null when not known. */
    Optional<String> auditHead;

    /** The write sequence of the last unit this cache saw commit; -1 when none. */
    private long committedSequence = -1;
    /** The write sequence of the unit in progress; -1 when none is. */
    private long openSequence = -1;

    /** The delegations active towards an agent when read at {@code asOf}; valid for any later time. */
    record ChainsTo(Instant asOf, List<DelegationChain> chains) {
    }

    /** The agent, user and tenant for which a list of applicable policies was read. */
    record Scope(String agentId, String ownerId, String tenantId) {
    }

    record UsageKey(String policyId, String period) {
    }

    /**
     * Starts a unit of work on {@code session}: keeps the entries only when the unit directly
     * follows the last one this cache saw commit, and no unit was left open (a failed or retried one).
     */
    CachingSession begin(StoreSession session) {
        long sequence = session.writeSequence();
        if (openSequence != -1 || sequence <= 0 || sequence != committedSequence + 1) {
            clear();
        } else {
            bound();
        }
        openSequence = sequence;
        return new CachingSession(session, this);
    }

    /** The unit begun last has committed: what it read and wrote is now the database's state. */
    void committed() {
        committedSequence = openSequence;
        openSequence = -1;
    }

    /** The unit begun last was rolled back, or its outcome is unknown. */
    void failed() {
        clear();
        committedSequence = -1;
        openSequence = -1;
    }

    /** Drops everything read about agents, delegations and policies (not counters or the audit head). */
    void forgetDefinitions() {
        agentsById.clear();
        agentsByTokenHash.clear();
        lastActive.clear();
        chainsTo.clear();
        policies.clear();
        policiesById.clear();
    }

    private void clear() {
        forgetDefinitions();
        usage.clear();
        auditHead = null;
    }

    private void bound() {
        for (Map<?, ?> map : List.of(agentsById, agentsByTokenHash, lastActive, chainsTo, policies, policiesById, usage)) {
            if (map.size() > MAX_ENTRIES) {
                map.clear();
            }
        }
    }
}
