package io.kavach.agent;

import io.kavach.model.Permission;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Changes to an agent; null fields stay as they are. Checked with Bean Validation by
 * {@link Agents#update}. Narrowing an agent's permissions revokes the delegations it made that
 * its new permissions no longer cover.
 *
 * @param name        a new display name
 * @param permissions the new own permissions (replacing the old ones)
 * @param expiresAt   a new expiry
 * @param metadata    new metadata (replacing the old)
 */
public record UpdateAgentRequest(
        @Size(min = 1, max = 200) @Pattern(regexp = CreateAgentRequest.NO_CONTROL,
                message = CreateAgentRequest.NO_CONTROL_MESSAGE) String name,
        @Size(max = 1000) List<@NotNull Permission> permissions,
        Instant expiresAt,
        @Size(max = 100) Map<String, Object> metadata) {

    public static UpdateAgentRequest name(String name) {
        return new UpdateAgentRequest(name, null, null, null);
    }

    public static UpdateAgentRequest permissions(List<Permission> permissions) {
        return new UpdateAgentRequest(null, permissions, null, null);
    }

    public static UpdateAgentRequest expiresAt(Instant expiresAt) {
        return new UpdateAgentRequest(null, null, expiresAt, null);
    }
}
