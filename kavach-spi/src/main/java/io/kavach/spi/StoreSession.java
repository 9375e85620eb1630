package io.kavach.spi;

/**
 * The data access of one unit of work, grouped by concern. Valid only inside the
 * {@link KavachStore#read} or {@link KavachStore#write} call that handed it out; not thread-safe.
 */
public interface StoreSession {

    /**
     * In a {@link KavachStore#write write} unit: one more than the number of write units committed to
     * the database before it, by any thread, instance or process sharing the database; 0 in a
     * {@link KavachStore#read read} unit.
     *
     * <p>Whoever caches what it read in a write unit {@code n} may trust the cache in unit
     * {@code n + 1}: nothing else was committed in between. Any other value means something else
     * changed the database (or {@code n} was rolled back), and the cache must be dropped.
     */
    long writeSequence();
    AgentStore agents();

    DelegationStore delegations();

    RateLimitStore rateLimits();

    ApprovalStore approvals();

    AuditStore audit();

    PolicyStore policies();

    CostStore costs();
}
