package io.kavach.delegation;

import io.kavach.model.Permission;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A delegation to make: {@code permissions} passed from one agent to another until an expiry
 * given either as a duration from now ({@code expiresIn}, such as {@code 30m}, {@code 1h},
 * {@code 7d}) or as an instant ({@code expiresAt}), exactly one of the two. Checked with Bean
 * Validation by {@link Delegations#delegate}.
 *
 * @param fromAgentId the delegating agent
 * @param toAgentId   the receiving agent
 * @param permissions what to pass on; each must be held by the delegator, and constraints may only tighten
 * @param expiresIn   a duration: digits then s, m, h or d
 * @param expiresAt   an instant
 * @param maxDepth    how deep chains derived from this one may go, or null to keep the delegator's limit
 */
public record DelegationRequest(
        @NotBlank @Size(max = 40) String fromAgentId,
        @NotBlank @Size(max = 40) String toAgentId,
        @NotNull @Size(min = 1, max = 1000) List<@NotNull Permission> permissions,
        @Pattern(regexp = "[0-9]{1,9}[smhd]", message = "must be digits followed by s, m, h or d, such as 30m, 1h or 7d")
        String expiresIn,
        Instant expiresAt,
        @Min(1) @Max(MAX_DEPTH) Integer maxDepth) {

    /** The deepest any delegation chain may go. */
    public static final int MAX_DEPTH = 16;

    public DelegationRequest {
        permissions = permissions == null ? null : Collections.unmodifiableList(new ArrayList<>(permissions));
    }

    /** Exactly one of expiresIn and expiresAt. */
    @AssertTrue(message = "exactly one of expiresIn and expiresAt must be set")
    boolean isExpiry() {
        return (expiresIn == null) != (expiresAt == null);
    }

    public static Builder from(String fromAgentId) {
        return new Builder(fromAgentId);
    }

    /** A builder; values are checked when the request is used, all at once. Not thread-safe. */
    public static final class Builder {
        private final String fromAgentId;
        private String toAgentId;
        private final List<Permission> permissions = new ArrayList<>();
        private String expiresIn;
        private Instant expiresAt;
        private Integer maxDepth;

        private Builder(String fromAgentId) {
            this.fromAgentId = fromAgentId;
        }

        public Builder to(String agentId) {
            this.toAgentId = agentId;
            return this;
        }

        public Builder permission(Permission permission) {
            permissions.add(permission);
            return this;
        }

        public Builder permission(String resource, String... actions) {
            return permission(Permission.of(resource, actions));
        }

        public Builder expiresIn(String duration) {
            this.expiresIn = duration;
            return this;
        }

        public Builder expiresAt(Instant instant) {
            this.expiresAt = instant;
            return this;
        }

        public Builder maxDepth(int depth) {
            this.maxDepth = depth;
            return this;
        }

        public DelegationRequest build() {
            return new DelegationRequest(fromAgentId, toAgentId, permissions, expiresIn, expiresAt, maxDepth);
        }
    }
}
