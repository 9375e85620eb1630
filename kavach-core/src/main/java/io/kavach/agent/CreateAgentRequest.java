package io.kavach.agent;

import io.kavach.model.AgentType;
import io.kavach.model.Permission;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a new agent is made of. Checked with Bean Validation when passed to
 * {@link Agents#create}, which reports every violation at once.
 *
 * @param ownerId     the owning user
 * @param tenantId    the tenant, or null
 * @param name        a display name
 * @param type        the kind of principal
 * @param permissions the agent's own grants
 * @param expiresAt   the expiry, or null for the configured default
 * @param metadata    free data kept with the agent
 */
public record CreateAgentRequest(
        @NotBlank @Size(max = 128) @Pattern(regexp = NO_CONTROL, message = NO_CONTROL_MESSAGE) String ownerId,
        @Size(min = 1, max = 128) @Pattern(regexp = NO_CONTROL, message = NO_CONTROL_MESSAGE) String tenantId,
        @NotBlank @Size(max = 200) @Pattern(regexp = NO_CONTROL, message = NO_CONTROL_MESSAGE) String name,
        @NotNull AgentType type,
        @NotNull @Size(max = 1000) List<@NotNull Permission> permissions,
        Instant expiresAt,
        @NotNull @Size(max = 100) Map<@NotBlank @Size(max = 128) String, Object> metadata) {

    static final String NO_CONTROL = "[^\\p{Cntrl}]*";
    static final String NO_CONTROL_MESSAGE = "must not contain control characters";

    public CreateAgentRequest {
        permissions = permissions == null ? null : nullTolerantCopy(permissions);
        metadata = metadata == null ? Map.of() : metadata;
    }

    private static <T> List<T> nullTolerantCopy(List<T> list) {
        return Collections.unmodifiableList(new ArrayList<>(list));
    }

    public static Builder builder(String ownerId, String name) {
        return new Builder(ownerId, name);
    }

    /** A builder. Values are checked when the request is used, all at once. Not thread-safe. */
    public static final class Builder {
        private final String ownerId;
        private final String name;
        private String tenantId;
        private AgentType type = AgentType.AUTONOMOUS;
        private final List<Permission> permissions = new ArrayList<>();
        private Instant expiresAt;
        private final Map<String, Object> metadata = new LinkedHashMap<>();

        private Builder(String ownerId, String name) {
            this.ownerId = ownerId;
            this.name = name;
        }

        public Builder tenant(String tenantId) {
            this.tenantId = tenantId;
            return this;
        }

        public Builder type(AgentType type) {
            this.type = type;
            return this;
        }

        public Builder permission(Permission permission) {
            permissions.add(permission);
            return this;
        }

        /** Adds a permission without constraints. */
        public Builder permission(String resource, String... actions) {
            return permission(Permission.of(resource, actions));
        }

        public Builder permissions(List<Permission> list) {
            permissions.addAll(list);
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public Builder metadata(String key, Object value) {
            metadata.put(key, value);
            return this;
        }

        public CreateAgentRequest build() {
            return new CreateAgentRequest(ownerId, tenantId, name, type, permissions, expiresAt, metadata);
        }
    }
}
