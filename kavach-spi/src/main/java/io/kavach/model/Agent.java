package io.kavach.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An agent identity as stored. The token itself is never part of it: only its 11-character
 * prefix, for recognising a token in logs.
 *
 * @param id           {@code agt_…}
 * @param ownerId      the user who owns the agent
 * @param tenantId     the tenant, or null
 * @param name         a display name
 * @param type         what kind of principal it is
 * @param status       {@link AgentStatus#ACTIVE} or {@link AgentStatus#REVOKED} as stored; use
 *                     {@link #statusAt} for the status that counts expiry
 * @param permissions  the agent's own grants (delegated ones live in delegation chains)
 * @param expiresAt    when the agent stops being usable, or null for never
 * @param metadata     free JSON-like data: strings, numbers, booleans, lists and maps
 * @param tokenPrefix  the first 11 characters of the current token
 * @param createdAt    creation time
 * @param updatedAt    time of the last change
 * @param lastActiveAt time of the last allowed call (recorded to within a second: a call less than a
 *                     second after the recorded one leaves it as it is), or null
 */
public record Agent(
        String id,
        String ownerId,
        String tenantId,
        String name,
        AgentType type,
        AgentStatus status,
        List<Permission> permissions,
        Instant expiresAt,
        Map<String, Object> metadata,
        String tokenPrefix,
        Instant createdAt,
        Instant updatedAt,
        Instant lastActiveAt) {

    public Agent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        permissions = List.copyOf(permissions);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** The status at {@code now}: a stored-active agent past its expiry is {@link AgentStatus#EXPIRED}. */
    public AgentStatus statusAt(Instant now) {
        if (status == AgentStatus.ACTIVE && isExpiredAt(now)) {
            return AgentStatus.EXPIRED;
        }
        return status;
    }

    /** Whether the agent's expiry has passed at {@code now} (an agent expires at its expiry instant). */
    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** Whether the agent may act at {@code now}: stored active and not expired. */
    public boolean isActiveAt(Instant now) {
        return statusAt(now) == AgentStatus.ACTIVE;
    }
}
