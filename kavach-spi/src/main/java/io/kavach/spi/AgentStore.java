package io.kavach.spi;

import io.kavach.model.Agent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Agents and the hashes of their tokens. */
public interface AgentStore {

    /** Stores a new agent with the SHA-256 hash (lower-case hex) of its token. */
    void insert(Agent agent, String tokenHash);

    Optional<Agent> find(String agentId);

    /** The agent whose current token has this hash. */
    Optional<Agent> findByTokenHash(String tokenHash);

    /** Agents matching the query, ordered by id (creation order). */
    List<Agent> list(AgentQuery query);

    /** How many of the owner's agents are stored active and not expired at {@code now}. */
    int countActive(String ownerId, Instant now);

    /**
     * Replaces the stored agent's mutable fields (name, status, permissions, expiry, metadata,
     * updatedAt, lastActiveAt) with those of {@code agent}. Returns false when no such agent exists.
     */
    boolean update(Agent agent);

    /** Replaces the agent's token. Returns false when no such agent exists. */
    boolean updateToken(String agentId, String tokenHash, String tokenPrefix, Instant updatedAt);

    /** Records an allowed call's time as the agent's last activity. */
    void touch(String agentId, Instant lastActiveAt);

    /** {@link #touch} for each agent in the map; stores override it with one batch. */
    default void touchAll(Map<String, Instant> lastActiveAt) {
        lastActiveAt.forEach(this::touch);
    }
}
