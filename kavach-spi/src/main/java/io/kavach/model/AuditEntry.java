package io.kavach.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One audit record: an authorization decision or an administrative event.
 *
 * @param id                {@code aud_…}; ids sort in the order entries were written
 * @param timestamp         when it happened, millisecond precision, UTC
 * @param agentId           the agent concerned, or null (for an unknown token, say)
 * @param userId            the agent's owner, or null
 * @param tenantId          the agent's tenant, or null
 * @param action            for decisions, the requested action; for events, the event name such as {@code agent.created}
 * @param resource          for decisions, the requested resource; for events, the id of what changed
 * @param result            allowed, denied, or success for events
 * @param code              the decision code, or the event's code ({@code DELEGATION_REJECTED}, …)
 * @param reason            human text with the numbers that mattered
 * @param tokensCost        the request's token cost, or null when it gave none
 * @param durationMicros    how long the decision took
 * @param delegationChainId the chain whose grant allowed the call, or null
 * @param policyIds         the budget policies that triggered
 * @param ip                the client IP, or null
 * @param userAgent         the client user agent, or null
 * @param arguments         the call's arguments after redaction
 * @param previousHash      the hash of the entry before this one in the log, or of the checkpoint
 *                          left by a cleanup; {@link #GENESIS} for the first entry ever
 * @param hash              SHA-256 (hex) over this entry's canonical encoding, previousHash included
 */
public record AuditEntry(
        String id,
        Instant timestamp,
        String agentId,
        String userId,
        String tenantId,
        String action,
        String resource,
        AuditResult result,
        String code,
        String reason,
        Long tokensCost,
        long durationMicros,
        String delegationChainId,
        List<String> policyIds,
        String ip,
        String userAgent,
        Map<String, Object> arguments,
        String previousHash,
        String hash) {

    /** The previous hash of the first entry of a log: 64 zeros. */
    public static final String GENESIS = "0".repeat(64);

    public AuditEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(result, "result");
        policyIds = policyIds == null ? List.of() : List.copyOf(policyIds);
        arguments = arguments == null ? Map.of() : arguments;
    }

    /** This entry with its place in the chain. */
    public AuditEntry chained(String newPreviousHash, String newHash) {
        return new AuditEntry(id, timestamp, agentId, userId, tenantId, action, resource, result, code, reason,
                tokensCost, durationMicros, delegationChainId, policyIds, ip, userAgent, arguments, newPreviousHash, newHash);
    }
}
