package io.kavach.spi;

import io.kavach.model.DelegationChain;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Delegation chains and their parent links. */
public interface DelegationStore {

    /** Stores a new chain together with its links to {@link DelegationChain#parentChainIds()}. */
    void insert(DelegationChain chain);

    Optional<DelegationChain> find(String chainId);

    /** Chains matching the query, ordered by id (creation order). */
    List<DelegationChain> list(DelegationQuery query);

    /** Chains to {@code agentId} that are stored active and not expired at {@code now}. */
    List<DelegationChain> findActiveTo(String agentId, Instant now);

    /** Chains from {@code agentId} that are stored active and not expired at {@code now}. */
    List<DelegationChain> findActiveFrom(String agentId, Instant now);

    /** Ids of the chains that name {@code chainId} among their parents (one level). */
    List<String> findChildIds(String chainId);

    /** Marks the given chains revoked at {@code at}, skipping those already revoked; returns how many changed. */
    int revoke(Collection<String> chainIds, Instant at);
}
