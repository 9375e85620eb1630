package io.kavach.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One recorded cost: an LLM or tool call's tokens and price.
 *
 * @param id                {@code ce_…}
 * @param timestamp         when it was recorded, millisecond precision
 * @param day               the calendar day of {@code timestamp} in the configured zone, such as {@code 2026-03-10}
 * @param agentId           the agent that spent it
 * @param ownerId           the agent's owner
 * @param tenantId          the agent's tenant, or null
 * @param tool              such as {@code openai:gpt-4o} or {@code mcp:github}
 * @param inputTokens       input tokens, 0 when not given
 * @param outputTokens      output tokens, 0 when not given
 * @param costMicros        the cost in microdollars (of {@code currency}'s unit), never negative
 * @param currency          ISO 4217 code, {@code USD} by default
 * @param metadata          free data kept with the event
 * @param delegationChainId the delegation chain the spend is attributed to, or null
 */
public record CostEvent(String id, Instant timestamp, String day, String agentId, String ownerId, String tenantId,
                        String tool, long inputTokens, long outputTokens, long costMicros, String currency,
                        Map<String, Object> metadata, String delegationChainId) {
    public CostEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(currency, "currency");
        metadata = metadata == null ? Map.of() : metadata;
    }
}
