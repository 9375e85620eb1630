package io.kavach.spi;

/**
 * The data access of one unit of work, grouped by concern. Valid only inside the
 * {@link KavachStore#read} or {@link KavachStore#write} call that handed it out; not thread-safe.
 */
public interface StoreSession {
    AgentStore agents();

    DelegationStore delegations();

    RateLimitStore rateLimits();

    ApprovalStore approvals();

    AuditStore audit();

    PolicyStore policies();

    CostStore costs();
}
