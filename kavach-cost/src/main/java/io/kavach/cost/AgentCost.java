package io.kavach.cost;

import io.kavach.model.Microdollars;

/** An agent's spend in a period, for the top-agents report. */
public record AgentCost(String agentId, String ownerId, Microdollars total, long calls) {
}
