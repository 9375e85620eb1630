package io.kavach.model;

import io.kavach.error.InvalidInputException;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which agents a policy applies to. Either a match on the agent's identity, where each set field
 * must equal the agent's id, owner and tenant (none set: every agent, a global policy), or a named
 * shared pool of listed agents. Every policy keeps one counter per period, so a user, tenant,
 * global or pool policy counts the spend of all the agents it applies to together.
 *
 * @param agentId      the agent, or null
 * @param userId       the owner, or null
 * @param tenantId     the tenant, or null
 * @param poolName     the shared pool's name, or null for an identity match
 * @param poolAgentIds the pool's agents, sorted; empty unless {@code poolName} is set
 */
public record PolicyScope(String agentId, String userId, String tenantId, String poolName, Set<String> poolAgentIds) {

    public PolicyScope {
        poolAgentIds = poolAgentIds == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(poolAgentIds));
        if (poolName != null && (agentId != null || userId != null || tenantId != null)) {
            throw new InvalidInputException("scope.poolName", poolName,
                    "a pool policy names its agents; it cannot also set agentId, userId or tenantId");
        }
        if (poolName != null && poolAgentIds.isEmpty()) {
            throw new InvalidInputException("scope.poolAgentIds", poolAgentIds, "a pool needs at least one agent");
        }
        if (poolName == null && !poolAgentIds.isEmpty()) {
            throw new InvalidInputException("scope.poolAgentIds", poolAgentIds, "agents are listed only for a named pool");
        }
    }

    public static PolicyScope agent(String agentId) {
        return new PolicyScope(agentId, null, null, null, null);
    }

    public static PolicyScope user(String userId) {
        return new PolicyScope(null, userId, null, null, null);
    }

    public static PolicyScope tenant(String tenantId) {
        return new PolicyScope(null, null, tenantId, null, null);
    }

    public static PolicyScope global() {
        return new PolicyScope(null, null, null, null, null);
    }

    public static PolicyScope pool(String name, List<String> agentIds) {
        return new PolicyScope(null, null, null, name, agentIds == null ? null : Set.copyOf(agentIds));
    }

    public boolean isPool() {
        return poolName != null;
    }

    public boolean isGlobal() {
        return poolName == null && agentId == null && userId == null && tenantId == null;
    }

    /** Whether the policy applies to {@code agent}. */
    public boolean appliesTo(Agent agent) {
        if (isPool()) {
            return poolAgentIds.contains(agent.id());
        }
        return (agentId == null || agentId.equals(agent.id()))
                && (userId == null || userId.equals(agent.ownerId()))
                && (tenantId == null || tenantId.equals(agent.tenantId()));
    }

    @Override
    public String toString() {
        if (isPool()) {
            return "pool " + poolName + " " + poolAgentIds;
        }
        if (isGlobal()) {
            return "global";
        }
        StringBuilder out = new StringBuilder();
        if (agentId != null) {
            out.append("agent ").append(agentId).append(' ');
        }
        if (userId != null) {
            out.append("user ").append(userId).append(' ');
        }
        if (tenantId != null) {
            out.append("tenant ").append(tenantId).append(' ');
        }
        return out.toString().trim();
    }
}
