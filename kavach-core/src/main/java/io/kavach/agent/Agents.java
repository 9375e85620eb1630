package io.kavach.agent;

import io.kavach.error.AgentLimitExceededException;
import io.kavach.error.InvalidInputException;
import io.kavach.error.InvalidStateException;
import io.kavach.error.NotFoundException;
import io.kavach.model.Agent;
import java.util.List;
import java.util.Optional;

/**
 * Agent identities: {@code kavach.agents()}. Thread-safe. Every change is audited in the same
 * transaction that makes it.
 */
public interface Agents {

    /**
     * Creates an agent and its token.
     *
     * @throws InvalidInputException       listing every invalid field
     * @throws AgentLimitExceededException when the owner already has the configured maximum of active agents
     */
    AgentCredentials create(CreateAgentRequest request);

    /** The agent, whatever its status. */
    Optional<Agent> find(String agentId);

    /**
     * The agent, whatever its status.
     *
     * @throws NotFoundException when there is none
     */
    Agent get(String agentId);

    /** The active, unexpired agent holding this token; empty for unknown, revoked or expired. */
    Optional<Agent> findByToken(String token);

    List<Agent> list(AgentFilter filter);

    /**
     * Applies the changes that are set.
     *
     * @throws NotFoundException     when the agent does not exist
     * @throws InvalidStateException when the agent is revoked
     */
    Agent update(String agentId, UpdateAgentRequest request);

    /**
     * Revokes the agent and every delegation from it or to it, with the chains derived from them.
     * Revoking a revoked agent changes nothing.
     *
     * @throws NotFoundException when the agent does not exist
     */
    Agent revoke(String agentId);

    /**
     * Replaces the agent's token; the old one stops working at once.
     *
     * @throws InvalidStateException when the agent is revoked or expired
     */
    AgentCredentials rotateToken(String agentId);
}
