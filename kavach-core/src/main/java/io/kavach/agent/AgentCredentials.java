package io.kavach.agent;

import io.kavach.model.Agent;

/**
 * An agent with its plain token. The token is shown only here, once, by create and rotate: Kavach
 * keeps only its SHA-256 hash.
 */
public record AgentCredentials(Agent agent, String token) {
    @Override
    public String toString() {
        return "AgentCredentials[agent=" + agent.id() + ", token=" + agent.tokenPrefix() + "…]";
    }
}
