package io.kavach.core.internal;

import io.kavach.core.internal.DecisionCache.ChainsTo;
import io.kavach.core.internal.DecisionCache.Scope;
import io.kavach.core.internal.DecisionCache.UsageKey;
import io.kavach.model.Agent;
import io.kavach.model.AuditEntry;
import io.kavach.model.BudgetPolicy;
import io.kavach.model.DelegationChain;
import io.kavach.model.PolicyUsage;
import io.kavach.model.UsageReservation;
import io.kavach.spi.AgentQuery;
import io.kavach.spi.AgentStore;
import io.kavach.spi.ApprovalStore;
import io.kavach.spi.AuditQuery;
import io.kavach.spi.AuditStore;
import io.kavach.spi.CostStore;
import io.kavach.spi.DelegationQuery;
import io.kavach.spi.DelegationStore;
import io.kavach.spi.PolicyQuery;
import io.kavach.spi.PolicyStore;
import io.kavach.spi.PolicyStore.UsageIncrement;
import io.kavach.spi.RateLimitStore;
import io.kavach.spi.StoreSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A {@link StoreSession} for the decisions of one batch: reads authorize repeats are served from the
 * {@link DecisionCache}, and its frequent writes (audit entries, reservations, counter increments,
 * last-active times) are buffered and written by {@link #flush()} in a few batched statements, one
 * per counter however many decisions added to it.
 *
 * <p>Everything else goes to the underlying session, after a flush, so that it reads the unit's
 * own writes; a call that changes agents, delegations or policies also drops their cached entries.
 * The result is the same as running the calls one by one on the underlying session. Not
 * thread-safe, like any session.
 */
final class CachingSession implements StoreSession {
    /** How far an agent's recorded last activity may lag its last allowed call. */
    static final Duration LAST_ACTIVE_RESOLUTION = Duration.ofSeconds(1);

    private final StoreSession session;
    private final DecisionCache cache;
    private final List<AuditEntry> entries = new ArrayList<>();
    /** By id, in insertion order: a settle in the same batch finds and updates one still buffered. */
    private final Map<String, UsageReservation> reservations = new LinkedHashMap<>();
    private final Map<UsageKey, PolicyUsage> increments = new LinkedHashMap<>();
    private final Map<String, Instant> touches = new LinkedHashMap<>();
    private final Agents agents = new Agents();
    private final Delegations delegations = new Delegations();
    private final Policies policies = new Policies();
    private final Audit audit = new Audit();

    CachingSession(StoreSession session, DecisionCache cache) {
        this.session = session;
        this.cache = cache;
    }

    /** Writes what is buffered. Must run before the unit of work returns, so that it commits with it. */
    void flush() {
        if (!entries.isEmpty()) {
            session.audit().appendAll(List.copyOf(entries));
            entries.clear();
        }
        if (!reservations.isEmpty()) {
            session.policies().insertReservations(List.copyOf(reservations.values()));
            reservations.clear();
        }
        if (!increments.isEmpty()) {
            List<UsageIncrement> list = new ArrayList<>(increments.size());
            increments.forEach((key, delta) -> list.add(new UsageIncrement(key.policyId(), key.period(), delta)));
            session.policies().addUsages(list);
            increments.clear();
        }
        if (!touches.isEmpty()) {
            session.agents().touchAll(Map.copyOf(touches));
            touches.clear();
        }
    }

    @Override
    public long writeSequence() {
        return session.writeSequence();
    }

    @Override
    public AgentStore agents() {
        return agents;
    }

    @Override
    public DelegationStore delegations() {
        return delegations;
    }

    @Override
    public PolicyStore policies() {
        return policies;
    }

    @Override
    public AuditStore audit() {
        return audit;
    }

    @Override
    public RateLimitStore rateLimits() {
        flush();
        return session.rateLimits();
    }

    @Override
    public ApprovalStore approvals() {
        flush();
        return session.approvals();
    }

    @Override
    public CostStore costs() {
        flush();
        return session.costs();
    }

    /** A call the cache neither serves nor is changed by: the underlying session, after the buffered writes. */
    private <T> T direct(Supplier<T> call) {
        flush();
        return call.get();
    }

    /** A write of agents, delegations or policies: cached definitions may now be wrong. */
    private <T> T change(Supplier<T> call) {
        flush();
        T result = call.get();
        cache.forgetDefinitions();
        return result;
    }

    private void change(Runnable call) {
        change(() -> {
            call.run();
            return null;
        });
    }

    private final class Agents implements AgentStore {
        @Override
        public Optional<Agent> find(String agentId) {
            return cache.agentsById.computeIfAbsent(agentId, id -> session.agents().find(id));
        }

        @Override
        public Optional<Agent> findByTokenHash(String tokenHash) {
            return cache.agentsByTokenHash.computeIfAbsent(tokenHash, hash -> session.agents().findByTokenHash(hash));
        }

        /**
         * Buffered, and written only when it moves the stored time on by at least
         * {@link #LAST_ACTIVE_RESOLUTION}: rewriting an agent's row on every call cost a page per
         * agent in every commit.
         */
        @Override
        public void touch(String agentId, Instant lastActiveAt) {
            Instant stored = cache.lastActive.get(agentId);
            if (stored == null) {
                stored = find(agentId).map(Agent::lastActiveAt).orElse(null);
            }
            if (stored != null && lastActiveAt.isBefore(stored.plus(LAST_ACTIVE_RESOLUTION))) {
                return;
            }
            cache.lastActive.put(agentId, lastActiveAt);
            touches.put(agentId, lastActiveAt);
        }

        @Override
        public void touchAll(Map<String, Instant> lastActiveAt) {
            lastActiveAt.forEach(this::touch);
        }

        @Override
        public void insert(Agent agent, String tokenHash) {
            change(() -> session.agents().insert(agent, tokenHash));
        }

        @Override
        public List<Agent> list(AgentQuery query) {
            return direct(() -> session.agents().list(query));
        }

        @Override
        public int countActive(String ownerId, Instant now) {
            return direct(() -> session.agents().countActive(ownerId, now));
        }

        @Override
        public boolean update(Agent agent) {
            return change(() -> session.agents().update(agent));
        }

        @Override
        public boolean updateToken(String agentId, String tokenHash, String tokenPrefix, Instant updatedAt) {
            return change(() -> session.agents().updateToken(agentId, tokenHash, tokenPrefix, updatedAt));
        }
    }

    private final class Delegations implements DelegationStore {
        /** Served from a list read at or before {@code now}, less the chains that have expired since. */
        @Override
        public List<DelegationChain> findActiveTo(String agentId, Instant now) {
            ChainsTo cached = cache.chainsTo.get(agentId);
            if (cached == null || now.isBefore(cached.asOf())) {
                cached = new ChainsTo(now, List.copyOf(session.delegations().findActiveTo(agentId, now)));
                cache.chainsTo.put(agentId, cached);
                return cached.chains();
            }
            List<DelegationChain> active = new ArrayList<>(cached.chains().size());
            for (DelegationChain chain : cached.chains()) {
                if (chain.isActiveAt(now)) {
                    active.add(chain);
                }
            }
            return active;
        }

        @Override
        public void insert(DelegationChain chain) {
            change(() -> session.delegations().insert(chain));
        }

        @Override
        public Optional<DelegationChain> find(String chainId) {
            return direct(() -> session.delegations().find(chainId));
        }

        @Override
        public List<DelegationChain> list(DelegationQuery query) {
            return direct(() -> session.delegations().list(query));
        }

        @Override
        public List<DelegationChain> findActiveFrom(String agentId, Instant now) {
            return direct(() -> session.delegations().findActiveFrom(agentId, now));
        }

        @Override
        public List<String> findChildIds(String chainId) {
            return direct(() -> session.delegations().findChildIds(chainId));
        }

        @Override
        public int revoke(Collection<String> chainIds, Instant at) {
            return change(() -> session.delegations().revoke(chainIds, at));
        }
    }

    private final class Policies implements PolicyStore {
        @Override
        public List<BudgetPolicy> applicableTo(String agentId, String ownerId, String tenantId) {
            return cache.policies.computeIfAbsent(new Scope(agentId, ownerId, tenantId),
                    scope -> List.copyOf(session.policies().applicableTo(agentId, ownerId, tenantId)));
        }

        @Override
        public PolicyUsage usage(String policyId, String period) {
            return cache.usage.computeIfAbsent(new UsageKey(policyId, period),
                    key -> session.policies().usage(policyId, period));
        }

        @Override
        public void addUsages(List<UsageIncrement> list) {
            list.forEach(i -> addUsage(i.policyId(), i.period(), i.delta()));
        }

        /** Buffered, and added to the cached counter at once: one statement per counter at flush. */
        @Override
        public void addUsage(String policyId, String period, PolicyUsage delta) {
            UsageKey key = new UsageKey(policyId, period);
            cache.usage.put(key, usage(policyId, period).plus(delta));
            increments.merge(key, delta, PolicyUsage::plus);
        }

        @Override
        public void insertReservation(UsageReservation reservation) {
            reservations.put(reservation.id(), reservation);
        }

        @Override
        public void insertReservations(List<UsageReservation> list) {
            list.forEach(this::insertReservation);
        }

        @Override
        public void insert(BudgetPolicy policy) {
            change(() -> session.policies().insert(policy));
        }

        /** Cached: settling reads each policy of the reservation. Policies are not among the buffered writes. */
        @Override
        public Optional<BudgetPolicy> find(String policyId) {
            return cache.policiesById.computeIfAbsent(policyId, id -> session.policies().find(id));
        }

        @Override
        public boolean update(BudgetPolicy policy) {
            return change(() -> session.policies().update(policy));
        }

        @Override
        public boolean delete(String policyId) {
            return change(() -> session.policies().delete(policyId));
        }

        @Override
        public List<BudgetPolicy> list(PolicyQuery query) {
            return direct(() -> session.policies().list(query));
        }

        @Override
        public void clearUsage(String policyId, String period) {
            flush();
            session.policies().clearUsage(policyId, period);
            cache.usage.remove(new UsageKey(policyId, period));
        }

        @Override
        public List<String> closeEarlierPeriods(String periodPrefix, String currentPeriod) {
            flush();
            List<String> closed = session.policies().closeEarlierPeriods(periodPrefix, currentPeriod);
            cache.usage.clear();
            return closed;
        }

        @Override
        public Optional<UsageReservation> findReservation(String usageId) {
            UsageReservation buffered = reservations.get(usageId);
            // The other buffered writes do not touch reservations: no flush needed to read one.
            return buffered != null ? Optional.of(buffered) : session.policies().findReservation(usageId);
        }

        @Override
        public long deleteReservationsBefore(Instant cutoff) {
            return direct(() -> session.policies().deleteReservationsBefore(cutoff));
        }

        @Override
        public boolean updateReservation(UsageReservation reservation) {
            if (reservations.containsKey(reservation.id())) {
                reservations.put(reservation.id(), reservation);
                return true;
            }
            return session.policies().updateReservation(reservation);
        }
    }

    private final class Audit implements AuditStore {
        /** Buffered; the chain's head moves at once, so the next entry links to this one. */
        @Override
        public void append(AuditEntry entry) {
            entries.add(entry);
            cache.auditHead = Optional.of(entry.hash());
        }

        @Override
        public void appendAll(List<AuditEntry> list) {
            list.forEach(this::append);
        }

        @Override
        public Optional<String> headHash() {
            if (cache.auditHead == null) {
                cache.auditHead = direct(() -> session.audit().headHash());
            }
            return cache.auditHead;
        }

        @Override
        public List<AuditEntry> query(AuditQuery query) {
            return direct(() -> session.audit().query(query));
        }

        @Override
        public void scan(AuditQuery query, Consumer<AuditEntry> sink) {
            flush();
            session.audit().scan(query, sink);
        }

        @Override
        public void scanChain(Instant since, Instant until, Consumer<AuditEntry> sink) {
            flush();
            session.audit().scanChain(since, until, sink);
        }

        @Override
        public long deleteBefore(Instant cutoff) {
            return direct(() -> session.audit().deleteBefore(cutoff));
        }

        @Override
        public Optional<AuditCheckpoint> checkpoint() {
            return direct(() -> session.audit().checkpoint());
        }
    }
}
