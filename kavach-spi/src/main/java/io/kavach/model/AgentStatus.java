package io.kavach.model;

/** An agent's lifecycle state. {@code EXPIRED} is derived from the expiry time, never stored. */
public enum AgentStatus {
    ACTIVE,
    REVOKED,
    EXPIRED
}
